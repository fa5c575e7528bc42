/// Option lists: `WITH (shards = 4, retention = '24 hours')`,
/// `WITH (FORMAT csv, HEADER)`, `EXPLAIN (ANALYZE)`.
extension Parser {
    /// option_list: "(" option { "," option } ")".
    mutating func parseOptionList() throws(SQLSyntaxError) -> [OptionAssignment] {
        try expect(.leftParen)
        var options = [try parseOption()]
        while consume(.comma) { options.append(try parseOption()) }
        try expect(.rightParen)
        return options
    }

    /// option: label [ "=" ] [ option_value ].
    mutating func parseOption() throws(SQLSyntaxError) -> OptionAssignment {
        let name = try parseLabel()
        let hasEquals = consume(.equal)
        if !hasEquals && (currentIs(.comma) || currentIs(.rightParen)) {
            return OptionAssignment(name: name, value: nil)
        }
        return OptionAssignment(name: name, value: try parseOptionValue())
    }

    /// option_value: a literal or expression (`4`, `-1`, `'24 hours'`, `TRUE`,
    /// `INTERVAL '1' HOUR`), or a bare word, which becomes a string literal of
    /// the word as folded (`csv` → `'csv'`, `"CSV"` → `'CSV'`), so that
    /// `FORMAT csv` and `FORMAT 'csv'` read alike.
    mutating func parseOptionValue() throws(SQLSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .word(let text, let keyword):
            switch keyword {
            case .true?, .false?, .null?, .interval?, .array?, .cast?, .case?:
                return try parseExpression()
            default:
                if case .string = peek(1).kind { return try parseExpression() }
                if currentIs(.leftParen, ahead: 1) || currentIs(.dot, ahead: 1) { return try parseExpression() }
                advance()
                return Expression(.literal(.string(text)), span: token.span)
            }
        case .quotedIdentifier(let text):
            // `"MyType" 'text'` is a typed literal (see parsePrefix).
            if case .string = peek(1).kind { return try parseExpression() }
            advance()
            return Expression(.literal(.string(text)), span: token.span)
        default:
            return try parseExpression()
        }
    }
}
