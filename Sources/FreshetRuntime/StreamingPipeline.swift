import FreshetCore
import FreshetPlanner

/// The operator chain of a continuous query (SELECT STREAM). Rows are
/// pushed as they arrive and the output drained after each push; time moves
/// with `advance(to:)` (the stream's watermark), which closes windows.
///
/// - Without GROUP BY: filter → project → offset/limit.
/// - With a tumbling window: filter → window aggregate → having → project → offset/limit.
public struct StreamingPipeline {
    let head: RowSink
    let sink: CollectingSink
    let limit: LimitOperator
    let window: TumblingWindowOperator?

    /// True once LIMIT rows have been produced.
    public var isComplete: Bool { limit.isSatisfied }

    /// When the next window closes (nil when no window is open or the query has none).
    public var nextDeadline: Int64? { window?.nextWindowEnd }

    public init(plan: QueryPlan, context: EvaluationContext) throws {
        precondition(plan.orderBy.isEmpty, "streaming ORDER BY is planned elsewhere")
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
        var windowOp: TumblingWindowOperator?
        if let g = plan.grouping {
            guard let w = plan.window else {
                throw FreshetError(.groupingError, "a streaming GROUP BY needs a window over ROWTIME")
            }
            if let h = plan.having { node = FilterOperator(predicate: try compiler.compile(h), next: node) }
            windowOp = TumblingWindowOperator(keys: try g.keys.map(compiler.compile), windowKey: w.keyIndex, size: w.sizeMicros,
                                              calls: g.aggregates, arguments: try g.aggregates.map { try $0.argument.map(compiler.compile) },
                                              next: node)
            node = WindowInput(windowOp!)
        }
        if let f = plan.filter { node = FilterOperator(predicate: try compiler.compile(f), next: node) }
        head = node
        self.sink = sink
        limit = limitOp
        window = windowOp
    }

    /// Push arriving rows; returns the output they produced.
    public func push(_ rows: [Row]) throws -> [Row] {
        if !rows.isEmpty && !isComplete { try head.push(rows) }
        return sink.take()
    }

    /// The stream's time reached `watermark`: close due windows; returns their output.
    public func advance(to watermark: Int64) throws -> [Row] {
        if let window, !isComplete { try window.advance(to: watermark) }
        return sink.take()
    }
}

/// Adapts the window operator to the RowSink chain.
final class WindowInput: RowSink {
    let window: TumblingWindowOperator
    init(_ w: TumblingWindowOperator) { window = w }
    func push(_ rows: [Row]) throws { try window.push(rows) }
    func finish() throws {}
}
