import FreshetCore
import FreshetSQL

extension Binder {
    /// Whether a SELECT STREAM's join is planned here rather than as a stream–table
    /// join (Binder+ContinuousJoin): a side has a window (OVER), or both sides name streams.
    func isWindowedStreamJoin(_ j: Join) -> Bool {
        func hasWindow(_ r: TableReference) -> Bool {
            if case .named(_, _, let w) = r { return w != nil }
            return false
        }
        if hasWindow(j.left) || hasWindow(j.right) { return true }
        guard case .named(let ln, _, _) = j.left, case .named(let rn, _, _) = j.right else { return false }
        func isStream(_ n: ObjectName) -> Bool {
            if n.parts.count == 1, lookupCTE(n.last.value) != nil { return false }
            return catalog.relation(named: n.parts.map(\.value))?.kind == .stream
        }
        return isStream(ln) && isStream(rn)
    }

    /// Bind the FROM of a SELECT STREAM joining two streams within windows (SQL.md
    /// "Joins": `FROM orders AS o JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s`).
    ///
    /// Refused, with the position of the part at fault: two streams without any
    /// window (unbounded state, 42P20), a window on a table or on a stream joined
    /// to a table (42P20), a window on a side of a join of two tables (42809: a
    /// bounded query), and windows other than `RANGE INTERVAL '…' PRECEDING` (42P20).
    func bindStreamJoin(_ j: Join, span: SourceSpan) throws -> (BoundFrom, StreamJoinPlan) {
        let boundary = fromBoundary
        fromBoundary = outerLevels.count
        defer { fromBoundary = boundary }
        let l = try streamJoinSide(j.left, span: span)
        let r = try streamJoinSide(j.right, span: span)
        let kind = JoinPlan.Kind(j.kind)
        switch (l.input.isStream, r.input.isStream) {
        case (false, false):
            throw PlanError.error(.wrongObjectType, "SELECT STREAM needs a stream in FROM: \"\(l.input.relation.name)\" and \"\(r.input.relation.name)\" are tables",
                                  l.name.span, hint: "A join of tables is a bounded query: drop STREAM.")
        case (true, true):
            if l.input.windowMicros == nil && r.input.windowMicros == nil {
                throw PlanError.error(.windowingError, "a join of two streams needs a window on at least one side (its state would grow without bound)",
                                      r.name.span, hint: "Example: FROM orders AS o JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s ON o.id = s.order_id")
            }
        default:
            for side in [l, r] where side.input.windowMicros != nil {
                let what = side.input.isStream
                    ? "a window on the stream side of a stream–table join has no effect: each row meets the table as it is when the row arrives"
                    : "a window (OVER) applies to a stream, and \"\(side.input.relation.name)\" is a table"
                throw PlanError.error(.windowingError, what, side.windowSpan ?? side.name.span, hint: "Remove the OVER (…) after \"\(side.input.relation.name)\".")
            }
            // Only joins with a window come here (isWindowedStreamJoin), so the loop above threw.
            throw PlanError.error(.featureNotSupported, "a stream joined with a table takes no window", span)
        }
        let lf = BoundFrom(source: .relation(l.input.relation), scope: try scope(for: l.input.relation, alias: l.alias), width: l.input.relation.columns.count)
        let rf = BoundFrom(source: .relation(r.input.relation), scope: try scope(for: r.input.relation, alias: r.alias), width: r.input.relation.columns.count)
        let joined = try joinRelations(kind, lf, rf, constraint: j.constraint, span: span)
        guard case .join(let plan) = joined.source else { preconditionFailure("joinRelations returns a join") }
        // The unqualified ROWTIME is the joined row's own (after the join's columns); each side's stays reachable qualified.
        var scope = joined.scope
        for i in scope.entries.indices where scope.entries[i].hidden && scope.entries[i].name == "rowtime" {
            scope.entries[i].qualifiedOnly = true
        }
        scope.entries.append(Scope.Entry(qualifier: nil, name: "rowtime", index: plan.width, type: .timestamp, hidden: true,
                                         tableOID: 0, columnNumber: 0))
        let streamJoin = StreamJoinPlan(join: plan, left: l.input, right: r.input)
        return (BoundFrom(source: joined.source, scope: scope, width: streamJoin.width), streamJoin)
    }

    /// One side of a streaming join: a stream or table named in FROM, with its window.
    struct StreamJoinSide {
        var input: StreamJoinPlan.Input
        var name: ObjectName
        var alias: TableAlias?
        var windowSpan: SourceSpan?
    }

    func streamJoinSide(_ ref: TableReference, span: SourceSpan) throws -> StreamJoinSide {
        guard case let .named(name, alias, window) = ref else {
            throw PlanError.error(.featureNotSupported,
                "SELECT STREAM joins exactly two relations named in FROM (a stream and a table, or two streams); joins of joins and subqueries are not supported yet",
                span)
        }
        if name.parts.count == 1, lookupCTE(name.last.value) != nil {
            throw PlanError.error(.featureNotSupported, "a WITH query cannot be joined in SELECT STREAM", name.span)
        }
        var relation = try resolveRelation(name)
        relation.alias = alias?.name.value
        if relation.kind == .systemTable {
            throw PlanError.error(.featureNotSupported, "system table \"\(relation.name)\" cannot be joined in SELECT STREAM", name.span,
                                  hint: "Copy what you need into a table with CREATE TABLE and INSERT … SELECT.")
        }
        var micros: Int64?
        if let w = window { micros = try joinWindowWidth(w) }
        return StreamJoinSide(input: StreamJoinPlan.Input(relation: relation, windowMicros: micros), name: name, alias: alias, windowSpan: window?.span)
    }

    /// The width of `OVER (RANGE INTERVAL '…' PRECEDING)` on a join side, in microseconds.
    func joinWindowWidth(_ w: WindowSpecification) throws -> Int64 {
        let example = "OVER (RANGE INTERVAL '1' HOUR PRECEDING)"
        if w.baseWindow != nil || !w.partitionBy.isEmpty || !w.orderBy.isEmpty {
            throw PlanError.error(.windowingError, "a join side's window is only a time range over ROWTIME (no name, PARTITION BY or ORDER BY)", w.span,
                                  hint: "Example: \(example)")
        }
        guard let frame = w.frame, frame.units == .range else {
            throw PlanError.error(.windowingError, "a join side's window needs RANGE INTERVAL '…' PRECEDING", w.span, hint: "Example: \(example)")
        }
        switch (frame.start, frame.end) {
        case (.preceding(let e), nil), (.preceding(let e), .currentRow?):
            return try constantDuration(e, what: "a join window", example: example)
        case (.currentRow, nil), (.currentRow, .currentRow?):
            return 0
        case (.unboundedPreceding, _):
            throw PlanError.error(.windowingError, "an unbounded join window would keep every row forever", w.span, hint: "Example: \(example)")
        default:
            throw PlanError.error(.windowingError, "a join side's window looks back only: RANGE INTERVAL '…' PRECEDING", w.span, hint: "Example: \(example)")
        }
    }
}

extension JoinPlan.Kind {
    /// The plan's join kind for the syntax's.
    init(_ k: Join.Kind) {
        switch k {
        case .inner: self = .inner
        case .left: self = .left
        case .right: self = .right
        case .full: self = .full
        case .cross: self = .cross
        }
    }
}
