import FreshetCore
import FreshetPlanner

/// The operator chain of a continuous query (SELECT STREAM). Rows are
/// pushed as they arrive and the output drained after each push; time moves
/// with `advance(to:)` (the stream's watermark), which closes windows.
///
/// - A stream–table join, when the query has one, comes first: join → filter → ….
/// - A join of two streams (`plan.streamJoin`) also comes first, but has two inputs
///   (`push(_:input:)`) and produces its rows as `advance(to:)` moves time.
///   In a pump a `JoinedRowGuard` follows it, so a failing joined row can go to error_stream.
/// - Without GROUP BY: filter → project → offset/limit.
/// - With a tumbling window: filter → window aggregate → having → project → offset/limit.
/// - With an event-time, hopping or session window: filter → group window → having → project → offset/limit.
/// - With a stagger window: filter → stagger window → having → project → offset/limit.
/// - With sliding windows (OVER): filter → sliding window → project → offset/limit.
/// - A streaming ORDER BY (T-sort) sits between project and offset/limit.
/// - Over TABLE(f(CURSOR(…))): cursor filter → cursor project → analytic function → filter → project → offset/limit.
public struct StreamingPipeline {
    let head: RowSink
    let sink: CollectingSink
    let limit: LimitOperator
    let window: TumblingWindowOperator?
    let sliding: SlidingWindowOperator?
    let groupWindow: GroupWindowOperator?
    let stagger: StaggerWindowOperator?
    let sort: StreamSortOperator?
    let analytic: AnalyticOperator?
    let streamJoin: StreamStreamJoinOperator?
    let joinGuard: JoinedRowGuard?
    /// One stream, no table join: what a stateful operator evaluates on an input row before
    /// it changes its state (see `checkRow`).
    let rowCheck: RowCheck?

    /// How many streams the query reads (push each one's rows with its input number).
    public var inputCount: Int { streamJoin == nil ? 1 : 2 }

    /// Whether a joined row whose evaluation fails after a join of two streams goes to the
    /// `onJoinedRowError` handler instead of failing the push or advance (a pump turns it on to
    /// re-run a step that failed; see `JoinedRowGuard`). Off by default: the fast path passes
    /// the join's output on whole. Without a handler (SELECT STREAM) it stays off.
    public var isolatesJoinedRowErrors: Bool {
        get { joinGuard?.isolating ?? false }
        nonmutating set { joinGuard?.isolating = newValue }
    }

    /// Evaluate on an input row what the window aggregate or analytic function of a one-stream
    /// query evaluates before it changes its state (the WHERE before it, its keys and
    /// arguments), without changing anything: a pump re-running a failed step row by row calls
    /// it first, so a row that fails (say `SUM(100 / q)` with q = 0 beside `COUNT(*)`) goes
    /// to error_stream without having been counted by the aggregates before the failing one.
    /// No-op for queries without such state and for joins (see `JoinedRowGuard`).
    public func checkRow(_ row: Row) throws { try rowCheck?.check(row) }

    /// True once LIMIT rows have been produced.
    public var isComplete: Bool { limit.isSatisfied }

    /// When the next window closes or sorted rows are due (nil when nothing waits for time).
    public var nextDeadline: Int64? {
        [window?.nextWindowEnd, groupWindow?.nextWindowEnd, stagger?.nextWindowEnd, analytic?.nextWindowEnd, streamJoin?.nextDeadline,
         sort?.nextRelease]
            .compactMap { $0 }.min()
    }

    /// Rows that arrived behind the watermark (not aggregated; each was handed to `onLateRow`).
    public var lateRows: Int64 { (groupWindow?.lateRows ?? 0) + Int64(window?.lateRows ?? 0) + (sliding?.lateRows ?? 0) }

    /// The event-time watermark of an event-time window (nil when the query has none or no row came yet).
    public var eventTimeWatermark: Int64? {
        guard let g = groupWindow, g.plan.eventTime != nil, g.watermark != .min else { return nil }
        return g.watermark
    }

    /// - Parameter onLateRow: receives each row that arrives behind the watermark of an event-time window
    ///   (GROUP BY, or OVER ordered by the event-time column).
    /// - Parameter table: a reference table's current contents by OID (nil: it was dropped);
    ///   needed only when the plan joins the stream with a table.
    /// - Parameter onJoinedRowError: for a join of two streams (a pump's): receives each joined
    ///   row whose ON condition fails to evaluate (the pair counts as not matching, as with a NULL
    ///   condition), and, while `isolatesJoinedRowErrors` is on, each joined row that fails after
    ///   the join. Nil: such errors fail the push or advance (SELECT STREAM).
    public init(plan: QueryPlan, context: EvaluationContext, onLateRow: LateRowHandler? = nil,
                table: ((UInt32) -> TableContents?)? = nil, onJoinedRowError: JoinedRowErrorHandler? = nil) throws {
        let compiler = ExpressionCompiler(context: context)
        let sink = CollectingSink()
        let limitOp = try LimitOperator(plan: plan, compiler: compiler, next: sink)
        var node: RowSink = limitOp
        var sortOp: StreamSortOperator?
        if !plan.orderBy.isEmpty {
            guard let s = plan.streamSort else {
                throw FreshetError(SQLState("42P20"), "a streaming ORDER BY must lead with a time key")
            }
            sortOp = StreamSortOperator(keys: plan.orderBy, plan: s, next: node)
            node = sortOp!
        }
        node = ProjectOperator(expressions: try plan.projections.map(compiler.compile), next: node)
        var windowOp: TumblingWindowOperator?
        var groupOp: GroupWindowOperator?
        var staggerOp: StaggerWindowOperator?
        if let g = plan.grouping {
            if let h = plan.having { node = FilterOperator(predicate: try compiler.compile(h), next: node) }
            let arguments = try g.aggregates.map { try $0.argument.map(compiler.compile) }
            if let w = plan.window {
                windowOp = TumblingWindowOperator(keys: try g.keys.map(compiler.compile), windowKey: w.keyIndex, size: w.sizeMicros,
                                                  calls: g.aggregates, arguments: arguments, next: node)
                windowOp!.onLateRow = onLateRow
                node = WindowInput(windowOp!)
            } else if let w = plan.groupWindow {
                let bounds = Set(w.startKeys + w.endKeys)
                let keys = try g.keys.enumerated().map { bounds.contains($0.offset) ? nil : try compiler.compile($0.element) }
                groupOp = GroupWindowOperator(keys: keys, plan: w, calls: g.aggregates, arguments: arguments, next: node, onLateRow: onLateRow)
                node = GroupWindowInput(groupOp!)
            } else if let w = plan.stagger {
                staggerOp = StaggerWindowOperator(keys: try g.keys.map(compiler.compile), plan: w, calls: g.aggregates,
                                                  arguments: arguments, next: node)
                node = StaggerWindowInput(staggerOp!)
            } else {
                throw FreshetError(.groupingError, "a streaming GROUP BY needs a window over ROWTIME")
            }
        }
        var slidingOp: SlidingWindowOperator?
        if let s = plan.slidingWindow {
            precondition(plan.grouping == nil, "the binder refuses OVER with GROUP BY")
            slidingOp = try SlidingWindowOperator(plan: s, compiler: compiler, next: node, onLateRow: onLateRow)
            node = slidingOp!
        }
        if let f = plan.filter { node = FilterOperator(predicate: try compiler.compile(f), next: node) }
        // TABLE(f(CURSOR(…))): cursor filter → cursor projection → analytic function → the above.
        var analyticOp: AnalyticOperator?
        if let tf = plan.tableFunction {
            analyticOp = AnalyticOperator(plan: tf, next: node)
            node = ProjectOperator(expressions: try tf.inputProjections.map(compiler.compile), next: analyticOp!)
            if let f = tf.inputFilter { node = FilterOperator(predicate: try compiler.compile(f), next: node) }
        }
        // A join comes before everything else: the rest reads joined rows.
        var joinOp: StreamStreamJoinOperator?
        var guardOp: JoinedRowGuard?
        if let sj = plan.streamJoin {
            if let onJoinedRowError {
                guardOp = JoinedRowGuard(next: node, check: try JoinedRowGuard.check(for: plan, compiler: compiler), onError: onJoinedRowError)
                node = guardOp!
            }
            joinOp = try StreamStreamJoinOperator(plan: sj, compiler: compiler, next: node)
            joinOp!.onRowError = onJoinedRowError
        } else if case .join(let j) = plan.source {
            guard case .relation(let t) = j.right, let table else {
                throw FreshetError(.featureNotSupported, "a continuous join reads a stream joined with a table")
            }
            let oid = t.oid, name = t.name
            node = try StreamTableJoinOperator(plan: j, compiler: compiler, table: {
                guard let contents = table(oid) else {
                    throw FreshetError(.undefinedTable, "table \"\(name)\" was dropped while a continuous query joined it")
                }
                return contents
            }, next: node)
        }
        var joinsTable = false
        if case .join = plan.source { joinsTable = true }
        if plan.streamJoin == nil && !joinsTable, let check = try JoinedRowGuard.check(for: plan, compiler: compiler) {
            rowCheck = RowCheck(check: check)
        } else {
            rowCheck = nil
        }
        head = node
        streamJoin = joinOp
        joinGuard = guardOp
        analytic = analyticOp
        self.sink = sink
        limit = limitOp
        window = windowOp
        sliding = slidingOp
        groupWindow = groupOp
        stagger = staggerOp
        sort = sortOp
    }

    /// Push arriving rows; returns the output they produced.
    public func push(_ rows: [Row]) throws -> [Row] {
        try push(rows, input: 0)
    }

    /// Push arriving rows of input `input`: 0, or for a join of two streams 0 (left) or 1 (right).
    public func push(_ rows: [Row], input: Int) throws -> [Row] {
        if let streamJoin {
            if !rows.isEmpty && !isComplete { streamJoin.push(rows, side: input) }
            return sink.take()
        }
        if !rows.isEmpty && !isComplete {
            try head.push(rows)
            if let sort, sort.plan.eventTime, let g = groupWindow, !isComplete { try sort.advance(to: g.watermark) }
        }
        return sink.take()
    }

    /// The stream's time reached `watermark`: close due windows; returns their output.
    public func advance(to watermark: Int64) throws -> [Row] {
        if let streamJoin, !isComplete { try streamJoin.advance(to: watermark) }
        if let window, !isComplete { try window.advance(to: watermark) }
        if let sliding, !isComplete { try sliding.advance(to: watermark) }
        if let groupWindow, !isComplete { try groupWindow.advance(to: watermark) }
        if let stagger, !isComplete { try stagger.advance(to: watermark) }
        if let analytic, !isComplete { try analytic.advance(to: watermark) }
        if let sort, !sort.plan.eventTime, !isComplete { try sort.advance(to: watermark) }
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
