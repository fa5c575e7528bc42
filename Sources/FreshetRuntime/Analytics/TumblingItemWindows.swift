import FreshetCore

/// The open tumbling windows (over ROWTIME) of TOP_K_ITEMS_TUMBLING and
/// COUNT_DISTINCT_ITEMS_TUMBLING, each with its counter. A window [start, start + size)
/// closes when the stream's time (watermark) reaches its end, like a tumbling GROUP BY.
/// Only windows that received rows exist; ROWTIME grows, so usually one is open.
struct TumblingItemWindows<Counter: Sendable>: Sendable {
    let size: Int64
    var starts: [Int64] = []
    var counters: [Counter] = []
    /// Windows ending at or before this have been emitted.
    var closedThrough: Int64 = .min
    /// Rows whose window had already closed (ROWTIME is monotonic, so none are expected).
    var lateRows: Int64 = 0

    init(size: Int64) { self.size = size }

    /// The index of the window holding `rowtime`, opened with `make` if needed; nil for a late row.
    mutating func window(for rowtime: Int64, make: () -> Counter) -> Int? {
        let start = TimeWindows.floor(rowtime, size)
        if start &+ size <= closedThrough { lateRows += 1; return nil }
        if let last = starts.last, last == start { return starts.count - 1 }
        if let i = starts.firstIndex(of: start) { return i }
        let at = starts.firstIndex(where: { $0 > start }) ?? starts.count
        starts.insert(start, at: at)
        counters.insert(make(), at: at)
        return at
    }

    /// Remove and return the windows that end at or before `watermark`, oldest first.
    mutating func close(through watermark: Int64) -> [(end: Int64, counter: Counter)] {
        var out: [(end: Int64, counter: Counter)] = []
        while let first = starts.first, first &+ size <= watermark {
            out.append((first &+ size, counters.removeFirst()))
            starts.removeFirst()
        }
        closedThrough = max(closedThrough, TimeWindows.floor(watermark, size))
        return out
    }

    var nextWindowEnd: Int64? { starts.first.map { $0 &+ size } }
}
