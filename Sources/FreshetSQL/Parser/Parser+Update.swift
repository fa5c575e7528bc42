/// UPDATE (reference tables; SQL.md "Joins").
extension Parser {
    /// update: "UPDATE" object_name [ [ "AS" ] identifier ] "SET" assignment { "," assignment }
    ///   [ "WHERE" expression ] [ "RETURNING" select_item { "," select_item } ].
    /// assignment: identifier "=" value_or_default.
    mutating func parseUpdate() throws(SQLSyntaxError) -> Update {
        try expect(.update)
        let target = try parseObjectName()
        var alias: Identifier?
        if consume(.as) {
            alias = try parseIdentifier()
        } else if !isKeyword(.set) && currentIsIdentifier {
            alias = try parseIdentifier()
        }
        try expect(.set)
        var assignments: [Assignment] = []
        repeat {
            let column = try parseIdentifier()
            try expect(.equal)
            assignments.append(Assignment(column: column, value: try parseValueOrDefault()))
        } while consume(.comma)
        var update = Update(target: target, alias: alias, assignments: assignments)
        if consume(.where) { update.whereClause = try parseExpression() }
        if consume(.returning) { update.returning = try parseSelectItems() }
        return update
    }
}
