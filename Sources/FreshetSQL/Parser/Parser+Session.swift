/// Session statements: SET, SHOW, RESET, and transaction control, which psql
/// and drivers send (https://www.postgresql.org/docs/current/sql-set.html).
extension Parser {
    /// set: "SET" [ "SESSION" | "LOCAL" ] ( label ( "TO" | "=" ) ( "DEFAULT" | set_value { "," set_value } )
    ///                                    | "TIME" "ZONE" ( "LOCAL" | "DEFAULT" | set_value ) ).
    /// `SET TIME ZONE` sets `timezone`; `LOCAL`/`DEFAULT` there mean the default.
    mutating func parseSet() throws(SQLSyntaxError) -> SetVariable {
        try expect(.set)
        var local = false
        if consume(.local) {
            local = true
        } else if consume(.session) {
            local = false
        }
        if isKeyword(.time) && isKeyword(.zone, ahead: 1) {
            let token = current
            advance()
            advance()
            let name = Identifier("timezone", span: SourceSpan(start: token.span.start, end: previousEnd))
            if consume(.local) || consume(.default) {
                return SetVariable(name: name, values: [], local: local, isDefault: true)
            }
            return SetVariable(name: name, values: [try parseOptionValue()], local: local)
        }
        let name = try parseLabel()
        if !consume(.to) && !consume(.equal) { throw unexpected() }
        if consume(.default) {
            return SetVariable(name: name, values: [], local: local, isDefault: true)
        }
        var values = [try parseOptionValue()]
        while consume(.comma) { values.append(try parseOptionValue()) }
        return SetVariable(name: name, values: values, local: local)
    }

    /// show: "SHOW" ( "ALL" | "TIME" "ZONE" | "TRANSACTION" "ISOLATION" "LEVEL" | label ).
    mutating func parseShow() throws(SQLSyntaxError) -> Show {
        try expect(.show)
        if consume(.all) { return Show(name: nil) }
        return Show(name: try parseVariableName())
    }

    /// reset: "RESET" ( "ALL" | "TIME" "ZONE" | label ).
    mutating func parseReset() throws(SQLSyntaxError) -> Identifier? {
        try expect(.reset)
        if consume(.all) { return nil }
        return try parseVariableName()
    }

    /// A configuration parameter name, with PostgreSQL's multi-word spellings.
    mutating func parseVariableName() throws(SQLSyntaxError) -> Identifier {
        let start = current.span.start
        if consume(.time, .zone) {
            return Identifier("timezone", span: span(from: start))
        }
        if consume(.transaction, .isolation, .level) {
            return Identifier("transaction_isolation", span: span(from: start))
        }
        return try parseLabel()
    }

    /// transaction: ( "BEGIN" | "START" "TRANSACTION" ) [ "WORK" | "TRANSACTION" ] { transaction_mode }
    ///            | ( "COMMIT" | "END" ) [ "WORK" | "TRANSACTION" ]
    ///            | ( "ROLLBACK" | "ABORT" ) [ "WORK" | "TRANSACTION" ].
    /// Transaction modes (ISOLATION LEVEL …, READ ONLY/WRITE) are accepted and
    /// dropped: Freshet has one isolation behaviour.
    mutating func parseTransaction() throws(SQLSyntaxError) -> TransactionStatement {
        if consume(.begin) {
            _ = consume(.work) || consume(.transaction)
            try parseTransactionModes()
            return .begin
        }
        if consume(.start) {
            try expect(.transaction)
            try parseTransactionModes()
            return .begin
        }
        if consume(.commit) || consume(.end) {
            _ = consume(.work) || consume(.transaction)
            return .commit
        }
        if consume(.rollback) || consume(.abort) {
            _ = consume(.work) || consume(.transaction)
            return .rollback
        }
        throw unexpected()
    }

    /// transaction_mode: "ISOLATION" "LEVEL" label { label } | "READ" ( "ONLY" | "WRITE" ) | [ "NOT" ] "DEFERRABLE", comma-separated.
    mutating func parseTransactionModes() throws(SQLSyntaxError) {
        while true {
            if consume(.isolation) {
                try expect(.level)
                _ = try parseLabel()
                while case .word(_, let keyword) = current.kind, keyword == nil || keyword == .read || keyword == .only {
                    if currentIs(.comma) { break }
                    advance()
                }
            } else if consume(.read) {
                if !consume(.only) && !consume(.write) { throw unexpected() }
            } else if case .word("deferrable", _) = current.kind {
                advance()
            } else if isKeyword(.not), case .word("deferrable", _) = peek(1).kind {
                advance()
                advance()
            } else {
                return
            }
            _ = consume(.comma)
        }
    }
}
