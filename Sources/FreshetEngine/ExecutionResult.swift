import FreshetCore
import FreshetPlanner

/// A column of a statement's result, with what RowDescription needs.
public struct ResultColumn: Hashable, Sendable {
    public var name: String
    public var type: DataType
    /// OID of the stream/table the column comes from, or 0.
    public var tableOID: UInt32
    /// Attribute number within that table, or 0.
    public var columnNumber: Int16
    public init(name: String, type: DataType, tableOID: UInt32 = 0, columnNumber: Int16 = 0) {
        self.name = name
        self.type = type
        self.tableOID = tableOID
        self.columnNumber = columnNumber
    }

    /// The wire description of a planned output column.
    init(_ c: OutputColumn) {
        self.init(name: c.name, type: c.type, tableOID: c.tableOID, columnNumber: c.columnNumber)
    }
}

/// Rows of a result, pulled in batches. `next` returns nil when the result
/// is complete; the command tag is then available from `commandTag`.
/// A stream that never ends (SELECT STREAM) keeps returning batches until
/// the session's cancel handle fires or the consumer stops pulling.
public protocol RowStream: AnyObject {
    var columns: [ResultColumn] { get }
    /// Up to `maxRows` rows (at least one unless the stream is complete).
    func next(maxRows: Int) async throws -> [Row]?
    /// The tag to send in CommandComplete once `next` returned nil, e.g. "SELECT 5".
    var commandTag: String { get }
    /// Release resources early (portal closed, client gone).
    func close()
}

extension CopyOutStream {
    /// Default: each chunk is one row.
    public func nextRows() async throws -> (bytes: [UInt8], rowEnds: [Int])? {
        guard let chunk = try await next() else { return nil }
        return (chunk, [chunk.count])
    }
}

/// What the Wire front end must do with a COPY FROM STDIN.
public protocol CopyInHandler: AnyObject {
    /// Number of columns, for CopyInResponse.
    var columnCount: Int { get }
    /// True for binary COPY (not supported yet; always false).
    var isBinary: Bool { get }
    /// Feed a chunk of CopyData bytes, in order, as they arrive.
    func receive(_ bytes: UnsafeRawBufferPointer) throws
    /// CopyDone: parse what remains, store all rows durably, return the tag ("COPY n").
    func finish() async throws -> String
    /// CopyFail or connection loss: store nothing.
    func abort(reason: String)
}

/// A COPY TO STDOUT: chunks of formatted bytes.
public protocol CopyOutStream: AnyObject {
    var columnCount: Int { get }
    var isBinary: Bool { get }
    /// The next chunk of CopyData bytes, or nil at the end.
    func next() async throws -> [UInt8]?
    /// The next rows as one buffer and the end offset of each row in it (nil at the end).
    /// The front end sends one CopyData message per row, as PostgreSQL does and as libpq's
    /// PQgetCopyData promises its callers ("one data row at a time").
    func nextRows() async throws -> (bytes: [UInt8], rowEnds: [Int])?
    var commandTag: String { get }
    func close()
}

/// The outcome of executing one statement.
public enum ExecutionResult {
    /// A statement without rows; the tag for CommandComplete ("CREATE STREAM", "INSERT 0 2").
    case command(String)
    /// A statement returning rows (SELECT, SHOW, INSERT … RETURNING).
    case rows(RowStream)
    case copyIn(CopyInHandler)
    case copyOut(CopyOutStream)
    /// The empty query.
    case empty
}

/// PostgreSQL's ReadyForQuery transaction status.
public enum TransactionStatus: UInt8, Sendable {
    case idle = 0x49          // 'I'
    case inTransaction = 0x54 // 'T'
    case failed = 0x45        // 'E'
}
