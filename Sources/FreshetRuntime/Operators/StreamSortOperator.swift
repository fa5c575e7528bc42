import FreshetCore
import FreshetPlanner

/// Streaming ORDER BY (SQLstream's T-sort; StreamSortPlan): projected rows wait
/// until their time key is final — `timeKey + granularity ≤ watermark`, so no
/// row with that key can still come — and are then released sorted by all the
/// ORDER BY keys (stably: ties keep arrival order). State is the rows whose time
/// key is not final yet.
final class StreamSortOperator: RowSink {
    let keys: [SortKey]
    let plan: StreamSortPlan
    let next: RowSink
    /// Rows waiting for their time key to become final.
    var pending: [Row] = []
    /// The smallest time key in `pending` (.min when a row has a NULL key; .max when empty):
    /// a push whose rows cannot be final yet only appends.
    var pendingMinKey: Int64 = .max
    var watermark: Int64 = .min

    init(keys: [SortKey], plan: StreamSortPlan, next: RowSink) {
        self.keys = keys
        self.plan = plan
        self.next = next
    }

    /// When the earliest waiting rows become final on the stream's time (nil when none
    /// wait, or when an event-time window's watermark releases them): a pump that finds
    /// no new rows advances then, as it does for a window's end.
    var nextRelease: Int64? {
        guard !plan.eventTime, !pending.isEmpty else { return nil }
        return pendingMinKey == .min ? watermark : pendingMinKey &+ plan.granularityMicros
    }

    func push(_ rows: [Row]) throws {
        pending.append(contentsOf: rows)
        for r in rows {
            if case .timestamp(let t) = r[plan.timeKeyColumn] { pendingMinKey = min(pendingMinKey, t) } else { pendingMinKey = .min }
        }
        try release()
    }

    func finish() throws {}

    /// Time reached `watermark`: release the rows whose time key is final.
    func advance(to watermark: Int64) throws {
        guard watermark > self.watermark else { return }
        self.watermark = watermark
        try release()
    }

    private func isFinal(_ r: Row) -> Bool {
        guard case .timestamp(let t) = r[plan.timeKeyColumn] else { return true }   // a NULL key sorts first; nothing waits for it
        return t &+ plan.granularityMicros <= watermark
    }

    private func release() throws {
        guard !pending.isEmpty, watermark != .min,
              pendingMinKey == .min || pendingMinKey &+ plan.granularityMicros <= watermark else { return }
        var ready: [Row] = []
        var waiting: [Row] = []
        pendingMinKey = .max
        for r in pending {
            if isFinal(r) {
                ready.append(r)
            } else {
                waiting.append(r)
                if case .timestamp(let t) = r[plan.timeKeyColumn] { pendingMinKey = min(pendingMinKey, t) }
            }
        }
        pending = waiting
        guard !ready.isEmpty else { return }
        try next.push(ready.sortedStably(by: keys))
    }
}
