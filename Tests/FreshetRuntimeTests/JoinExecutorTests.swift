import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// The hash join gives the same rows whichever input it builds its table on,
/// and the same rows as the nested loop does for the same condition.
@Suite struct JoinExecutorTests {
    func rows(_ xs: [Int?]) -> [Row] { xs.map { [$0.map { Value.int(Int64($0)) } ?? .null] } }

    func run(_ kind: JoinPlan.Kind, _ l: [Row], _ r: [Row], hash: Bool) throws -> [Row] {
        let key = BoundExpression.column(0, .integer)
        let plan = hash
            ? JoinPlan(kind: kind, left: .singleRow, right: .singleRow, leftWidth: 1, rightWidth: 1, leftKeys: [key], rightKeys: [key])
            : JoinPlan(kind: kind, left: .singleRow, right: .singleRow, leftWidth: 1, rightWidth: 1,
                       residual: .binary(.equal, .column(0, .integer), .column(1, .integer), .boolean))
        let sink = CollectingSink()
        try JoinExecutor(plan: plan, compiler: ExpressionCompiler(context: EvaluationContext())).run(left: l, right: r, into: sink)
        return sink.rows.sorted { Value.sortCompare($0[0], $1[0]) != 0 ? Value.sortCompare($0[0], $1[0]) < 0 : Value.sortCompare($0[1], $1[1]) < 0 }
    }

    @Test(arguments: [JoinPlan.Kind.inner, .left, .right, .full])
    func buildSideAndAlgorithmDoNotChangeTheResult(_ kind: JoinPlan.Kind) throws {
        let small = rows([1, 2, 2, nil, 7])
        let large = rows([2, 2, 3, 3, nil, 1, 9, 9, 9, 4])
        // small on the left (hash table on the left), then on the right.
        let a = try run(kind, small, large, hash: true)
        let b = try run(kind, small, large, hash: false)
        #expect(a == b)
        let swapped = try run(kind, large, small, hash: true)
        let swappedLoop = try run(kind, large, small, hash: false)
        #expect(swapped == swappedLoop)
        let inner = a.filter { !$0[0].isNull && !$0[1].isNull }
        #expect(inner.count == 1 + 2 * 2)   // 1×1, 2×2 (two 2s on each side); NULLs never match
        switch kind {
        case .inner: #expect(a.count == 5)
        case .left: #expect(a.count == 5 + 2)              // + unmatched left 7 and NULL
        case .right: #expect(a.count == 5 + 7)             // + 3, 3, NULL, 9, 9, 9, 4
        case .full: #expect(a.count == 5 + 2 + 7)
        case .cross: break
        }
    }

    @Test func setOperationsCountDuplicatesAndTreatNullsAsEqual() {
        let l: [Row] = [[.int(1)], [.int(1)], [.null], [.int(2)]]
        let r: [Row] = [[.int(1)], [.null], [.null], [.int(3)]]
        #expect(SetOperationExecutor.run(.union, all: false, left: l, right: r) == [[.int(1)], [.null], [.int(2)], [.int(3)]])
        #expect(SetOperationExecutor.run(.union, all: true, left: l, right: r).count == 8)
        #expect(SetOperationExecutor.run(.intersect, all: false, left: l, right: r) == [[.int(1)], [.null]])
        #expect(SetOperationExecutor.run(.intersect, all: true, left: l, right: r) == [[.int(1)], [.null]])
        #expect(SetOperationExecutor.run(.except, all: false, left: l, right: r) == [[.int(2)]])
        #expect(SetOperationExecutor.run(.except, all: true, left: l, right: r) == [[.int(1)], [.int(2)]])
    }
}
