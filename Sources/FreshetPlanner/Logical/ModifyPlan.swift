import FreshetCore

/// UPDATE or DELETE on a reference table. Expressions are over the table's
/// current row (its columns in order).
public struct ModifyPlan: Sendable {
    public enum Action: Sendable {
        /// New values: for each assigned column, its index and the expression
        /// (already cast to the column's type).
        case update([(column: Int, value: BoundExpression)])
        case delete
    }
    public var target: RelationDescriptor
    public var action: Action
    /// WHERE: the rows changed are those for which it is TRUE; nil: all rows.
    public var filter: BoundExpression?
    /// Uncorrelated subqueries of WHERE/SET, evaluated before the statement runs.
    public var subqueries: [SubqueryPlan]
    /// RETURNING: over the row after UPDATE, the removed row for DELETE.
    public var returning: [BoundExpression]
    public var returningColumns: [OutputColumn]
    public init(target: RelationDescriptor, action: Action, filter: BoundExpression?, subqueries: [SubqueryPlan] = [],
                returning: [BoundExpression] = [], returningColumns: [OutputColumn] = []) {
        self.target = target
        self.action = action
        self.filter = filter
        self.subqueries = subqueries
        self.returning = returning
        self.returningColumns = returningColumns
    }
}
