import FreshetCore

extension StaggerWindowOperator {
    /// The watermark and the open windows in opening order (the order they close
    /// in), each with its key, opening time and accumulators. Entries of the FIFO
    /// whose window was already emitted are left out.
    func snapshot(into w: inout StateWriter) {
        w.i64(state.watermark)
        let live = state.order[state.orderHead...].filter { state.open[$0.key]?.opened == $0.opened }
        w.u32(UInt32(live.count))
        for e in live {
            w.values(e.key)
            w.i64(e.opened)
            for a in state.open[e.key]!.states { a.snapshot(into: &w) }
        }
    }

    /// Replace the state with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        var s = State()
        s.watermark = try r.i64()
        for _ in 0..<Int(try r.u32()) {
            let key = try r.values()
            let opened = try r.i64()
            var states = calls.map { Accumulator($0) }
            for i in states.indices { try states[i].restore(from: &r) }
            guard s.open[key] == nil else { throw r.corrupt() }
            s.open[key] = Window(opened: opened, states: states)
            s.order.append((key, opened))
        }
        state = s
    }

    /// Bytes held by the open windows (an estimate for sys.pumps).
    var stateBytes: Int {
        state.open.count * (calls.count * MemoryLayout<Accumulator>.stride + keys.count * MemoryLayout<Value>.stride + 48)
    }
}
