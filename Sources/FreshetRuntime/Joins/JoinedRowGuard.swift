import FreshetCore
import FreshetPlanner

/// The stage right after a join of two streams in a pump's pipeline: it lets a joined row
/// whose evaluation fails (WHERE, the select list, an aggregate's argument or key) go to
/// error_stream while every other pair goes on (docs/continuous-queries.md, "Runtime
/// errors: error_stream").
///
/// Normally it passes the join's output on as it is (one batch per `advance`), and an
/// error fails the step. The pump then rebuilds the pipeline as it was before the step and
/// re-runs the step with `isolating` on, where a failing row is handed to `onError`
/// instead, and leaves no trace downstream:
/// - when the rest of the pipeline holds no state before its output (filter, project,
///   streaming ORDER BY, LIMIT), the batch is pushed whole and, if it fails, one row at a
///   time; a push that fails has changed nothing, so the retry is exact;
/// - when a window aggregate (tumbling, group, stagger, sliding) or an analytic function
///   follows, `check` first evaluates on each row what that operator evaluates before it
///   updates its state (the WHERE before it, its keys and arguments); the rows that pass
///   are pushed as one batch, as they would have been without the failing ones. An error
///   after the window's state (an accumulator overflowing, the select list over a sliding
///   window's result) is not about one joined row and still fails the step.
/// Either way the result depends only on the rows, so a replayed step gives the same output
/// and the same error rows.
final class JoinedRowGuard: RowSink {
    let next: RowSink
    let check: ((Row) throws -> Void)?
    let onError: JoinedRowErrorHandler
    var isolating = false

    init(next: RowSink, check: ((Row) throws -> Void)?, onError: @escaping JoinedRowErrorHandler) {
        self.next = next
        self.check = check
        self.onError = onError
    }

    func push(_ rows: [Row]) throws {
        guard isolating else { return try next.push(rows) }
        if let check {
            var passed: [Row] = []
            passed.reserveCapacity(rows.count)
            for r in rows {
                do {
                    try check(r)
                    passed.append(r)
                } catch {
                    onError(r, error)
                }
            }
            if !passed.isEmpty { try next.push(passed) }
            return
        }
        do {
            try next.push(rows)
        } catch {
            for r in rows {
                do { try next.push([r]) } catch { onError(r, error) }
            }
        }
    }

    func finish() throws { try next.finish() }

    /// What the stateful operator after the join (if any) evaluates on a row before it
    /// changes its state, with the WHERE in front of it: nil when nothing after the join
    /// holds state ahead of its output.
    static func check(for plan: QueryPlan, compiler: ExpressionCompiler) throws -> ((Row) throws -> Void)? {
        var gate: CompiledExpression?
        var expressions: [CompiledExpression] = []
        if let tf = plan.tableFunction {
            gate = try tf.inputFilter.map(compiler.compile)
            expressions = try tf.inputProjections.map(compiler.compile)
        } else if let g = plan.grouping {
            gate = try plan.filter.map(compiler.compile)
            let bounds = plan.groupWindow.map { Set($0.startKeys + $0.endKeys) } ?? []
            for (i, k) in g.keys.enumerated() where !bounds.contains(i) { expressions.append(try compiler.compile(k)) }
            for a in g.aggregates { if let e = a.argument { expressions.append(try compiler.compile(e)) } }
        } else if let s = plan.slidingWindow {
            gate = try plan.filter.map(compiler.compile)
            for w in s.windows { expressions += try w.partitionBy.map(compiler.compile) }
            for c in s.calls {
                if let e = c.argument { expressions.append(try compiler.compile(e)) }
                if let e = c.defaultValue { expressions.append(try compiler.compile(e)) }
            }
        } else {
            return nil
        }
        return { [gate, expressions] row in
            if let gate { guard case .bool(true) = try gate(row) else { return } }
            for e in expressions { _ = try e(row) }
        }
    }
}
