import FreshetCore
import FreshetPlanner

/// Kinesis Data Analytics stagger windows (`WINDOWED BY STAGGER (PARTITION BY …
/// RANGE INTERVAL …)`): a partition key's window opens with the key's first row,
/// at that row's ROWTIME `t`, and holds the key's rows with ROWTIME in
/// [t, t + range). When the stream's time reaches `t + range` the window emits one
/// row — partition keys, then aggregate results; its ROWTIME is `t + range` — and
/// the key's next row opens a new window.
///
/// All windows are equally long, so they close in the order they opened: a FIFO
/// of (key, opening time) finds the due ones without scanning. State is the open
/// windows only.
final class StaggerWindowOperator {
    let keys: [CompiledExpression]
    let range: Int64
    let rowtimeIndex: Int
    let calls: [AggregateCall]
    let arguments: [CompiledExpression?]
    let next: RowSink

    struct Window {
        var opened: Int64
        var states: [Accumulator]
    }
    /// All the state, as plain values.
    struct State {
        var open: [[Value]: Window] = [:]
        /// Windows in opening order (entries whose window was already emitted are skipped).
        var order: [(key: [Value], opened: Int64)] = []
        var orderHead = 0
        var watermark: Int64 = .min
    }
    var state = State()
    private var scratch: [Value] = []

    init(keys: [CompiledExpression], plan: StaggerWindowPlan, calls: [AggregateCall], arguments: [CompiledExpression?], next: RowSink) {
        self.keys = keys
        self.range = plan.rangeMicros
        self.rowtimeIndex = plan.rowtimeIndex
        self.calls = calls
        self.arguments = arguments
        self.next = next
    }

    /// When the earliest open window closes.
    var nextWindowEnd: Int64? {
        var i = state.orderHead
        while i < state.order.count {
            let e = state.order[i]
            if state.open[e.key]?.opened == e.opened { return e.opened &+ range }
            i += 1
        }
        return nil
    }

    func push(_ rows: [Row]) throws {
        var out: [Row] = []
        for r in rows {
            guard case .timestamp(let t) = r[rowtimeIndex] else { continue }   // ROWTIME is never NULL
            scratch.removeAll(keepingCapacity: true)   // reused: a row allocates only when it opens a window
            for k in keys { scratch.append(try k(r)) }
            let key = scratch
            if let opened = state.open[key]?.opened {
                if t >= opened &+ range {
                    // The key's window ended before this row (its close is due): emit it, open a new one.
                    out.append(try outputRow(key, state.open.removeValue(forKey: key)!))
                    state.open[key] = Window(opened: t, states: calls.map { Accumulator($0) })
                    state.order.append((key, t))
                }
            } else {
                state.open[key] = Window(opened: t, states: calls.map { Accumulator($0) })
                state.order.append((key, t))
            }
            // Updated in place: the dictionary keeps its key, the row's key buffer is reused.
            for i in calls.indices { try state.open[key]!.states[i].add(try arguments[i].map { try $0(r) } ?? .null) }
        }
        if !out.isEmpty { try next.push(out) }
    }

    /// The stream's time reached `watermark`: emit every window that closes by then.
    func advance(to watermark: Int64) throws {
        guard watermark > state.watermark else { return }
        state.watermark = watermark
        var out: [Row] = []
        while state.orderHead < state.order.count {
            let e = state.order[state.orderHead]
            guard e.opened &+ range <= watermark else { break }
            state.orderHead += 1
            if let w = state.open[e.key], w.opened == e.opened {
                state.open.removeValue(forKey: e.key)
                out.append(try outputRow(e.key, w))
            }
        }
        if state.orderHead > 1024 && state.orderHead * 2 > state.order.count {
            state.order.removeFirst(state.orderHead)
            state.orderHead = 0
        }
        if !out.isEmpty { try next.push(out) }
    }

    private func outputRow(_ key: [Value], _ w: Window) throws -> Row {
        var row = key
        row.reserveCapacity(key.count + w.states.count)
        for (i, s) in w.states.enumerated() { row.append(try s.result(inputType: calls[i].argument?.type)) }
        return row
    }
}

/// Adapts the stagger operator to the RowSink chain.
final class StaggerWindowInput: RowSink {
    let window: StaggerWindowOperator
    init(_ w: StaggerWindowOperator) { window = w }
    func push(_ rows: [Row]) throws { try window.push(rows) }
    func finish() throws {}
}
