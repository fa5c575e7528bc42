import FreshetCore

/// A join of two bounded inputs (SQL's `JOIN … ON`, `USING`, `NATURAL`,
/// `CROSS JOIN` and comma lists). A joined row is the left row, then the
/// right row, then `merged` (the single column each USING/NATURAL column
/// becomes). Outer joins fill the missing side with NULLs.
///
/// Execution: with `leftKeys`/`rightKeys` (the equi-conditions `l = r` of the
/// ON clause, each side cast to a common type) a hash join that builds a hash
/// table on the smaller input; without keys a nested loop. `residual` (the
/// rest of ON) is evaluated on each candidate pair; a pair matches when it is
/// TRUE. NULL keys never match (SQL `=`).
public struct JoinPlan: Sendable {
    public enum Kind: String, Sendable {
        case inner = "Inner", left = "Left", right = "Right", full = "Full", cross = "Cross"
    }
    public var kind: Kind
    public var left: PlanSource
    public var right: PlanSource
    public var leftWidth: Int
    public var rightWidth: Int
    /// Over the left row.
    public var leftKeys: [BoundExpression]
    /// Over the right row (column 0 is the right row's first column).
    public var rightKeys: [BoundExpression]
    /// Over the joined row (left ++ right).
    public var residual: BoundExpression?
    /// USING/NATURAL columns, over the joined row (left ++ right): appended after the right row.
    public var merged: [BoundExpression]
    public init(kind: Kind, left: PlanSource, right: PlanSource, leftWidth: Int, rightWidth: Int,
                leftKeys: [BoundExpression] = [], rightKeys: [BoundExpression] = [], residual: BoundExpression? = nil,
                merged: [BoundExpression] = []) {
        self.kind = kind
        self.left = left
        self.right = right
        self.leftWidth = leftWidth
        self.rightWidth = rightWidth
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.merged = merged
    }

    /// Width of a joined row.
    public var width: Int { leftWidth + rightWidth + merged.count }
}
