/// INSERT (SQL.md, "Streams are tables": writing).
extension Parser {
    /// insert: "INSERT" "INTO" object_name [ "(" identifier { "," identifier } ")" ] query
    ///   [ "RETURNING" select_item { "," select_item } ].
    /// Row arity is not checked here (`VALUES (1, 2), (3)` parses): the planner reports it.
    /// In a pump (`allowReturning` false) RETURNING is not accepted.
    mutating func parseInsert(allowReturning: Bool = true) throws(SQLSyntaxError) -> Insert {
        try expect(.insert)
        try expect(.into)
        let target = try parseObjectName()
        var columns: [Identifier] = []
        // "(" starts a column list unless it opens a parenthesised query.
        if currentIs(.leftParen) && !(isKeyword(.select, ahead: 1) || isKeyword(.values, ahead: 1)
                                       || isKeyword(.with, ahead: 1) || currentIs(.leftParen, ahead: 1)) {
            columns = try parseParenthesizedIdentifiers()
        }
        let source = try parseQuery()
        var returning: [SelectItem] = []
        if allowReturning && consume(.returning) { returning = try parseSelectItems() }
        return Insert(target: target, columns: columns, source: source, returning: returning)
    }
}
