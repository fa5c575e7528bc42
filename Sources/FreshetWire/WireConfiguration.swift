import FreshetCore

/// How the PostgreSQL wire server listens and authenticates.
public struct WireConfiguration: Sendable {
    /// How clients prove who they are.
    public enum Authentication: Sendable, Equatable {
        /// Anyone may connect as any user (AuthenticationOk right away).
        case trust
        /// SCRAM-SHA-256 against these user names and passwords.
        case scram(users: [String: String])
    }

    /// Address to bind, e.g. "127.0.0.1" or "0.0.0.0".
    public var host: String
    /// Port to bind; 0 picks a free port (read `WireServer.localPort` after starting).
    public var port: Int
    public var authentication: Authentication
    /// Largest message a client may send, in bytes (PostgreSQL's limit is 1 GiB).
    public var maxMessageSize: Int
    /// Rows per DataRow batch: each batch is written and flushed together.
    public var rowBatchSize: Int

    public init(host: String = "127.0.0.1", port: Int = 5432, authentication: Authentication = .trust,
                maxMessageSize: Int = 1 << 30, rowBatchSize: Int = 512) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.maxMessageSize = maxMessageSize
        self.rowBatchSize = rowBatchSize
    }
}
