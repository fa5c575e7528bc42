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
    /// Whether call i is COUNT(*) (counted in place, no argument, no Value).
    let isCountStar: [Bool]

    struct Window {
        /// Group index by the keys besides the window's (the window is the same for all
        /// its groups): by the single Value when there is one such key (no array per
        /// row, no array comparison), else by the array of them.
        var single: [Value: Int] = [:]
        var multi: [[Value]: Int] = [:]
        /// Each group's full key (window included, in GROUP BY order), in order of first arrival.
        var keys: [[Value]] = []
        /// The accumulators of all groups, flat: group g's call i is at g * calls.count + i
        /// (one array, not one per group, so a row updates its group in place).
        var states: [Accumulator] = []
    }
    var open: [Int64: Window] = [:]
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
        isCountStar = calls.map { $0.function == .countStar }
    }

    /// The end of the earliest open window (when the next emission is due).
    var nextWindowEnd: Int64? { open.keys.min().map { $0 + size } }

    /// Rows arrive in ROWTIME order, so consecutive rows mostly fall in the same
    /// window: that window is taken out of `open` once per run of rows, not per row
    /// (and put back, also when a row throws).
    func push(_ rows: [Row]) throws {
        let callCount = calls.count
        let windowExpression = keys[windowKey]
        let singleKey = groupKeys.count == 1 ? groupKeys[0] : nil
        var currentStart: Int64? = nil
        var w = Window()
        defer { if let start = currentStart { open[start] = w } }
        var key: [Value] = []
        key.reserveCapacity(groupKeys.count)
        for r in rows {
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
                if let previous = currentStart { open[previous] = w }
                w = open.removeValue(forKey: start) ?? Window()
                currentStart = start
            }
            let found = singleKey != nil ? w.single[one] : w.multi[key]
            let g: Int
            if let found { g = found } else {
                g = w.keys.count
                var full = singleKey != nil ? [one] : key
                full.insert(windowValue, at: windowKey)
                if singleKey != nil { w.single[one] = g } else { w.multi[key] = g }
                w.keys.append(full)
                for c in calls { w.states.append(Accumulator(c)) }
            }
            let base = g * callCount
            for i in 0..<callCount {
                if isCountStar[i] {
                    w.states[base + i].count += 1
                } else {
                    try w.states[base + i].add(try arguments[i].map { try $0(r) } ?? .null)
                }
            }
        }
    }

    /// Emit and drop every window that ends at or before `watermark`.
    func advance(to watermark: Int64) throws {
        let due = open.keys.filter { $0 &+ size <= watermark }.sorted()
        for start in due {
            let w = open.removeValue(forKey: start)!
            var out: [Row] = []
            out.reserveCapacity(w.keys.count)
            for (g, key) in w.keys.enumerated() {
                var row = key
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
