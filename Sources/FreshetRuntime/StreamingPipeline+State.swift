import FreshetCore

extension StreamingPipeline {
    /// Whether `snapshot()` captures all of this pipeline's state, so a pump can
    /// checkpoint it: filter/project pipelines hold none, tumbling windows are
    /// snapshotted, as are LIMIT/OFFSET counters; sliding, event-time, hopping,
    /// session and stagger windows, streaming ORDER BY and joins of two streams are not (yet).
    public var supportsSnapshot: Bool { sliding == nil && groupWindow == nil && stagger == nil && sort == nil && streamJoin == nil }

    /// The operator state as bytes (format: StateWriter; one version byte first).
    public func snapshot() -> [UInt8] {
        var w = StateWriter()
        w.u8(1)
        w.i64(limit.toSkip)
        w.bool(limit.remaining != nil)
        w.i64(limit.remaining ?? 0)
        w.bool(window != nil)
        window?.snapshot(into: &w)
        return w.bytes
    }

    /// Restore what `snapshot()` returned, on a pipeline built from the same plan.
    public func restore(_ bytes: [UInt8]) throws {
        var r = StateReader(bytes)
        guard try r.u8() == 1 else { throw r.corrupt() }
        limit.toSkip = try r.i64()
        let limited = try r.bool()
        let remaining = try r.i64()
        limit.remaining = limited ? remaining : nil
        let hasWindow = try r.bool()
        guard hasWindow == (window != nil) else { throw r.corrupt() }
        try window?.restore(from: &r)
        guard r.isAtEnd else { throw r.corrupt() }
    }

    /// Bytes of window and stream–stream join state held (an estimate, for sys.pumps).
    public var stateBytes: Int { (window?.stateBytes ?? 0) + (streamJoin?.stateBytes ?? 0) }
}
