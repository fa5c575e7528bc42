/// The StartupMessage (protocol §55.7): the first message of a session, without a
/// type byte. It names the protocol version and carries `name=value` parameters
/// (`user` is required; `database`, `application_name`, `options`, … are optional).
struct StartupMessage: Hashable, Sendable {
    var protocolVersion: ProtocolVersion
    /// Parameters in the order sent; a repeated name keeps its last value.
    var parameters: [String: String]

    init(protocolVersion: ProtocolVersion = .v3_0, parameters: [String: String]) {
        self.protocolVersion = protocolVersion
        self.parameters = parameters
    }

    var user: String? { parameters["user"] }
    /// The database, which defaults to the user name as in PostgreSQL.
    var database: String { parameters["database"] ?? parameters["user"] ?? "" }
    var applicationName: String { parameters["application_name"] ?? "" }
    /// Protocol options (`_pq_.*`) this server does not recognise, for NegotiateProtocolVersion.
    var protocolOptions: [String] { parameters.keys.filter { $0.hasPrefix("_pq_.") }.sorted() }
}

/// The CancelRequest (protocol §55.2.8): sent on a new connection in place of a
/// StartupMessage; names the backend to cancel by process id and secret key.
struct CancelRequest: Hashable, Sendable {
    var processID: Int32
    var secretKey: Int32
}
