import FreshetCore

/// INSERT INTO a stream or table.
public struct InsertPlan: Sendable {
    public enum Source: Sendable {
        /// VALUES rows, bound with no input, already cast to the target columns' types.
        /// Each row has one expression per target user column (DEFAULT/unspecified → NULL).
        case values([[BoundExpression]])
        /// INSERT … SELECT: the query's projections are cast to the target types by `casts`.
        case query(QueryPlan)
    }
    public var target: RelationDescriptor
    public var source: Source
    /// For `.query`: for each target user column, the index of the query column feeding it, or nil (NULL).
    public var columnMap: [Int?]
    /// RETURNING: expressions over the stored row (user columns then system columns).
    public var returning: [BoundExpression]
    public var returningColumns: [OutputColumn]
    public init(target: RelationDescriptor, source: Source, columnMap: [Int?], returning: [BoundExpression], returningColumns: [OutputColumn]) {
        self.target = target
        self.source = source
        self.columnMap = columnMap
        self.returning = returning
        self.returningColumns = returningColumns
    }
}
