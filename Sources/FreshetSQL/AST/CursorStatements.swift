/// `DECLARE name [BINARY] [NO SCROLL | SCROLL] CURSOR [WITH HOLD | WITHOUT HOLD] FOR query`
/// — what psql sends with `\set FETCH_COUNT n` (SQL.md, "Continuous queries";
/// https://www.postgresql.org/docs/current/sql-declare.html).
public struct DeclareCursor: Hashable, Sendable {
    public var name: Identifier
    public var binary: Bool
    /// `SCROLL` → true, `NO SCROLL` → false, not written → nil.
    public var scroll: Bool?
    /// `WITH HOLD`; `WITHOUT HOLD` (the default) is false.
    public var withHold: Bool
    public var query: Query
    public init(name: Identifier, binary: Bool = false, scroll: Bool? = nil, withHold: Bool = false, query: Query) {
        self.name = name
        self.binary = binary
        self.scroll = scroll
        self.withHold = withHold
        self.query = query
    }
}

/// `FETCH [FORWARD] [n | ALL | NEXT] [FROM | IN] name [WITH (timeout = '2 seconds')]`.
///
/// Only forward fetches exist (cursors are NO SCROLL): `FETCH name`,
/// `FETCH NEXT …` and `FETCH FORWARD …` all mean one row (`.rows(1)`).
public struct Fetch: Hashable, Sendable {
    public enum Count: Hashable, Sendable {
        /// `n` rows (n ≥ 0).
        case rows(Int64)
        /// `ALL`: every row (for a stream, until the query ends or is cancelled).
        case all
    }
    public var cursor: Identifier
    public var count: Count
    /// `WITH (timeout = '2 seconds')`: a Freshet extension, how long a FETCH on a
    /// continuous query waits for `n` rows before returning what it has.
    public var options: [OptionAssignment]
    public init(cursor: Identifier, count: Count = .rows(1), options: [OptionAssignment] = []) {
        self.cursor = cursor
        self.count = count
        self.options = options
    }
}
