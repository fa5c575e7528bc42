import FreshetCore
import FreshetPlanner

/// GROUP BY over a bounded input: one accumulator set per distinct key,
/// emitted (keys ++ aggregate results) at finish. Without keys there is
/// exactly one group, also for empty input (SELECT count(*) → 0).
final class HashAggregateOperator: RowSink {
    let keys: [CompiledExpression]
    let arguments: [CompiledExpression?]
    let calls: [AggregateCall]
    let next: RowSink
    var groups: [[Value]: Int] = [:]
    var groupKeys: [[Value]] = []
    var states: [[Accumulator]] = []

    init(keys: [CompiledExpression], calls: [AggregateCall], arguments: [CompiledExpression?], next: RowSink) {
        self.keys = keys
        self.calls = calls
        self.arguments = arguments
        self.next = next
    }

    func push(_ rows: [Row]) throws {
        for r in rows {
            var key: [Value] = []
            key.reserveCapacity(keys.count)
            for k in keys { key.append(try k(r)) }
            let g: Int
            if let existing = groups[key] { g = existing } else {
                g = groupKeys.count
                groups[key] = g
                groupKeys.append(key)
                states.append(calls.map { Accumulator($0) })
            }
            for i in calls.indices {
                let v = try arguments[i].map { try $0(r) } ?? .null
                try states[g][i].add(v)
            }
        }
    }

    func finish() throws {
        if keys.isEmpty && groupKeys.isEmpty {
            groupKeys.append([])
            states.append(calls.map { Accumulator($0) })
        }
        var out: [Row] = []
        out.reserveCapacity(groupKeys.count)
        for (g, key) in groupKeys.enumerated() {
            var row = key
            for (i, s) in states[g].enumerated() { row.append(try s.result(inputType: calls[i].argument?.type)) }
            out.append(row)
        }
        if !out.isEmpty { try next.push(out) }
        try next.finish()
    }
}
