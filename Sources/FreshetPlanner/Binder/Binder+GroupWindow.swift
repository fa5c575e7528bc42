import FreshetCore
import FreshetSQL

/// One window key found in a streaming GROUP BY while it is bound.
struct GroupWindowKey {
    var keyIndex: Int
    var kind: GroupWindowPlan.Kind
    var timeColumn: Int
    var span: SourceSpan
    /// For HOP/SESSION/TUMBLE calls: the synthesized `name_start(…)` / `name_end(…)` keys.
    var startKeys: [Int] = []
    var endKeys: [Int] = []
}

extension Binder {
    /// Flink SQL's group-window functions, valid as GROUP BY keys of a SELECT STREAM.
    static let groupWindowFunctions: Set<String> = ["hop", "session", "tumble"]

    /// `HOP(ts, slide, size)`, `SESSION(ts, gap)` or `TUMBLE(ts, size)` as a GROUP BY key, or nil.
    func groupWindowCall(_ e: Expression) -> FunctionCall? {
        guard case .function(let f) = e.kind, f.over == nil, !f.star, !f.distinct, f.name.parts.count == 1,
              Binder.groupWindowFunctions.contains(f.name.last.value.lowercased()) else { return nil }
        return f
    }

    /// The auxiliary key `HOP_START(…)`/`HOP_END(…)` (etc.) that reads a window call's start or end.
    func windowBoundExpression(_ f: FunctionCall, _ bound: String) -> Expression {
        var g = f
        g.name = ObjectName([Identifier(f.name.last.value.lowercased() + "_" + bound)])
        return Expression(.function(g))
    }

    /// Bind a group-window call: its kind and time column (checked to be ROWTIME or the watermarked column).
    func bindGroupWindowCall(_ f: FunctionCall, _ scope: Scope, _ relation: RelationDescriptor, span: SourceSpan) throws
        -> (kind: GroupWindowPlan.Kind, timeColumn: Int) {
        let name = f.name.last.value.lowercased()
        let upper = name.uppercased()
        let shape = ["hop": "HOP(ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) — time column, slide, size",
                     "session": "SESSION(ts, INTERVAL '30' SECOND) — time column, gap",
                     "tumble": "TUMBLE(ts, INTERVAL '1' MINUTE) — time column, size"][name]!
        let arity = name == "hop" ? 3 : 2
        guard f.arguments.count == arity else {
            throw PlanError.error(.undefinedFunction, "\(upper) takes \(arity) arguments, not \(f.arguments.count)", span, hint: "Example: \(shape)")
        }
        let column = try windowTimeColumn(f.arguments[0], scope, relation, what: upper)
        func duration(_ i: Int, _ what: String) throws -> Int64 {
            let d = try constantDuration(f.arguments[i], what: "\(upper)'s \(what)", example: shape)
            guard d > 0 else { throw PlanError.error(.invalidParameterValue, "\(upper)'s \(what) must be positive", f.arguments[i].span) }
            return d
        }
        switch name {
        case "hop":
            let slide = try duration(1, "slide"), size = try duration(2, "size")
            // With gaps between windows, rows in a gap would belong to no window at all.
            guard slide <= size else {
                throw PlanError.error(.invalidParameterValue, "HOP's slide (the 2nd argument) must not be longer than its size (the 3rd)",
                                      f.arguments[1].span, hint: "Example: \(shape)")
            }
            return (.hop(slideMicros: slide, sizeMicros: size), column)
        case "session": return (.session(gapMicros: try duration(1, "gap")), column)
        default: return (.tumbling(sizeMicros: try duration(1, "size")), column)
        }
    }

    /// The time column a window is over: ROWTIME, or a TIMESTAMP column the stream has a WATERMARK for.
    func windowTimeColumn(_ e: Expression, _ scope: Scope, _ relation: RelationDescriptor, what: String) throws -> Int {
        let b = try bind(e, scope)
        guard case .column(let c, let t) = b else {
            throw PlanError.error(.windowingError, "\(what) needs a time column (ROWTIME or the stream's WATERMARK column), not an expression", e.span)
        }
        guard t == .timestamp else {
            throw PlanError.error(.datatypeMismatch, "\(what) needs a TIMESTAMP column; \(outputName(e)) is \(t.sqlName)", e.span)
        }
        _ = try windowClock(column: c, relation, span: e.span)
        return c
    }

    /// Nil for ROWTIME (windows close on the stream's time); the watermark for the stream's
    /// event-time column; an error for any other column (its windows could never close).
    func windowClock(column c: Int, _ relation: RelationDescriptor, span: SourceSpan?) throws -> EventTimeWatermark? {
        if c == relation.userColumnCount { return nil }
        if let w = relation.watermark, w.column == c { return w }
        let name = c < relation.columns.count ? relation.columns[c].name : "?"
        throw PlanError.error(.windowingError,
            "stream \"\(relation.name)\" has no WATERMARK for column \"\(name)\": a window over it could never close", span,
            hint: "Declare it in CREATE STREAM (…, WATERMARK FOR \(name) AS \(name) - INTERVAL '5' SECOND), or window over ROWTIME.")
    }

    /// Decide the window of a streaming GROUP BY: a ROWTIME tumbling window (`plan.window`) or
    /// any other (`plan.groupWindow`). `calls` are the HOP/SESSION/TUMBLE keys already found.
    func planGroupWindow(_ plan: inout QueryPlan, keys: [BoundExpression], keySpans: [SourceSpan], calls: [GroupWindowKey],
                         relation: RelationDescriptor, span: SourceSpan) throws {
        var found = calls
        let callKeys = Set(calls.flatMap { [$0.keyIndex] + $0.startKeys + $0.endKeys })
        for (i, k) in keys.enumerated() where !callKeys.contains(i) {
            if let (column, size) = try tumblingWindowKey(k, relation) {
                found.append(GroupWindowKey(keyIndex: i, kind: .tumbling(sizeMicros: size), timeColumn: column,
                                            span: i < keySpans.count ? keySpans[i] : span))
            }
        }
        // Kinesis's idiom GROUP BY FLOOR(event_time TO MINUTE), STEP(ROWTIME BY …): with a window over
        // ROWTIME, a FLOOR/STEP of the event-time column is an ordinary key.
        if found.count > 1, found.contains(where: { $0.timeColumn == relation.userColumnCount }) {
            found.removeAll { $0.timeColumn != relation.userColumnCount && $0.startKeys.isEmpty && !callKeys.contains($0.keyIndex) }
        }
        found.sort { $0.keyIndex < $1.keyIndex }
        guard found.count == 1 else {
            throw PlanError.error(.groupingError,
                found.isEmpty
                    ? "a streaming GROUP BY needs a window over ROWTIME or a WATERMARK column: add STEP(ROWTIME BY INTERVAL '…'), FLOOR(ROWTIME TO unit), HOP(…) or SESSION(…) to GROUP BY"
                    : "a streaming GROUP BY may have only one window",
                found.count > 1 ? found[1].span : span, hint: "Example: GROUP BY url, STEP(clicks.ROWTIME BY INTERVAL '1' MINUTE)")
        }
        let w = found[0]
        let clock = try windowClock(column: w.timeColumn, relation, span: w.span)
        if case .tumbling(let size) = w.kind, clock == nil, w.startKeys.isEmpty {
            plan.window = TumblingWindowPlan(keyIndex: w.keyIndex, sizeMicros: size)
            return
        }
        plan.groupWindow = GroupWindowPlan(kind: w.kind, timeColumn: w.timeColumn, startKeys: [w.keyIndex] + w.startKeys,
                                           endKeys: w.endKeys, eventTime: clock)
    }

    /// `STEP(col BY INTERVAL …)` or `FLOOR(col TO unit)` over a TIMESTAMP column: the column and the window width.
    func tumblingWindowKey(_ k: BoundExpression, _ relation: RelationDescriptor) throws -> (Int, Int64)? {
        guard case let .function(f, args, _) = k, args.count == 2, f == .stepBy || f == .floorTo else { return nil }
        guard case .column(let c, .timestamp) = args[0] else { return nil }
        guard c == relation.userColumnCount || relation.watermark?.column == c else { return nil }
        guard let size = try windowSize(of: k, rowtimeIndex: c) else { return nil }
        return (c, size)
    }
}
