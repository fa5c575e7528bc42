import FreshetCore

extension TumblingItemWindows {
    /// The open windows (start, then the counter `counter` writes), `closedThrough` and the late-row count.
    func snapshot(into w: inout StateWriter, counter: (Counter, inout StateWriter) -> Void) {
        w.i64(closedThrough)
        w.i64(lateRows)
        w.u32(UInt32(starts.count))
        for (i, start) in starts.enumerated() {
            w.i64(start)
            counter(counters[i], &w)
        }
    }

    mutating func restore(from r: inout StateReader, counter: (inout StateReader) throws -> Counter) throws {
        closedThrough = try r.i64()
        lateRows = try r.i64()
        starts = []
        counters = []
        for _ in 0..<Int(try r.u32()) {
            let start = try r.i64()
            guard starts.last.map({ $0 < start }) ?? true else { throw r.corrupt() }
            starts.append(start)
            counters.append(try counter(&r))
        }
    }
}
