import FreshetCore
import FreshetPlanner

/// Joins two streams within windows (SQL.md "Joins"; INNER, LEFT, RIGHT, FULL).
///
/// Rows of both inputs are buffered until the watermark (the earlier of the
/// two streams' times) reaches them; then they are processed in ROWTIME order,
/// so each side's retained rows are always older than the row probing them.
/// A row from one side meets the retained rows of the other whose distance is
/// within the other side's window (`StreamJoinPlan`, bounds inclusive); every
/// pair is found once, by the later of its two rows, and gets the later ROWTIME.
///
/// A row is kept while rows of the other side could still pair with it: until
/// time passes its ROWTIME + its own side's window (a row at time t can still
/// arrive once the watermark is t, so it is dropped when watermark > ROWTIME +
/// window). Dropping it from an outer side emits it once, with NULLs, if it
/// never matched; that row's ROWTIME is ROWTIME + window, the moment it became
/// unmatched, so downstream windows still see time in order. State is bounded
/// by the windows; `stateBytes` estimates it.
final class StreamStreamJoinOperator {
    let row: StreamJoinRow
    let next: RowSink
    let window: [Int64]
    let rowtime: [Int]
    let preserve: [Bool]
    let keyed: Bool
    var state: [StreamJoinSideState]
    var pending: [[Row]] = [[], []]
    var pendingBytes = 0
    /// Receives a row whose ON condition (a key or the residual) fails to evaluate; that
    /// condition then counts as not TRUE (like NULL). Nil: the error fails `advance`.
    var onRowError: JoinedRowErrorHandler?
    private var key: [Value] = []
    private var out: [Row] = []

    init(plan: StreamJoinPlan, compiler: ExpressionCompiler, next: RowSink) throws {
        precondition(plan.isStreamStream)
        row = try StreamJoinRow(plan: plan, compiler: compiler)
        self.next = next
        window = [plan.left.windowMicros ?? 0, plan.right.windowMicros ?? 0]
        rowtime = [plan.left.rowtimeColumn!, plan.right.rowtimeColumn!]
        let k = plan.join.kind
        preserve = [k == .left || k == .full, k == .right || k == .full]
        keyed = !plan.join.leftKeys.isEmpty
        state = [StreamJoinSideState(indexed: keyed), StreamJoinSideState(indexed: keyed)]
    }

    /// Estimated bytes of the rows held: retained by the windows and waiting for the watermark.
    var stateBytes: Int { state[0].bytes + state[1].bytes + pendingBytes }
    /// Rows retained by the windows, per side (tests check eviction).
    var retainedRows: (left: Int, right: Int) { (state[0].count, state[1].count) }

    /// The earliest time at which advancing would produce something: a buffered row's
    /// ROWTIME, or the moment an outer row's window ends.
    var nextDeadline: Int64? {
        var d: Int64?
        for side in 0..<2 {
            for r in pending[side] {
                let t = r[rowtime[side]].rowtimeMicros
                if d == nil || t < d! { d = t }
            }
            if preserve[side], let t = state[side].oldestTime {
                let due = t &+ window[side] &+ 1
                if d == nil || due < d! { d = due }
            }
        }
        return d
    }

    /// Rows of input `side` (0 left, 1 right) arrived; they wait for the watermark.
    func push(_ rows: [Row], side: Int) {
        for r in rows { pendingBytes += StreamJoinRow.estimatedBytes(r) }
        pending[side].append(contentsOf: rows)
    }

    /// Both streams' time reached `watermark`: process every buffered row at or before it, in
    /// ROWTIME order, then drop rows that can no longer match.
    func advance(to watermark: Int64) throws {
        let l = take(0, upTo: watermark), r = take(1, upTo: watermark)
        var i = 0, j = 0
        while i < l.count || j < r.count {
            let takeLeft = j == r.count || (i < l.count && l[i].time <= r[j].time)
            let (side, x, t) = takeLeft ? (0, l[i].row, l[i].time) : (1, r[j].row, r[j].time)
            if takeLeft { i += 1 } else { j += 1 }
            try evict(before: t)
            try process(x, time: t, side: side)
        }
        try evict(before: watermark)
        if !out.isEmpty { try next.push(out); out.removeAll(keepingCapacity: true) }
    }

    /// Buffered rows of `side` at or before `watermark`, oldest first; the rest stay buffered.
    private func take(_ side: Int, upTo watermark: Int64) -> [(row: Row, time: Int64)] {
        if pending[side].isEmpty { return [] }
        var due: [(row: Row, time: Int64)] = []
        var later: [Row] = []
        let c = rowtime[side]
        for r in pending[side] {
            let t = r[c].rowtimeMicros
            if t <= watermark {
                due.append((r, t))
                pendingBytes -= StreamJoinRow.estimatedBytes(r)
            } else {
                later.append(r)
            }
        }
        pending[side] = later
        due.sort { $0.time < $1.time }
        return due
    }

    private func process(_ x: Row, time tx: Int64, side: Int) throws {
        let other = 1 - side
        var hasKey = false
        if keyed {
            do { hasKey = try StreamJoinRow.key(x, side == 0 ? row.leftKeys : row.rightKeys, into: &key) } catch {
                guard let onRowError else { throw error }
                onRowError(side == 0 ? row.errorRow(x, row.nullRight, rowtime: tx) : row.errorRow(row.nullLeft, x, rowtime: tx), error)
            }
        }
        var matched = false
        if !keyed {
            var k = state[other].head
            while k < state[other].rows.count {
                try probe(x, tx, side, k, &matched)
                k += 1
            }
        } else if hasKey, let (positions, base) = state[other].candidates(key) {
            for p in positions { try probe(x, tx, side, p - base, &matched) }
        }
        state[side].append(x, time: tx, key: keyed && hasKey ? key : nil, matched: matched)
    }

    @inline(__always)
    private func probe(_ x: Row, _ tx: Int64, _ side: Int, _ k: Int, _ matched: inout Bool) throws {
        let other = 1 - side
        let ty = state[other].times[k]
        // The older row must lie within the window of its own side, looking back from the newer one.
        let inWindow = tx >= ty ? tx - ty <= window[other] : ty - tx <= window[side]
        guard inWindow else { return }
        let y = state[other].rows[k]
        let pair: Row?
        do { pair = try (side == 0 ? row.pair(x, y) : row.pair(y, x)) } catch {
            guard let onRowError else { throw error }
            onRowError(side == 0 ? row.errorRow(x, y, rowtime: max(tx, ty)) : row.errorRow(y, x, rowtime: max(tx, ty)), error)
            return
        }
        guard var joined = pair else { return }
        matched = true
        state[other].markMatched(k)
        try row.finish(&joined, rowtime: max(tx, ty))
        out.append(joined)
    }

    /// Drop retained rows no row at or after `time` can pair with (ROWTIME + window < time);
    /// outer sides emit those that never matched.
    private func evict(before time: Int64) throws {
        for side in 0..<2 {
            while let t = state[side].oldestTime, t &+ window[side] < time {
                let (r, t0, m) = state[side].removeOldest()
                if preserve[side] && !m {
                    var joined = side == 0 ? r + row.nullRight : row.nullLeft + r
                    try row.finish(&joined, rowtime: t0 &+ window[side])
                    out.append(joined)
                }
            }
        }
    }
}
