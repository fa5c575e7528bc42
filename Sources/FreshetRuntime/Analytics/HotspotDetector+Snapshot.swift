import FreshetCore

extension HotspotDetector {
    /// The ring of recent points (as it lies, so the scan visits them in the same
    /// order), how many it holds and where the next goes. The cell counts are not
    /// written: `restore` recounts them from the points.
    func snapshot(into w: inout StateWriter) {
        w.doubles(window)
        w.int(count)
        w.int(next)
    }

    mutating func restore(from r: inout StateReader) throws {
        let restored = try r.doubles()
        let count = try r.int(), next = try r.int()
        guard restored.count == window.count, (0...parameters.windowSize).contains(count),
              (0..<parameters.windowSize).contains(next) else { throw r.corrupt() }
        window = restored
        self.count = count
        self.next = next
        recount()
    }
}
