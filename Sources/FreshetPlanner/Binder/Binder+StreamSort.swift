import FreshetCore
import FreshetSQL

extension Binder {
    /// A streaming ORDER BY (T-sort, issue 3 and 4): the first key must be a time key that
    /// never decreases — ROWTIME, FLOOR(ROWTIME TO unit), STEP(ROWTIME BY …), or in a
    /// windowed GROUP BY the window's start (tumbling, hopping) or end (any window) — in
    /// ascending order; otherwise rows could never be released.
    func bindStreamSort(_ plan: QueryPlan, query: Query, relation: RelationDescriptor) throws -> StreamSortPlan {
        let first = plan.orderBy[0]
        let span = query.orderBy[0].expression.span
        func refuse() -> FreshetError {
            PlanError.error(.windowingError,
                "a streaming ORDER BY must lead with a time key that only grows: ROWTIME, FLOOR(ROWTIME TO unit), STEP(ROWTIME BY INTERVAL …) or a window's start or end",
                span, hint: "Example: SELECT STREAM … ORDER BY FLOOR(ROWTIME TO MINUTE), price DESC")
        }
        guard first.ascending else {
            throw PlanError.error(.windowingError, "a streaming ORDER BY must sort its time key ascending (time only moves forward)", span)
        }
        let rowtime = relation.userColumnCount
        let e = plan.projections[first.column]
        if plan.grouping == nil {
            if case .column(rowtime, _) = e {
                return StreamSortPlan(timeKeyColumn: first.column, granularityMicros: 1, eventTime: false)
            }
            if case let .function(_, args, _) = e, case .column(rowtime, _) = args.first, let size = try windowSize(of: e, rowtimeIndex: rowtime) {
                return StreamSortPlan(timeKeyColumn: first.column, granularityMicros: size, eventTime: false)
            }
            throw refuse()
        }
        guard case .column(let k, _) = e else { throw refuse() }
        if let w = plan.window, w.keyIndex == k {
            return StreamSortPlan(timeKeyColumn: first.column, granularityMicros: w.sizeMicros, eventTime: false)
        }
        if let w = plan.groupWindow {
            if w.endKeys.contains(k) {
                return StreamSortPlan(timeKeyColumn: first.column, granularityMicros: 0, eventTime: w.eventTime != nil)
            }
            if w.startKeys.contains(k) {
                switch w.kind {
                case .tumbling(let size), .hop(_, let size):
                    return StreamSortPlan(timeKeyColumn: first.column, granularityMicros: size, eventTime: w.eventTime != nil)
                case .session:
                    throw PlanError.error(.windowingError,
                        "session windows close out of the order of their starts: a streaming ORDER BY can use SESSION_END(…), not the start", span)
                }
            }
        }
        throw refuse()
    }
}
