/// An expression with the span of text it came from.
public struct Expression: Hashable, Sendable {
    public var kind: ExpressionKind
    public var span: SourceSpan
    public init(_ kind: ExpressionKind, span: SourceSpan = .empty) {
        self.kind = kind
        self.span = span
    }
}

public indirect enum ExpressionKind: Hashable, Sendable {
    case literal(Literal)
    /// A column reference, possibly qualified: `user_id`, `c.user_id`, `s.ROWTIME`.
    case column(ObjectName)
    /// `$1`, `$2`, … (1-based).
    case parameter(Int)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `f(args)`, `count(*)`, `count(DISTINCT x)`, with an optional OVER window.
    case function(FunctionCall)
    /// `CAST(x AS t)` and `x::t`.
    case cast(Expression, DataTypeName, syntax: CastSyntax)
    /// `x IS [NOT] NULL`.
    case isNull(Expression, negated: Bool)
    /// `x IS [NOT] TRUE/FALSE/UNKNOWN`.
    case isBoolean(Expression, value: Bool?, negated: Bool)
    /// `x [NOT] BETWEEN a AND b`.
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    /// `x [NOT] IN (a, b, …)`.
    case inList(Expression, [Expression], negated: Bool)
    /// `x [NOT] IN (SELECT …)`.
    case inSubquery(Expression, Query, negated: Bool)
    /// `x [NOT] LIKE|ILIKE|SIMILAR TO p [ESCAPE e]`.
    case like(Expression, pattern: Expression, escape: Expression?, kind: LikeKind, negated: Bool)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    case caseWhen(operand: Expression?, branches: [CaseBranch], elseResult: Expression?)
    /// `(SELECT …)` used as a value.
    case scalarSubquery(Query)
    /// `[NOT] EXISTS (SELECT …)`.
    case exists(Query, negated: Bool)
    /// `EXTRACT(field FROM x)`.
    case extract(field: String, Expression)
    /// `FLOOR(x TO unit)` / `CEIL(x TO unit)`.
    case floorCeilTo(Expression, unit: IntervalQualifier.Unit, ceil: Bool)
    /// `STEP(x BY interval)`.
    case step(Expression, by: Expression)
    /// `(a, b, …)` as a row value.
    case row([Expression])
    /// `SUBSTRING(s FROM a [FOR b])`, `POSITION(a IN b)`, `TRIM([LEADING|…] [c] FROM s)`,
    /// `OVERLAY(s PLACING r FROM a [FOR b])`: the keyword forms, normalised to calls
    /// with the argument order of the comma forms; `keywordForm` keeps how it was written.
    case specialFunction(name: String, arguments: [Expression], keywordForm: Bool)
    /// `x COLLATE "C"` (accepted, ignored by the planner).
    case collate(Expression, ObjectName)
    /// `ARRAY[...]` literal.
    case array([Expression])
    /// `x[i]` subscript.
    case `subscript`(Expression, Expression)
    /// `CURSOR(SELECT STREAM …)`: a query passed to a table function,
    /// `TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM …)))`.
    case cursor(Query)
    /// `x op ANY|ALL (array)` — `c.relkind = ANY (ARRAY['r', 'p'])`. `SOME` is read as ANY.
    case quantified(Expression, BinaryOperator, Quantifier, Expression)
    /// `x op ANY|ALL (SELECT …)`.
    case quantifiedSubquery(Expression, BinaryOperator, Quantifier, Query)
    /// `ARRAY(SELECT …)`: the subquery's single column as an array.
    case arraySubquery(Query)
    /// `x AT TIME ZONE zone`.
    case atTimeZone(Expression, zone: Expression)
    /// `DEFAULT` as a value in `VALUES (…)` or `UPDATE … SET c = DEFAULT`
    /// (the parser accepts it only there).
    case defaultValue
}

/// `ANY` (also spelled `SOME`) or `ALL` after a comparison operator.
public enum Quantifier: String, Hashable, Sendable { case any = "ANY", all = "ALL" }

public enum CastSyntax: Hashable, Sendable { case cast, doubleColon }
public enum LikeKind: String, Hashable, Sendable { case like = "LIKE", ilike = "ILIKE", similarTo = "SIMILAR TO" }

public struct CaseBranch: Hashable, Sendable {
    public var condition: Expression
    public var result: Expression
    public init(condition: Expression, result: Expression) {
        self.condition = condition
        self.result = result
    }
}

public enum Literal: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// Digits as written (may exceed Int64; the planner decides the type).
    case integer(String)
    /// `1.5`, `1e10`, `.5`: text as written.
    case decimal(String)
    /// `'text'`, `E'…'`, `U&'…'`, `$$…$$`, already unescaped.
    case string(String)
    /// `X'3F'`: the bytes.
    case bytes([UInt8])
    /// `TIMESTAMP '…'`, `DATE '…'`, `TIME '…'`: the type and the text.
    case typed(DataTypeName, String)
    /// `INTERVAL '2 3:4:5.678' DAY TO SECOND`, `INTERVAL '5' SECOND`, `INTERVAL '1 hour'`.
    case interval(String, IntervalQualifier?)
}

public enum UnaryOperator: String, Hashable, Sendable {
    case plus = "+", minus = "-", not = "NOT", bitwiseNot = "~"
}

public enum BinaryOperator: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"
    case isDistinctFrom = "IS DISTINCT FROM", isNotDistinctFrom = "IS NOT DISTINCT FROM"
    /// PostgreSQL regex match operators, which psql's catalog queries use.
    case regexMatch = "~", regexIMatch = "~*", regexNotMatch = "!~", regexNotIMatch = "!~*"
    case bitwiseAnd = "&", bitwiseOr = "|"
}

public struct FunctionCall: Hashable, Sendable {
    public var name: ObjectName
    public var arguments: [Expression]
    /// `count(*)`.
    public var star: Bool
    public var distinct: Bool
    public var filter: Expression?
    public var over: WindowReference?
    public init(name: ObjectName, arguments: [Expression], star: Bool = false, distinct: Bool = false,
                filter: Expression? = nil, over: WindowReference? = nil) {
        self.name = name
        self.arguments = arguments
        self.star = star
        self.distinct = distinct
        self.filter = filter
        self.over = over
    }
}

/// `OVER w` or `OVER (…)`.
public enum WindowReference: Hashable, Sendable {
    case named(Identifier)
    case inline(WindowSpecification)
}

/// `(PARTITION BY … ORDER BY … RANGE INTERVAL … PRECEDING | ROWS n PRECEDING)`.
public struct WindowSpecification: Hashable, Sendable {
    public var baseWindow: Identifier?
    public var partitionBy: [Expression]
    public var orderBy: [OrderByItem]
    public var frame: WindowFrame?
    public var span: SourceSpan
    public init(baseWindow: Identifier? = nil, partitionBy: [Expression] = [], orderBy: [OrderByItem] = [],
                frame: WindowFrame? = nil, span: SourceSpan = .empty) {
        self.baseWindow = baseWindow
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.span = span
    }
}

public struct WindowFrame: Hashable, Sendable {
    public enum Units: String, Hashable, Sendable { case rows = "ROWS", range = "RANGE" }
    public enum Bound: Hashable, Sendable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }
    public var units: Units
    public var start: Bound
    public var end: Bound?
    public init(units: Units, start: Bound, end: Bound? = nil) {
        self.units = units
        self.start = start
        self.end = end
    }
}
