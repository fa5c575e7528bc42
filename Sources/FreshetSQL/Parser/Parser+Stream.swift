/// CREATE STREAM (SQL.md, "Streams are tables").
extension Parser {
    /// create_stream: "CREATE" [ "OR" "REPLACE" ] "STREAM" [ "IF" "NOT" "EXISTS" ] object_name
    ///   [ "(" [ stream_element { "," stream_element } ] ")" ] [ "WITH" option_list ]
    ///   [ "DESCRIPTION" string ].
    /// stream_element: column_definition | "WATERMARK" "FOR" identifier "AS" expression.
    /// Called after CREATE [OR REPLACE].
    mutating func parseCreateStream(orReplace: Bool) throws(SQLSyntaxError) -> CreateStream {
        try expect(.stream)
        let ifNotExists = try parseIfNotExists()
        let name = try parseObjectName()
        var columns: [ColumnDefinition] = []
        var watermark: Watermark?
        if consume(.leftParen) {
            if !consume(.rightParen) {
                repeat {
                    if isKeyword(.watermark) && isKeyword(.for, ahead: 1) {
                        let watermarkToken = current
                        let parsed = try parseWatermark()
                        if watermark != nil {
                            throw error("a stream can have only one WATERMARK", at: watermarkToken)
                        }
                        watermark = parsed
                    } else {
                        columns.append(try parseColumnDefinition())
                    }
                } while consume(.comma)
                try expect(.rightParen)
            }
        }
        var options: [OptionAssignment] = []
        if consume(.with) { options = try parseOptionList() }
        var description: String?
        if consume(.description) { description = try parseStringLiteral() }
        return CreateStream(name: name, orReplace: orReplace, ifNotExists: ifNotExists, columns: columns,
                            watermark: watermark, options: options, description: description)
    }

    /// watermark: "WATERMARK" "FOR" identifier "AS" expression.
    mutating func parseWatermark() throws(SQLSyntaxError) -> Watermark {
        try expect(.watermark)
        try expect(.for)
        let column = try parseIdentifier()
        try expect(.as)
        return Watermark(column: column, expression: try parseExpression())
    }

    /// column_definition: identifier data_type { "NOT" "NULL" | "NULL" }.
    mutating func parseColumnDefinition() throws(SQLSyntaxError) -> ColumnDefinition {
        let name = try parseIdentifier()
        let type = try parseDataType()
        var notNull = false
        while true {
            if consume(.not, .null) {
                notNull = true
            } else if consume(.null) {
                notNull = false
            } else {
                break
            }
        }
        return ColumnDefinition(name: name, type: type, notNull: notNull)
    }

    /// [ "IF" "NOT" "EXISTS" ]. IF without NOT after it is a name (`CREATE STREAM if (…)`).
    mutating func parseIfNotExists() throws(SQLSyntaxError) -> Bool {
        guard isKeyword(.not, ahead: 1), consume(.if) else {
            noteExpected("IF")
            return false
        }
        try expect(.not)
        try expect(.exists)
        return true
    }

    /// A string literal token ('…', E'…', U&'…', $$…$$).
    mutating func parseStringLiteral() throws(SQLSyntaxError) -> String {
        if case .string(let value) = current.kind {
            advance()
            return value
        }
        throw unexpected(expecting: "string")
    }
}
