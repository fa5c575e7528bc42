import FreshetCore

extension RandomCutTree {
    /// The node arrays as they are (free nodes included, so later allocations reuse
    /// the same slots), the root and the generator's state: a restored tree draws
    /// the same cuts and scores bit-for-bit as the original. About
    /// 20 + 16 × dimensions bytes per node, at most 2 × sample − 1 nodes.
    func snapshot(into w: inout StateWriter) {
        w.int32s(left)
        w.int32s(right)
        w.int32s(parent)
        w.int32s(cutDimension)
        w.doubles(cutValue)
        w.int32s(mass)
        w.doubles(low)
        w.doubles(high)
        w.int32s(freeNodes)
        w.u32(UInt32(bitPattern: root))
        w.u64(random.state)
    }

    mutating func restore(from r: inout StateReader) throws {
        left = try r.int32s()
        right = try r.int32s()
        parent = try r.int32s()
        cutDimension = try r.int32s()
        cutValue = try r.doubles()
        mass = try r.int32s()
        low = try r.doubles()
        high = try r.doubles()
        freeNodes = try r.int32s()
        root = Int32(bitPattern: try r.u32())
        random = AnalyticRandom(seed: try r.u64())
        let n = left.count
        guard right.count == n, parent.count == n, cutDimension.count == n, cutValue.count == n, mass.count == n,
              low.count == n * dimensions, high.count == n * dimensions, root < Int32(n),
              left.allSatisfy({ $0 < Int32(n) }), right.allSatisfy({ $0 < Int32(n) }), parent.allSatisfy({ $0 < Int32(n) }),
              cutDimension.allSatisfy({ $0 < Int32(dimensions) }), freeNodes.allSatisfy({ $0 >= 0 && $0 < Int32(n) })
        else { throw r.corrupt() }
    }
}
