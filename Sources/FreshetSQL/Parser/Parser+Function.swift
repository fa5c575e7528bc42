/// SQL-bodied functions: `CREATE [OR REPLACE] FUNCTION f(a INT) RETURNS INT RETURN a + 1`.
extension Parser {
    /// create_function: "FUNCTION" object_name "(" [ identifier data_type { "," identifier data_type } ] ")"
    ///   "RETURNS" data_type { function_characteristic } "RETURN" expression.
    /// function_characteristic: "LANGUAGE" "SQL" | "CONTAINS" "SQL" | [ "NOT" ] "DETERMINISTIC"
    ///   | "IMMUTABLE" | "STABLE" | "VOLATILE" — accepted, not kept.
    /// Called after CREATE [OR REPLACE].
    mutating func parseCreateFunction(orReplace: Bool) throws(SQLSyntaxError) -> CreateFunction {
        try expect(.function)
        let name = try parseObjectName()
        try expect(.leftParen)
        var parameters: [FunctionParameter] = []
        if !consume(.rightParen) {
            repeat {
                let parameterName = try parseIdentifier()
                parameters.append(FunctionParameter(name: parameterName, type: try parseDataType()))
            } while consume(.comma)
            try expect(.rightParen)
        }
        try expect(.returns)
        let returnType = try parseDataType()
        try parseFunctionCharacteristics()
        try expect(.`return`)
        let body = try parseExpression()
        return CreateFunction(name: name, orReplace: orReplace, parameters: parameters, returnType: returnType, body: body)
    }

    private mutating func parseFunctionCharacteristics() throws(SQLSyntaxError) {
        while case .word(let text, _) = current.kind {
            switch text {
            case "language", "contains":
                advance()
                guard case .word("sql", _) = current.kind else {
                    if text == "language" {
                        throw error("only LANGUAGE SQL functions (with a RETURN expression) are supported", at: current)
                    }
                    throw unexpected(expecting: "SQL")
                }
                advance()
            case "deterministic", "immutable", "stable", "volatile":
                advance()
            case "not":
                guard case .word("deterministic", _) = peek(1).kind else { return }
                advance()
                advance()
            default:
                return
            }
        }
    }
}
