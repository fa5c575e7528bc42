/// A query: a body (SELECT, VALUES, set operation) with ORDER BY / LIMIT / OFFSET.
public struct Query: Hashable, Sendable {
    public var with: [CommonTableExpression]
    public var body: QueryBody
    public var orderBy: [OrderByItem]
    public var limit: Expression?
    public var offset: Expression?
    public var span: SourceSpan
    public init(with: [CommonTableExpression] = [], body: QueryBody, orderBy: [OrderByItem] = [],
                limit: Expression? = nil, offset: Expression? = nil, span: SourceSpan = .empty) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.span = span
    }
}

public struct CommonTableExpression: Hashable, Sendable {
    public var name: Identifier
    public var columns: [Identifier]
    public var query: Query
    public init(name: Identifier, columns: [Identifier] = [], query: Query) {
        self.name = name
        self.columns = columns
        self.query = query
    }
}

public indirect enum QueryBody: Hashable, Sendable {
    case select(Select)
    case values([[Expression]])
    /// `(query)` in a set operation.
    case nested(Query)
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)
}

public enum SetOperator: String, Hashable, Sendable { case union = "UNION", intersect = "INTERSECT", except = "EXCEPT" }

/// `SELECT [STREAM] [DISTINCT] items FROM … WHERE … GROUP BY … HAVING … WINDOW …`.
public struct Select: Hashable, Sendable {
    public var isStream: Bool
    public var distinct: Bool
    /// `DISTINCT ON (a, b)`: non-empty only then (and `distinct` is false).
    public var distinctOn: [Expression]
    public var items: [SelectItem]
    public var from: [TableReference]
    public var whereClause: Expression?
    public var groupBy: [Expression]
    public var having: Expression?
    /// `WINDOWED BY STAGGER (PARTITION BY … RANGE INTERVAL …)`, after WHERE.
    public var stagger: StaggerWindow?
    public var windows: [NamedWindow]
    /// `START AT TRIM_HORIZON | LATEST | TIMESTAMP '…' | [AFTER] SEQUENCE '…'`.
    public var startAt: StartPosition?
    public var span: SourceSpan
    public init(isStream: Bool = false, distinct: Bool = false, items: [SelectItem], from: [TableReference] = [],
                whereClause: Expression? = nil, groupBy: [Expression] = [], having: Expression? = nil,
                windows: [NamedWindow] = [], startAt: StartPosition? = nil, span: SourceSpan = .empty,
                distinctOn: [Expression] = [], stagger: StaggerWindow? = nil) {
        self.isStream = isStream
        self.distinct = distinct
        self.distinctOn = distinctOn
        self.stagger = stagger
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.startAt = startAt
        self.span = span
    }
}

/// `WINDOWED BY STAGGER (PARTITION BY k, FLOOR(event_time TO MINUTE) RANGE INTERVAL '1' MINUTE)`
/// (Kinesis Data Analytics stagger windows, SQL.md "Windows"): one output row per
/// partition, a window length after the partition's first row arrived.
public struct StaggerWindow: Hashable, Sendable {
    public var partitionBy: [Expression]
    /// The window length, an interval expression (`INTERVAL '1' MINUTE`).
    public var range: Expression
    public var span: SourceSpan
    public init(partitionBy: [Expression], range: Expression, span: SourceSpan = .empty) {
        self.partitionBy = partitionBy
        self.range = range
        self.span = span
    }
}

public enum StartPosition: Hashable, Sendable {
    case trimHorizon
    case latest
    case timestamp(Expression)
    case atSequence(String)
    case afterSequence(String)
}

public struct NamedWindow: Hashable, Sendable {
    public var name: Identifier
    public var specification: WindowSpecification
    public init(name: Identifier, specification: WindowSpecification) {
        self.name = name
        self.specification = specification
    }
}

public enum SelectItem: Hashable, Sendable {
    /// `*` or `t.*`.
    case wildcard(qualifier: ObjectName?, span: SourceSpan)
    case expression(Expression, alias: Identifier?)
}

public struct OrderByItem: Hashable, Sendable {
    public var expression: Expression
    /// nil when not written (ascending).
    public var ascending: Bool?
    /// nil when not written.
    public var nullsFirst: Bool?
    public init(expression: Expression, ascending: Bool? = nil, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }
}

/// `AS alias [(col, …)]`.
public struct TableAlias: Hashable, Sendable {
    public var name: Identifier
    public var columns: [Identifier]
    public init(name: Identifier, columns: [Identifier] = []) {
        self.name = name
        self.columns = columns
    }
}

public indirect enum TableReference: Hashable, Sendable {
    /// A stream, table or system table, with an optional window for stream joins.
    case named(ObjectName, alias: TableAlias?, window: WindowSpecification?)
    case subquery(Query, alias: TableAlias?, lateral: Bool)
    /// `f(args)` in FROM, including `TABLE(f(CURSOR(SELECT STREAM …)))`.
    case function(FunctionCall, alias: TableAlias?)
    case join(Join)
}

public struct Join: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case inner = "JOIN", left = "LEFT JOIN", right = "RIGHT JOIN", full = "FULL JOIN", cross = "CROSS JOIN"
    }
    public enum Constraint: Hashable, Sendable {
        case on(Expression)
        case using([Identifier])
        case natural
        case none
    }
    public var kind: Kind
    public var left: TableReference
    public var right: TableReference
    public var constraint: Constraint
    public init(kind: Kind, left: TableReference, right: TableReference, constraint: Constraint) {
        self.kind = kind
        self.left = left
        self.right = right
        self.constraint = constraint
    }
}
