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

    struct Window {
        var index: [[Value]: Int] = [:]
        var keys: [[Value]] = []
        var states: [[Accumulator]] = []
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
    }

    /// The end of the earliest open window (when the next emission is due).
    var nextWindowEnd: Int64? { open.keys.min().map { $0 + size } }

    func push(_ rows: [Row]) throws {
        for r in rows {
            var key: [Value] = []
            key.reserveCapacity(keys.count)
            for k in keys { key.append(try k(r)) }
            guard case .timestamp(let start) = key[windowKey] else { continue }   // NULL ROWTIME cannot happen
            if start &+ size <= closedThrough {
                lateRows += 1
                onLateRow?(r, closedThrough, "its ROWTIME is behind the stream's time: its window has already closed")
                continue
            }
            var w = open.removeValue(forKey: start) ?? Window()
            let g: Int
            if let existing = w.index[key] { g = existing } else {
                g = w.keys.count
                w.index[key] = g
                w.keys.append(key)
                w.states.append(calls.map { Accumulator($0) })
            }
            for i in calls.indices {
                try w.states[g][i].add(try arguments[i].map { try $0(r) } ?? .null)
            }
            open[start] = w
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
                for (i, s) in w.states[g].enumerated() { row.append(try s.result(inputType: calls[i].argument?.type)) }
                out.append(row)
            }
            if !out.isEmpty { try next.push(out) }
        }
        closedThrough = max(closedThrough, TimeWindows.floor(watermark, size))
    }
}
