/// One record of a sqllogictest-style file (see docs/testing.md):
///
///     statement ok
///     CREATE STREAM s (a INTEGER)
///
///     statement error 42P01 relation "nope" does not exist
///     SELECT * FROM nope
///
///     query IT rowsort
///     SELECT a, b FROM s
///     ----
///     1 x
///     2 NULL
public struct SLTRecord: Sendable {
    public enum Kind: Sendable, Equatable {
        case statementOK
        /// Expected SQLSTATE (nil: any) and a substring of the message (nil: any).
        case statementError(sqlState: String?, message: String?)
        /// Column type letters (I integer, R real, T text, B bool, any other: text) and sort mode.
        case query(types: String, rowsort: Bool, expected: [String])
        /// `clock advance N unit`: move the engine's ManualClock forward (in-process runs only).
        case clockAdvance(micros: Int64)
    }
    public var kind: Kind
    public var sql: String
    /// 1-based line of the record's first line.
    public var line: Int
    public init(kind: Kind, sql: String, line: Int) {
        self.kind = kind
        self.sql = sql
        self.line = line
    }
}
