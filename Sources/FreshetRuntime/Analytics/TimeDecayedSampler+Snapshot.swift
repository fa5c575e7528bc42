import FreshetCore

extension TimeDecayedSampler {
    /// The heap of slots, each slot's priority and point, and the generator's state.
    func snapshot(into w: inout StateWriter) {
        w.int32s(heap)
        w.doubles(priority)
        w.doubles(points)
        w.u64(random.state)
    }

    mutating func restore(from r: inout StateReader) throws {
        heap = try r.int32s()
        priority = try r.doubles()
        points = try r.doubles()
        random = AnalyticRandom(seed: try r.u64())
        guard heap.count <= capacity, priority.count == heap.count, points.count == heap.count * dimensions,
              heap.allSatisfy({ $0 >= 0 && Int($0) < heap.count }) else { throw r.corrupt() }
    }
}
