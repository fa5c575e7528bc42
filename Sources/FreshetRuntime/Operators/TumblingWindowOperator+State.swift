import FreshetCore

extension TumblingWindowOperator {
    /// The open windows (start, then each group's key and accumulators, groups in
    /// first-arrival order), `closedThrough` and the late-row count.
    func snapshot(into w: inout StateWriter) {
        w.i64(closedThrough)
        w.int(lateRows)
        let starts = open.keys.sorted()
        w.u32(UInt32(starts.count))
        for s in starts {
            let win = open[s]!
            w.i64(s)
            w.u32(UInt32(win.groups.count))
            // About what a group takes (a short key, the accumulators), reserved at once.
            w.reserve(win.groups.count * (8 + keys.count * 16 + calls.count * 72))
            let width = win.groups.width
            for g in 0..<win.groups.count {
                // The full key as `values` writes it (count, then each value), the window's
                // value at its position, without building the key array.
                w.u32(UInt32(keys.count))
                for j in 0..<keys.count {
                    if j == windowKey { w.value(.timestamp(s)) } else { w.value(win.groups.keys[g * width + (j < windowKey ? j : j - 1)]) }
                }
                for i in 0..<calls.count { win.states[g * calls.count + i].snapshot(into: &w) }
            }
        }
    }

    /// Replace the state with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        closedThrough = try r.i64()
        lateRows = try r.int()
        var restored: [Int64: Window] = [:]
        let n = Int(try r.u32())
        for _ in 0..<n {
            let start = try r.i64()
            var win = Window(width: groupKeys.count)
            let groups = Int(try r.u32())
            for _ in 0..<groups {
                let key = try r.values()
                guard key.count == keys.count else { throw r.corrupt() }
                var states = calls.map { Accumulator($0) }
                for i in states.indices { try states[i].restore(from: &r) }
                // The group index is by the keys besides the window (see Window).
                var others = key
                others.remove(at: windowKey)
                guard win.groups.group(of: others).inserted else { throw r.corrupt() }
                win.states.append(contentsOf: states)
            }
            restored[start] = win
        }
        open = restored
    }

    /// Bytes held by the open windows' keys and accumulators (an estimate for sys.pumps).
    var stateBytes: Int {
        var n = 0
        // Per group: its accumulators, its full key and 16 bytes of bookkeeping (counted
        // per window, not per group: sys.pumps reads this after every step).
        let group = calls.count * MemoryLayout<Accumulator>.stride + keys.count * MemoryLayout<Value>.stride + 16
        for w in open.values { n += w.groups.count * group }
        return n
    }
}
