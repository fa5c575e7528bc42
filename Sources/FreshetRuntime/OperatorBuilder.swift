import FreshetCore
import FreshetPlanner

/// Builds the push-based operator chain of a bounded query:
/// filter → aggregate → having → window functions → project → distinct → sort → offset/limit → sink.
public struct BoundedPipeline {
    /// Push source rows here, then `finish()`.
    public let head: RowSink
    /// The rows, once finished.
    public let sink: CollectingSink
    let limit: LimitOperator
    /// True once LIMIT is reached and no ORDER BY/aggregate needs more input: the source may stop early.
    public var isSatisfied: Bool { limit.isSatisfied && !needsAllInput }
    let needsAllInput: Bool

    public init(plan: QueryPlan, context: EvaluationContext) throws {
        let compiler = ExpressionCompiler(context: context)
        let sink = CollectingSink()
        let limitOp = try LimitOperator(plan: plan, compiler: compiler, next: sink)
        var node: RowSink = limitOp
        if !plan.orderBy.isEmpty { node = SortOperator(keys: plan.orderBy, next: node) }
        if plan.distinct { node = DistinctOperator(next: node) }
        node = ProjectOperator(expressions: try plan.projections.map(compiler.compile), next: node)
        if let w = plan.windowFunctions { node = try WindowFunctionOperator(plan: w, compiler: compiler, next: node) }
        if let h = plan.having { node = FilterOperator(predicate: try compiler.compile(h), next: node) }
        if let g = plan.grouping {
            node = HashAggregateOperator(keys: try g.keys.map(compiler.compile), calls: g.aggregates,
                                         arguments: try g.aggregates.map { try $0.argument.map(compiler.compile) }, next: node)
        }
        if let f = plan.filter { node = FilterOperator(predicate: try compiler.compile(f), next: node) }
        head = node
        self.sink = sink
        limit = limitOp
        needsAllInput = !plan.orderBy.isEmpty || plan.grouping != nil || plan.windowFunctions != nil
    }
}
