import FreshetCore
import FreshetPlanner

/// Tumbling-window aggregation for continuous queries (GROUP BY …,
/// STEP(ROWTIME BY …) / FLOOR(ROWTIME TO …)): rows are added to the
/// accumulators of their (window, group); when the stream's time passes a
/// window's end (`advance(to:)`), the window's groups are emitted — keys
/// then aggregate results, one row per group, in key order of first
/// arrival — and its state is dropped. State is bounded by the open windows.
final class TumblingWindowOperator {
    let keys: [CompiledExpression]
    let windowKey: Int
    let size: Int64
    let calls: [AggregateCall]
    let arguments: [CompiledExpression?]
    let next: RowSink

    /// The group keys besides the window's (evaluated per row for the group lookup).
    let groupKeys: [CompiledExpression]
    /// How each call's accumulator is updated per row (in place for COUNT(*) and for
    /// COUNT/SUM/AVG of a numeric column, see AggregateUpdate).
    let updates: [AggregateUpdate]

    struct Window {
        /// The groups by the keys besides the window's (the window is the same for all
        /// its groups), numbered in order of first arrival; no allocation per row.
        var groups: GroupTable
        /// The accumulators of all groups, flat: group g's call i is at g * calls.count + i
        /// (one array, not one per group, so a row updates its group in place).
        var states: [Accumulator] = []
        init(width: Int) { groups = GroupTable(width: width) }
    }
    var open: [Int64: Window] = [:]
    /// The current run's rows whose accumulators are still to be updated (reused).
    private var pending = PendingUpdates()
    /// Windows ending at or before this have been emitted.
    var closedThrough: Int64 = .min
    /// Rows that arrived for an already closed window (should not happen: ROWTIME is monotonic).
    var lateRows = 0
    /// Receives each such row (never dropped silently).
    var onLateRow: LateRowHandler?

    init(keys: [CompiledExpression], windowKey: Int, size: Int64, calls: [AggregateCall], arguments: [CompiledExpression?], next: RowSink) {
        self.keys = keys
        self.windowKey = windowKey
        self.size = size
        self.calls = calls
        self.arguments = arguments
        self.next = next
        groupKeys = keys.indices.filter { $0 != windowKey }.map { keys[$0] }
        updates = zip(calls, arguments).map { AggregateUpdate($0, argument: $1) }
    }

    /// The end of the earliest open window (when the next emission is due).
    var nextWindowEnd: Int64? { open.keys.min().map { $0 + size } }

    /// A group's full key in GROUP BY order: its keys with the window's value inserted
    /// (with room for the aggregate results that follow in an output row).
    func fullKey(_ w: Window, group g: Int, start: Int64) -> [Value] {
        var key: [Value] = []
        key.reserveCapacity(keys.count + calls.count)
        key.append(contentsOf: w.groups.key(g))
        key.insert(.timestamp(start), at: windowKey)
        return key
    }

    /// Rows arrive in ROWTIME order, so consecutive rows mostly fall in the same
    /// window: that window is taken out of `open` once per run of rows, not per row
    /// (and put back, also when a row throws). Within a run the groups are found row by
    /// row and the accumulators updated when the run ends (PendingUpdates). After a
    /// throw the state is not defined (a pump rebuilds it; a live query ends).
    func push(_ rows: [Row]) throws {
        let windowExpression = keys[windowKey]
        let singleKey = groupKeys.count == 1 ? groupKeys[0] : nil
        let width = groupKeys.count
        var currentStart: Int64? = nil
        var w = Window(width: width)
        defer { if let start = currentStart { open[start] = w } }
        var key: [Value] = []
        key.reserveCapacity(width)
        pending.clear()
        for (index, r) in rows.enumerated() {
            let windowValue = try windowExpression(r)
            let one: Value
            if let singleKey {
                one = try singleKey(r)
            } else {
                one = .null
                key.removeAll(keepingCapacity: true)
                for k in groupKeys { key.append(try k(r)) }
            }
            guard case .timestamp(let start) = windowValue else { continue }   // NULL ROWTIME cannot happen
            if start &+ size <= closedThrough {
                lateRows += 1
                onLateRow?(r, closedThrough, "its ROWTIME is behind the stream's time: its window has already closed")
                continue
            }
            if start != currentStart {
                if let previous = currentStart {
                    try pending.apply(rows, updates: updates, to: &w.states)
                    open[previous] = w
                }
                w = open.removeValue(forKey: start) ?? Window(width: width)
                currentStart = start
            }
            let (g, inserted) = singleKey != nil ? w.groups.group(of: one) : w.groups.group(of: key)
            if inserted { for c in calls { w.states.append(Accumulator(c)) } }
            pending.add(row: index, group: g)
        }
        try pending.apply(rows, updates: updates, to: &w.states)
    }

    /// Emit and drop every window that ends at or before `watermark`.
    func advance(to watermark: Int64) throws {
        let due = open.keys.filter { $0 &+ size <= watermark }.sorted()
        for start in due {
            let w = open.removeValue(forKey: start)!
            var out: [Row] = []
            out.reserveCapacity(w.groups.count)
            for g in 0..<w.groups.count {
                var row = fullKey(w, group: g, start: start)
                for i in calls.indices {
                    row.append(try w.states[g * calls.count + i].result(inputType: calls[i].argument?.type))
                }
                out.append(row)
            }
            if !out.isEmpty { try next.push(out) }
        }
        closedThrough = max(closedThrough, TimeWindows.floor(watermark, size))
    }
}
