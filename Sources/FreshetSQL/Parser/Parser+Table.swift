/// CREATE TABLE (reference data joined to streams; SQL.md, "Joins").
extension Parser {
    /// create_table: "CREATE" "TABLE" [ "IF" "NOT" "EXISTS" ] object_name
    ///   "(" [ table_element { "," table_element } ] ")".
    /// table_element: column_definition [ "PRIMARY" "KEY" ] | "PRIMARY" "KEY" "(" identifier { "," identifier } ")".
    /// A column-level PRIMARY KEY is recorded as the table's key; only one key may be given.
    mutating func parseCreateTable() throws(SQLSyntaxError) -> CreateTable {
        try expect(.table)
        let ifNotExists = try parseIfNotExists()
        let name = try parseObjectName()
        var columns: [ColumnDefinition] = []
        var primaryKey: [Identifier] = []
        try expect(.leftParen)
        if !consume(.rightParen) {
            repeat {
                let elementToken = current
                if consume(.primary) {
                    try expect(.key)
                    let key = try parseParenthesizedIdentifiers()
                    if !primaryKey.isEmpty { throw error("multiple primary keys for table are not allowed", at: elementToken) }
                    primaryKey = key
                } else {
                    let column = try parseColumnDefinition()
                    let keyToken = current
                    if consume(.primary) {
                        try expect(.key)
                        if !primaryKey.isEmpty { throw error("multiple primary keys for table are not allowed", at: keyToken) }
                        primaryKey = [column.name]
                        if consume(.not, .null) {}
                    }
                    columns.append(column)
                }
            } while consume(.comma)
            try expect(.rightParen)
        }
        return CreateTable(name: name, ifNotExists: ifNotExists, columns: columns, primaryKey: primaryKey)
    }
}
