/// `left UNION|INTERSECT|EXCEPT [ALL] right`: both inputs already produce
/// the same column types (the binder casts each side to the common types).
/// Without ALL the result has no duplicate rows; NULLs are not distinct
/// from each other here, as SQL's set operations define.
public struct SetOperationPlan: Sendable {
    public enum Operator: String, Sendable { case union = "Union", intersect = "Intersect", except = "Except" }
    public var op: Operator
    public var all: Bool
    public var left: QueryPlan
    public var right: QueryPlan
    public init(op: Operator, all: Bool, left: QueryPlan, right: QueryPlan) {
        self.op = op
        self.all = all
        self.left = left
        self.right = right
    }
}
