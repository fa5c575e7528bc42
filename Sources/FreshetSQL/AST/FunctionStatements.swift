/// `CREATE [OR REPLACE] FUNCTION f(a type, …) RETURNS type [characteristics] RETURN expr`:
/// a SQL-bodied scalar function (SQL:2003 / SQLstream / PostgreSQL 14 form).
///
/// The characteristics `LANGUAGE SQL`, `CONTAINS SQL`, `[NOT] DETERMINISTIC`,
/// `IMMUTABLE`, `STABLE`, `VOLATILE` are accepted and not kept: the body is
/// one expression, whose properties the planner can see.
public struct CreateFunction: Hashable, Sendable {
    public var name: ObjectName
    public var orReplace: Bool
    public var parameters: [FunctionParameter]
    public var returnType: DataTypeName
    /// The RETURN expression; parameters are referenced by name (`.column`) or as `$n`.
    public var body: Expression
    public init(name: ObjectName, orReplace: Bool = false, parameters: [FunctionParameter], returnType: DataTypeName,
                body: Expression) {
        self.name = name
        self.orReplace = orReplace
        self.parameters = parameters
        self.returnType = returnType
        self.body = body
    }
}

/// `name type` in a CREATE FUNCTION parameter list.
public struct FunctionParameter: Hashable, Sendable {
    public var name: Identifier
    public var type: DataTypeName
    public init(name: Identifier, type: DataTypeName) {
        self.name = name
        self.type = type
    }
}
