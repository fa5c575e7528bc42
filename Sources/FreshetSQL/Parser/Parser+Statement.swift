/// statement: the dispatch on a statement's first word, and EXPLAIN.
extension Parser {
    /// statement: query | create | alter | drop | insert | update | delete | copy
    ///          | set | show | reset | transaction | explain | declare_cursor | fetch | close.
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
        case .update:
            kind = .update(try parseUpdate())
        case .delete:
            kind = .delete(try parseDelete())
        case .alter:
            kind = try parseAlter()
        case .declare:
            kind = .declareCursor(try parseDeclareCursor())
        case .fetch:
            kind = .fetch(try parseFetch())
        case .close:
            kind = .closeCursor(try parseClose())
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
                throw unexpected(expecting: "SELECT", "VALUES", "WITH", "CREATE", "ALTER", "DROP", "INSERT", "UPDATE",
                                 "DELETE", "COPY", "SET", "SHOW", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK",
                                 "EXPLAIN", "DECLARE", "FETCH", "CLOSE")
            }
        }
        return Statement(kind, span: span(from: start))
    }

    /// create: "CREATE" ( [ "OR" "REPLACE" ] ( create_stream | create_pump | create_function )
    ///                   | create_table | create_delivery_stream | create_video_stream ).
    mutating func parseCreate() throws(SQLSyntaxError) -> StatementKind {
        try expect(.create)
        let orReplace = consume(.or, .replace)
        if isKeyword(.stream) {
            return .createStream(try parseCreateStream(orReplace: orReplace))
        }
        if isKeyword(.pump) {
            return .createPump(try parseCreatePump(orReplace: orReplace))
        }
        if isKeyword(.function) {
            return .createFunction(try parseCreateFunction(orReplace: orReplace))
        }
        if !orReplace {
            if isKeyword(.table) { return .createTable(try parseCreateTable()) }
            if isKeyword(.delivery) { return .createDeliveryStream(try parseCreateDeliveryStream()) }
            if isKeyword(.video) { return .createVideoStream(try parseCreateVideoStream()) }
            throw unexpected(expecting: "STREAM", "PUMP", "FUNCTION", "TABLE", "DELIVERY", "VIDEO")
        }
        throw unexpected(expecting: "STREAM", "PUMP", "FUNCTION")
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
