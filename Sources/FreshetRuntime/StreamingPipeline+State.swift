import FreshetCore

extension StreamingPipeline {
    /// Whether `snapshot()` captures all of this pipeline's state, so a pump can
    /// checkpoint it. Every operator of a continuous query over one stream is snapshotted:
    /// filters and projections hold none; LIMIT/OFFSET counters, tumbling, sliding,
    /// event-time, hopping, session and stagger windows, streaming ORDER BY and the analytic
    /// table functions (RANDOM_CUT_FOREST, HOTSPOTS, TOP_K_ITEMS_TUMBLING,
    /// COUNT_DISTINCT_ITEMS_TUMBLING) and the join of two streams (its buffered and
    /// retained rows) write their state; a stream–table join holds none (it reads the table).
    public var supportsSnapshot: Bool { true }

    /// The snapshot format's version (the first byte). Version 1 held LIMIT/OFFSET and
    /// the tumbling window only; version 2 appends the other operators, each behind
    /// a presence flag; version 3 appends the join of two streams (behind a flag).
    /// Restoring reads all three.
    static let stateVersion: UInt8 = 3

    /// The operator state as bytes (format: StateWriter; one version byte first).
    /// Deterministic: equal state gives equal bytes (hash maps are written in key
    /// order), so a replayed batch writes the checkpoint it wrote the first time.
    public func snapshot() -> [UInt8] {
        var w = StateWriter()
        w.u8(Self.stateVersion)
        w.i64(limit.toSkip)
        w.bool(limit.remaining != nil)
        w.i64(limit.remaining ?? 0)
        w.bool(window != nil)
        window?.snapshot(into: &w)
        w.bool(sliding != nil)
        sliding?.snapshot(into: &w)
        w.bool(groupWindow != nil)
        groupWindow?.snapshot(into: &w)
        w.bool(stagger != nil)
        stagger?.snapshot(into: &w)
        w.bool(sort != nil)
        sort?.snapshot(into: &w)
        w.bool(analytic != nil)
        analytic?.snapshot(into: &w)
        w.bool(streamJoin != nil)
        streamJoin?.snapshot(into: &w)
        return w.bytes
    }

    /// Restore what `snapshot()` returned, on a pipeline built from the same plan.
    public func restore(_ bytes: [UInt8]) throws {
        var r = StateReader(bytes)
        let version = try r.u8()
        guard (1...3).contains(version) else { throw r.corrupt() }
        limit.toSkip = try r.i64()
        let limited = try r.bool()
        let remaining = try r.i64()
        limit.remaining = limited ? remaining : nil
        guard try r.bool() == (window != nil) else { throw r.corrupt() }
        try window?.restore(from: &r)
        if version >= 2 {
            guard try r.bool() == (sliding != nil) else { throw r.corrupt() }
            try sliding?.restore(from: &r)
            guard try r.bool() == (groupWindow != nil) else { throw r.corrupt() }
            try groupWindow?.restore(from: &r)
            guard try r.bool() == (stagger != nil) else { throw r.corrupt() }
            try stagger?.restore(from: &r)
            guard try r.bool() == (sort != nil) else { throw r.corrupt() }
            try sort?.restore(from: &r)
            guard try r.bool() == (analytic != nil) else { throw r.corrupt() }
            try analytic?.restore(from: &r)
            if version >= 3 {
                guard try r.bool() == (streamJoin != nil) else { throw r.corrupt() }
                try streamJoin?.restore(from: &r)
            } else if streamJoin != nil {
                throw r.corrupt()
            }
        } else if sliding != nil || groupWindow != nil || stagger != nil || sort != nil || analytic != nil || streamJoin != nil {
            throw r.corrupt()
        }
        guard r.isAtEnd else { throw r.corrupt() }
    }

    /// Bytes of operator state held (an estimate, for sys.pumps).
    public var stateBytes: Int {
        (window?.stateBytes ?? 0) + (sliding?.stateBytes ?? 0) + (groupWindow?.stateBytes ?? 0) + (stagger?.stateBytes ?? 0)
            + (sort?.stateBytes ?? 0) + (analytic?.stateBytes ?? 0) + (streamJoin?.stateBytes ?? 0)
    }
}
