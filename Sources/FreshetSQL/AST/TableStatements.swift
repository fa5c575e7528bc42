/// `UPDATE name [[AS] alias] SET col = expr | DEFAULT [, …] [WHERE …] [RETURNING …]`
/// (reference tables, SQL.md "Joins").
public struct Update: Hashable, Sendable {
    public var target: ObjectName
    public var alias: Identifier?
    /// In the order written; a value of `.defaultValue` is `SET col = DEFAULT`.
    public var assignments: [Assignment]
    public var whereClause: Expression?
    public var returning: [SelectItem]
    public init(target: ObjectName, alias: Identifier? = nil, assignments: [Assignment], whereClause: Expression? = nil,
                returning: [SelectItem] = []) {
        self.target = target
        self.alias = alias
        self.assignments = assignments
        self.whereClause = whereClause
        self.returning = returning
    }
}

/// `col = expr` in UPDATE … SET.
public struct Assignment: Hashable, Sendable {
    public var column: Identifier
    public var value: Expression
    public init(column: Identifier, value: Expression) {
        self.column = column
        self.value = value
    }
}

/// `DELETE FROM name [[AS] alias] [WHERE …] [RETURNING …]`.
public struct Delete: Hashable, Sendable {
    public var target: ObjectName
    public var alias: Identifier?
    public var whereClause: Expression?
    public var returning: [SelectItem]
    public init(target: ObjectName, alias: Identifier? = nil, whereClause: Expression? = nil, returning: [SelectItem] = []) {
        self.target = target
        self.alias = alias
        self.whereClause = whereClause
        self.returning = returning
    }
}
