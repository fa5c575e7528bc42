import FreshetCore
import FreshetEngine

/// What a connection needs from a database session: exactly the Engine session
/// API (SessionAPI.swift, Session.swift), named as a protocol so the connection
/// logic can also be driven by a scripted session in tests. `Session` conforms
/// below; production code only ever uses it.
protocol WireSession: AnyObject {
    associatedtype Prepared

    var cancelHandle: CancelHandle { get }
    var transactionStatus: TransactionStatus { get }
    var initialParameterStatus: [(String, String)] { get }
    func takeParameterStatusChanges() -> [(String, String)]
    func parse(_ sql: String) throws -> [ParsedStatement]
    func prepare(_ statement: ParsedStatement, parameterTypes: [DataType?]) throws -> Prepared
    /// One type per `$n` of a prepared statement.
    func parameterTypes(of prepared: Prepared) -> [DataType]
    /// The result columns of a prepared statement; nil when it returns no rows.
    func resultColumns(of prepared: Prepared) -> [ResultColumn]?
    func execute(_ prepared: Prepared, parameters: [Value]) async throws -> ExecutionResult
    func statementFailed()
    func close()
}

/// Opens sessions for authenticated connections.
protocol WireSessionProvider: Sendable {
    func openWireSession(user: String, database: String, applicationName: String) -> any WireSession
}

extension Session: WireSession {
    func parameterTypes(of prepared: PreparedStatement) -> [DataType] { prepared.parameterTypes }
    func resultColumns(of prepared: PreparedStatement) -> [ResultColumn]? { prepared.resultColumns }
}

extension Engine: WireSessionProvider {
    func openWireSession(user: String, database: String, applicationName: String) -> any WireSession {
        openSession(user: user, database: database)
    }
}
