import FreshetCore

/// What expressions read besides the row: parameter values, the statement's
/// timestamp, and session facts.
public final class EvaluationContext: @unchecked Sendable {
    public var parameters: [Value]
    /// Statement start time (now()), microseconds since 1970.
    public var statementTime: Int64
    public var user: String
    public var database: String
    /// The clock CURRENT_ROW_TIMESTAMP reads for every row (microseconds since 1970);
    /// nil reads the statement time (a bounded query's rows are all produced "now").
    public var rowClock: (@Sendable () -> Int64)?
    /// Rows of the query's uncorrelated subqueries (by `SubqueryPlan.id`), filled
    /// before the query's expressions are compiled; read at compile time only.
    public var subqueryResults: [Int: [Row]] = [:]
    /// The materialised source rows of correlated subqueries (by id), read at compile time.
    public var correlatedSources: [Int: [Row]] = [:]
    /// The rows of the enclosing queries while a correlated subquery runs, innermost last.
    public var outerRows: [Row] = []
    public init(parameters: [Value] = [], statementTime: Int64 = 0, user: String = "freshet", database: String = "freshet",
                rowClock: (@Sendable () -> Int64)? = nil) {
        self.parameters = parameters
        self.statementTime = statementTime
        self.user = user
        self.database = database
        self.rowClock = rowClock
    }
}

/// An expression compiled once per query into a closure over the input row.
public typealias CompiledExpression = ([Value]) throws -> Value
