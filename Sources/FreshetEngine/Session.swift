import FreshetCore

/// One client's session: settings, transaction state, prepared statements'
/// plans. Used by one connection at a time (not thread-safe), except for
/// `cancelHandle`, which another connection may fire.
public final class Session {
    public let engine: Engine
    public let user: String
    public let database: String
    public let cancelHandle = CancelHandle()
    public private(set) var transactionStatus: TransactionStatus = .idle

    init(engine: Engine, user: String, database: String) {
        self.engine = engine
        self.user = user
        self.database = database
    }

    /// The ParameterStatus values to report after authentication.
    public var initialParameterStatus: [(String, String)] {
        [
            ("server_version", "15.0 (Freshet 0.1)"),
            ("server_encoding", "UTF8"),
            ("client_encoding", "UTF8"),
            ("DateStyle", "ISO, MDY"),
            ("integer_datetimes", "on"),
            ("IntervalStyle", "postgres"),
            ("standard_conforming_strings", "on"),
            ("TimeZone", "UTC"),
            ("application_name", ""),
            ("is_superuser", "on"),
            ("session_authorization", user),
        ]
    }

    /// ParameterStatus changes caused by the statements run since the last call (SET client_encoding …).
    public func takeParameterStatusChanges() -> [(String, String)] { [] }

    /// Split a query string into statements and parse each. The empty query gives [].
    /// Throws FreshetError 42601 with a position on a syntax error.
    public func parse(_ sql: String) throws -> [ParsedStatement] {
        throw FreshetError(.featureNotSupported, "the SQL parser is not wired in yet")
    }

    /// Bind a statement: resolve names and types. `parameterTypes` holds what the client
    /// declared in Parse (nil: infer).
    public func prepare(_ statement: ParsedStatement, parameterTypes: [DataType?]) throws -> PreparedStatement {
        throw FreshetError(.featureNotSupported, "not implemented")
    }

    /// Run a bound statement with its parameter values.
    public func execute(_ prepared: PreparedStatement, parameters: [Value]) async throws -> ExecutionResult {
        throw FreshetError(.featureNotSupported, "not implemented")
    }

    /// The front end reports that a statement failed (in a transaction block this aborts it).
    public func statementFailed() {
        if transactionStatus == .inTransaction { transactionStatus = .failed }
    }

    /// The connection is gone: release cursors and running queries.
    public func close() {}
}
