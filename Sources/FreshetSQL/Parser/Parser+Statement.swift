/// statement: the dispatch on a statement's first word, and EXPLAIN.
extension Parser {
    /// statement: query | create_stream | create_table | drop | insert | copy
    ///          | set | show | reset | transaction | explain.
    mutating func parseStatement() throws(SQLSyntaxError) -> Statement {
        let start = current.span.start
        let kind: StatementKind
        switch current.kind.keyword {
        case .select, .values, .with:
            kind = .query(try parseQuery())
        case .create:
            kind = try parseCreate()
        case .drop:
            kind = .drop(try parseDrop())
        case .insert:
            kind = .insert(try parseInsert())
        case .copy:
            kind = .copy(try parseCopy())
        case .set:
            kind = .set(try parseSet())
        case .show:
            kind = .show(try parseShow())
        case .reset:
            kind = .reset(try parseReset())
        case .begin, .start, .commit, .end, .rollback, .abort:
            kind = .transaction(try parseTransaction())
        case .explain:
            kind = try parseExplain()
        default:
            if currentIs(.leftParen) {
                kind = .query(try parseQuery())
            } else {
                throw unexpected(expecting: "SELECT", "VALUES", "WITH", "CREATE", "DROP", "INSERT", "COPY",
                                 "SET", "SHOW", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "EXPLAIN")
            }
        }
        return Statement(kind, span: span(from: start))
    }

    /// create: "CREATE" ( create_stream | create_table ).
    mutating func parseCreate() throws(SQLSyntaxError) -> StatementKind {
        try expect(.create)
        let orReplace = consume(.or, .replace)
        if isKeyword(.stream) {
            return .createStream(try parseCreateStream(orReplace: orReplace))
        }
        if !orReplace && isKeyword(.table) {
            return .createTable(try parseCreateTable())
        }
        throw unexpected(expecting: "STREAM", orReplace ? "STREAM" : "TABLE")
    }

    /// explain: "EXPLAIN" [ "ANALYZE" ] [ "VERBOSE" ] statement
    ///        | "EXPLAIN" "(" label [ value ] { "," … } ")" statement.
    mutating func parseExplain() throws(SQLSyntaxError) -> StatementKind {
        try expect(.explain)
        var analyze = false
        if currentIs(.leftParen) && !(isKeyword(.select, ahead: 1) || isKeyword(.values, ahead: 1) || isKeyword(.with, ahead: 1)) {
            for option in try parseOptionList() where option.name.value == "analyze" && !option.name.quoted {
                if case .literal(.boolean(false))? = option.value?.kind { analyze = false } else { analyze = true }
            }
        } else {
            analyze = consume(.analyze)
            _ = consume(.verbose)
        }
        let statement = try parseSpannedStatement()
        return .explain(statement, analyze: analyze)
    }
}
