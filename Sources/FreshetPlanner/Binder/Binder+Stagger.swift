import FreshetCore
import FreshetSQL

extension Binder {
    /// Check a `WINDOWED BY STAGGER (PARTITION BY … RANGE INTERVAL …)` clause and return
    /// its window length. Stagger windows are Kinesis Data Analytics's: over ROWTIME, in
    /// a SELECT STREAM without GROUP BY (the PARTITION BY expressions are the grouping).
    func bindStaggerRange(_ stagger: StaggerWindow, _ select: Select) throws -> Int64 {
        guard select.isStream else {
            throw PlanError.error(.featureNotSupported, "WINDOWED BY STAGGER needs SELECT STREAM", stagger.span,
                                  hint: "Stagger windows aggregate rows as they arrive: SELECT STREAM … WINDOWED BY STAGGER (…).")
        }
        if let g = select.groupBy.first {
            throw PlanError.error(.groupingError, "WINDOWED BY STAGGER cannot be combined with GROUP BY: its PARTITION BY is the grouping", g.span)
        }
        guard !select.stagger!.partitionBy.isEmpty else {
            throw PlanError.error(.windowingError, "WINDOWED BY STAGGER needs PARTITION BY", stagger.span)
        }
        let example = "WINDOWED BY STAGGER (PARTITION BY ticker, FLOOR(event_time TO MINUTE) RANGE INTERVAL '1' MINUTE)"
        let range = try constantDuration(stagger.range, what: "a stagger window's RANGE", example: example)
        guard range > 0 else {
            throw PlanError.error(.invalidParameterValue, "a stagger window's RANGE must be positive", stagger.range.span)
        }
        return range
    }
}
