import FreshetCore

/// A subquery used in an expression (scalar, EXISTS, IN, ANY/ALL). An
/// uncorrelated one is run once, before the query that uses it, and its rows
/// are handed to the expressions through the evaluation context by `id`.
public struct SubqueryPlan: Sendable {
    public var id: Int
    public var query: QueryPlan
    /// A correlated subquery reads the enclosing query's row (`.outerColumn`): its
    /// source is materialised once, and the rest of its plan runs again for each outer row.
    public var correlated: Bool
    public init(id: Int, query: QueryPlan, correlated: Bool = false) {
        self.id = id
        self.query = query
        self.correlated = correlated
    }
}

/// How an expression uses a subquery's rows.
public struct SubqueryTest: Sendable {
    public enum Kind: Sendable {
        /// `EXISTS (…)`: true when there is at least one row.
        case exists
        /// `(SELECT x …)`: the single value (NULL for no row; more than one row is error 21000).
        case scalar
        /// `x op ANY (…)` (and `x IN (…)` as `x = ANY (…)`).
        case any(BinaryOp)
        /// `x op ALL (…)`.
        case all(BinaryOp)
    }
    public var id: Int
    public var kind: Kind
    /// The subquery column's type and the type both sides are compared in.
    public var columnType: DataType
    public var comparisonType: DataType
    /// For a correlated subquery: its plan, run once per outer row.
    public var correlatedPlan: QueryPlan?
    public init(id: Int, kind: Kind, columnType: DataType, comparisonType: DataType, correlatedPlan: QueryPlan? = nil) {
        self.id = id
        self.kind = kind
        self.columnType = columnType
        self.comparisonType = comparisonType
        self.correlatedPlan = correlatedPlan
    }
}
