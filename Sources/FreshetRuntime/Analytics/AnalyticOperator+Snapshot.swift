import FreshetCore

extension AnalyticOperator {
    /// The model of the function the operator runs (one of forest, hotspots, topK, distinct).
    func snapshot(into w: inout StateWriter) {
        if let forest { forest.snapshot(into: &w) }
        if let hotspots { hotspots.snapshot(into: &w) }
        topK?.snapshot(into: &w) { c, w in c.snapshot(into: &w) }
        distinct?.snapshot(into: &w) { c, w in c.snapshot(into: &w) }
    }

    /// Replace the model with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        try forest?.restore(from: &r)
        try hotspots?.restore(from: &r)
        if case let .topKItems(_, k, _) = plan.function {
            let capacity = max(1000, 4 * k)
            try topK?.restore(from: &r) { r in
                var c = SpaceSavingCounter(capacity: capacity)
                try c.restore(from: &r)
                return c
            }
        }
        try distinct?.restore(from: &r) { r in
            var c = DistinctCounter()
            try c.restore(from: &r)
            return c
        }
    }

    /// Bytes held by the model (an estimate for sys.pumps).
    var stateBytes: Int {
        var n = 0
        if let f = forest {
            for t in f.trees.indices {
                n += f.trees[t].left.count * (20 + 16 * f.dimensions)
                n += f.samplers[t].heap.count * (12 + 8 * f.dimensions)
            }
        }
        if let h = hotspots { n += h.window.count * 8 }
        if let t = topK { for c in t.counters { n += c.items.count * (MemoryLayout<Value>.stride * 2 + 40) } }
        if let d = distinct { for c in d.counters { n += c.exact.count * MemoryLayout<Value>.stride * 2 + c.registers.count } }
        return n
    }
}
