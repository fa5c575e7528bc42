import FreshetCore

extension RandomCutForest {
    /// The shingle, the point count, then per tree its sample and its nodes
    /// (RandomCutTree/TimeDecayedSampler). Both generators' states are included, so
    /// a restored forest scores every later row exactly as the original would.
    /// About trees × (sample × (44 + 16 × dimensions)) bytes (nodes, leaf points and the
    /// sample): 1.95 MB for the defaults (100 trees, sample 256) over two columns.
    func snapshot(into w: inout StateWriter) {
        w.doubles(shingle)
        w.int(rowsInShingle)
        w.i64(points)
        w.u32(UInt32(trees.count))
        for t in trees.indices {
            samplers[t].snapshot(into: &w)
            trees[t].snapshot(into: &w)
        }
    }

    mutating func restore(from r: inout StateReader) throws {
        let restoredShingle = try r.doubles()
        guard restoredShingle.count == dimensions else { throw r.corrupt() }
        shingle = restoredShingle
        rowsInShingle = try r.int()
        points = try r.i64()
        guard Int(try r.u32()) == trees.count else { throw r.corrupt() }
        for t in trees.indices {
            try samplers[t].restore(from: &r)
            try trees[t].restore(from: &r)
        }
    }
}
