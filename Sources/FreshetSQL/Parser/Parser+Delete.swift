/// DELETE (reference tables; SQL.md "Joins").
extension Parser {
    /// delete: "DELETE" "FROM" object_name [ [ "AS" ] identifier ] [ "WHERE" expression ]
    ///   [ "RETURNING" select_item { "," select_item } ].
    mutating func parseDelete() throws(SQLSyntaxError) -> Delete {
        try expect(.delete)
        try expect(.from)
        let target = try parseObjectName()
        var alias: Identifier?
        if consume(.as) {
            alias = try parseIdentifier()
        } else if currentIsIdentifier {
            alias = try parseIdentifier()
        }
        var delete = Delete(target: target, alias: alias)
        if consume(.where) { delete.whereClause = try parseExpression() }
        if consume(.returning) { delete.returning = try parseSelectItems() }
        return delete
    }
}
