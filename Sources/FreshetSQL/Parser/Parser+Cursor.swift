/// Cursors: DECLARE, FETCH, CLOSE — how psql reads a query `FETCH_COUNT` rows
/// at a time (https://www.postgresql.org/docs/current/sql-declare.html,
/// sql-fetch.html, sql-close.html; forward-only).
extension Parser {
    /// declare_cursor: "DECLARE" identifier [ "BINARY" ] [ "NO" "SCROLL" | "SCROLL" ] "CURSOR"
    ///   [ ( "WITH" | "WITHOUT" ) "HOLD" ] "FOR" query.
    mutating func parseDeclareCursor() throws(SQLSyntaxError) -> DeclareCursor {
        try expect(.declare)
        let name = try parseIdentifier()
        var cursor = DeclareCursor(name: name, query: Query(body: .values([])))
        cursor.binary = consume(.binary)
        if consume(.no, .scroll) {
            cursor.scroll = false
        } else if consume(.scroll) {
            cursor.scroll = true
        }
        try expect(.cursor)
        if consume(.with, .hold) {
            cursor.withHold = true
        } else if case .word("without", _) = current.kind, isKeyword(.hold, ahead: 1) {
            advance()
            advance()
        }
        try expect(.for)
        cursor.query = try parseQuery()
        return cursor
    }

    /// fetch: "FETCH" [ "NEXT" | "FORWARD" [ integer | "ALL" ] | integer | "ALL" ] [ "FROM" | "IN" ] identifier
    ///   [ "WITH" option_list ].
    mutating func parseFetch() throws(SQLSyntaxError) -> Fetch {
        try expect(.fetch)
        var count = Fetch.Count.rows(1)
        if consume(.next) {
            count = .rows(1)
        } else if isKeyword(.forward) && !fetchNameEndsAt(ahead: 1) {
            advance()
            if consume(.all) {
                count = .all
            } else if let rows = try parseOptionalFetchCount() {
                count = .rows(rows)
            }
        } else if consume(.all) {
            count = .all
        } else if let rows = try parseOptionalFetchCount() {
            count = .rows(rows)
        }
        if !consume(.from) { _ = consume(.in) }
        let name = try parseIdentifier()
        var options: [OptionAssignment] = []
        if consume(.with) { options = try parseOptionList() }
        return Fetch(cursor: name, count: count, options: options)
    }

    /// Whether the token `ahead` ends a FETCH (so the word before it is the cursor name).
    private func fetchNameEndsAt(ahead: Int) -> Bool {
        switch peek(ahead).kind {
        case .endOfInput, .symbol(.semicolon): return true
        case .word(_, .with?): return true
        default: return false
        }
    }

    /// An unsigned row count, within Int64.
    private mutating func parseOptionalFetchCount() throws(SQLSyntaxError) -> Int64? {
        guard case .integer(let digits) = current.kind else {
            noteExpected("row count")
            return nil
        }
        guard let rows = Int64(digits) else { throw error("FETCH row count \(digits) is out of range") }
        advance()
        return rows
    }

    /// close: "CLOSE" ( identifier | "ALL" ).
    mutating func parseClose() throws(SQLSyntaxError) -> Identifier? {
        try expect(.close)
        if consume(.all) { return nil }
        return try parseIdentifier()
    }
}
