import FreshetCore

extension GroupWindowOperator {
    /// The whole `State`: the watermark, the largest event time seen (so a restored
    /// event-time window goes on from the same watermark), the late-row count; the
    /// tumbling/hopping windows by start (groups in first-arrival order, which is the
    /// output order); the session slots as they are (slot numbers order the output of
    /// sessions that end together), free slots in their order.
    func snapshot(into w: inout StateWriter) {
        let s = state
        w.i64(s.watermark)
        w.i64(s.maxEventTime)
        w.i64(s.lateRows)
        w.bool(s.earliestSessionEnd != nil)
        w.i64(s.earliestSessionEnd ?? 0)
        let starts = s.open.keys.sorted()
        w.u32(UInt32(starts.count))
        for start in starts {
            let win = s.open[start]!
            w.i64(start)
            w.u32(UInt32(win.groups.count))
            for g in 0..<win.groups.count {
                w.values(fullKey(win.groups.key(g)))
                for i in 0..<calls.count { win.states[g * calls.count + i].snapshot(into: &w) }
            }
        }
        w.u32(UInt32(s.sessionKeys.count))
        for slot in s.sessionKeys.indices {
            w.values(s.sessionKeys[slot])
            w.u32(UInt32(s.sessions[slot].count))
            for session in s.sessions[slot] {
                w.i64(session.start)
                w.i64(session.end)
                for a in session.states { a.snapshot(into: &w) }
            }
        }
        w.u32(UInt32(s.freeSlots.count))
        for f in s.freeSlots { w.u32(UInt32(f)) }
    }

    /// Replace the state with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        var s = State()
        s.watermark = try r.i64()
        s.maxEventTime = try r.i64()
        s.lateRows = try r.i64()
        let hasEnd = try r.bool()
        let end = try r.i64()
        s.earliestSessionEnd = hasEnd ? end : nil
        for _ in 0..<Int(try r.u32()) {
            let start = try r.i64()
            var win = Window(width: groupKeys.count)
            for _ in 0..<Int(try r.u32()) {
                let key = try r.values()
                guard key.count == keys.count, win.groups.group(of: groupKeyPositions.map { key[$0] }).inserted else { throw r.corrupt() }
                win.states.append(contentsOf: try restoredStates(&r))
            }
            s.open[start] = win
        }
        let slots = Int(try r.u32())
        for _ in 0..<slots {
            s.sessionKeys.append(try r.values())
            var list: [Session] = []
            for _ in 0..<Int(try r.u32()) {
                let start = try r.i64(), end = try r.i64()
                list.append(Session(start: start, end: end, states: try restoredStates(&r)))
            }
            s.sessions.append(list)
        }
        for _ in 0..<Int(try r.u32()) {
            let f = Int(try r.u32())
            guard f < slots else { throw r.corrupt() }
            s.freeSlots.append(f)
        }
        let free = Set(s.freeSlots)
        for slot in 0..<slots where !free.contains(slot) { s.sessionIndex[s.sessionKeys[slot]] = slot }
        state = s
    }

    private func restoredStates(_ r: inout StateReader) throws -> [Accumulator] {
        var states = calls.map { Accumulator($0) }
        for i in states.indices { try states[i].restore(from: &r) }
        return states
    }

    /// Bytes held by the open windows and sessions (an estimate for sys.pumps).
    var stateBytes: Int {
        let group = calls.count * MemoryLayout<Accumulator>.stride + keys.count * MemoryLayout<Value>.stride + 16
        var n = 0
        for w in state.open.values { n += w.groups.count * group }
        for list in state.sessions { n += list.count * (group + 16) }
        return n
    }
}
