import FreshetCore

extension SlidingWindowOperator {
    /// Every window's partitions (see `Window.snapshot`).
    func snapshot(into w: inout StateWriter) {
        w.u32(UInt32(windows.count))
        for window in windows { window.snapshot(into: &w) }
        snapshotEventTime(into: &w)
    }

    /// Replace the state with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        guard Int(try r.u32()) == windows.count else { throw r.corrupt() }
        for window in windows { try window.restore(from: &r) }
        try restoreEventTime(from: &r)
    }

    /// Bytes held by the windows' rows and aggregates, and rows waiting for the event-time
    /// watermark (an estimate for sys.pumps).
    var stateBytes: Int {
        pending.reduce(0) { $0 + 16 + $1.count * MemoryLayout<Value>.stride } + windows.reduce(0) { total, w in
            total + w.storedRows * (8 + w.stride * MemoryLayout<Value>.stride)
                + w.liveCount * (w.calls.count * MemoryLayout<SlidingAggregate>.stride + w.keys.count * MemoryLayout<Value>.stride + 64)
        }
    }
}

extension SlidingWindowOperator.Window {
    /// The live partitions in key order (not slot order: slots depend on the history of
    /// drops and reuse, which the output does not), each with its rows (ROWTIME and
    /// stored arguments, oldest first), sequence counter, newest time and aggregates;
    /// then the time of the last sweep.
    func snapshot(into w: inout StateWriter) {
        let live = partitions.indices.filter { partitions[$0].isLive }
        let order = StateKeyOrder.sortedIndices(live.map { partitions[$0].key })
        w.u32(UInt32(live.count))
        for o in order {
            let p = partitions[live[o]]
            w.values(p.key)
            w.i64(p.nextSequence)
            w.i64(p.newest)
            w.u32(UInt32(p.times.count))
            for i in 0..<p.times.count { w.i64(p.times[i]) }
            for i in 0..<p.values.count { w.value(p.values[i]) }
            for a in p.aggregates { a.snapshot(into: &w) }
        }
        w.i64(lastSweep)
    }

    func restore(from r: inout StateReader) throws {
        partitions = []
        free = []
        bySingleKey = [:]
        byKeys = [:]
        let n = Int(try r.u32())
        for _ in 0..<n {
            let key = try r.values()
            guard key.count == keys.count else { throw r.corrupt() }
            var p = SlidingWindowPartition(key: key, calls: calls)
            p.nextSequence = try r.i64()
            p.newest = try r.i64()
            let rows = Int(try r.u32())
            for _ in 0..<rows { p.times.append(try r.i64()) }
            for _ in 0..<(rows * stride) { p.values.append(try r.value()) }
            for i in p.aggregates.indices { try p.aggregates[i].restore(from: &r) }
            let slot = partitions.count
            partitions.append(p)
            if keys.count == 1 { bySingleKey[key[0]] = slot } else if keys.count > 1 { byKeys[key] = slot }
        }
        if keys.isEmpty && partitions.count > 1 { throw r.corrupt() }
        lastSweep = try r.i64()
    }
}

extension SlidingWindowOperator {
    /// Version of the event-time section below (written only for event-time windows, after
    /// the windows, so the snapshot of a ROWTIME window is what it always was).
    static let eventTimeStateVersion: UInt8 = 1

    /// Event time: the watermark, the late-row count and the rows waiting for the watermark
    /// (in arrival order).
    func snapshotEventTime(into w: inout StateWriter) {
        guard eventTime != nil else { return }
        w.u8(Self.eventTimeStateVersion)
        w.i64(watermark)
        w.i64(lateRows)
        w.u32(UInt32(pending.count))
        for row in pending { w.values(row) }
    }

    func restoreEventTime(from r: inout StateReader) throws {
        guard let eventTime else { return }
        guard try r.u8() == Self.eventTimeStateVersion else { throw r.corrupt() }
        watermark = try r.i64()
        lateRows = try r.i64()
        var rows: [Row] = []
        for _ in 0..<Int(try r.u32()) {
            let row = try r.values()
            guard eventTime.column < row.count else { throw r.corrupt() }
            rows.append(row)
        }
        pending = rows
    }
}
