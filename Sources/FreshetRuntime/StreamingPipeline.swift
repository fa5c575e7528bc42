import FreshetCore
import FreshetPlanner

/// The operator chain of a continuous query (SELECT STREAM) without windows:
/// filter → project → offset/limit. Rows are pushed as they arrive and the
/// output drained after each push; `isComplete` turns true once LIMIT rows
/// have been produced.
public struct StreamingPipeline {
    public let head: RowSink
    public let sink: CollectingSink
    let limit: LimitOperator

    public var isComplete: Bool { limit.isSatisfied }

    public init(plan: QueryPlan, context: EvaluationContext) throws {
        precondition(plan.grouping == nil && plan.orderBy.isEmpty, "windowed continuous queries are planned elsewhere")
        let compiler = ExpressionCompiler(context: context)
        func constant(_ e: BoundExpression?) throws -> Int64? {
            guard let e else { return nil }
            switch try compiler.compile(e)([]) {
            case .int(let n):
                guard n >= 0 else { throw FreshetError(.invalidParameterValue, "LIMIT and OFFSET must not be negative") }
                return n
            case .null: return nil
            default: throw FreshetError(.datatypeMismatch, "LIMIT and OFFSET must be integers")
            }
        }
        let sink = CollectingSink()
        let limitOp = LimitOperator(offset: try constant(plan.offset) ?? 0, limit: try constant(plan.limit),
                                    width: plan.outputColumns.count, next: sink)
        var node: RowSink = ProjectOperator(expressions: try plan.projections.map(compiler.compile), next: limitOp)
        if let f = plan.filter { node = FilterOperator(predicate: try compiler.compile(f), next: node) }
        head = node
        self.sink = sink
        limit = limitOp
    }

    /// Push arriving rows; returns the output they produced.
    public func push(_ rows: [Row]) throws -> [Row] {
        if !rows.isEmpty && !isComplete { try head.push(rows) }
        return sink.take()
    }
}
