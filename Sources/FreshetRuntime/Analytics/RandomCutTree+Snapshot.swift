import FreshetCore

extension RandomCutTree {
    /// The tree without what can be recomputed exactly: per node in use its cut dimension,
    /// children and mass, inner nodes' cut values, leaves' points; the free list (in its
    /// order, so later allocations reuse the same slots), the root and the generator's
    /// state. Parents and inner nodes' bounding boxes are rebuilt on restore — a box is
    /// the min/max of its children's, exact for doubles (RandomCutForest turns −0 into
    /// +0, the one case where min and max depend on the order). Free slots are not
    /// written (nothing reads them before they are reused). A restored tree draws the
    /// same cuts and scores bit-for-bit as the original. About 16 bytes per node plus
    /// 8 × dimensions per leaf (the node arrays themselves hold 20 + 16 × dimensions).
    func snapshot(into w: inout StateWriter) {
        let n = left.count
        var free = [Bool](repeating: false, count: n)
        for f in freeNodes { free[Int(f)] = true }
        var cuts: [Int32] = [], lefts: [Int32] = [], rights: [Int32] = [], masses: [Int32] = []
        var values: [Double] = [], points: [Double] = []
        cuts.reserveCapacity(n); masses.reserveCapacity(n)
        for i in 0..<n where !free[i] {
            cuts.append(cutDimension[i])
            masses.append(mass[i])
            if cutDimension[i] >= 0 {
                lefts.append(left[i])
                rights.append(right[i])
                values.append(cutValue[i])
            } else {
                points.append(contentsOf: low[(i * dimensions)..<((i + 1) * dimensions)])
            }
        }
        w.u32(UInt32(n))
        w.int32s(freeNodes)
        w.u32(UInt32(bitPattern: root))
        w.u64(random.state)
        w.int32s(cuts)
        w.int32s(masses)
        w.int32s(lefts)
        w.int32s(rights)
        w.doubles(values)
        w.doubles(points)
    }

    mutating func restore(from r: inout StateReader) throws {
        let n = Int(try r.u32())
        let restoredFree = try r.int32s()
        let restoredRoot = Int32(bitPattern: try r.u32())
        let state = try r.u64()
        let cuts = try r.int32s(), masses = try r.int32s(), lefts = try r.int32s(), rights = try r.int32s()
        let values = try r.doubles(), points = try r.doubles()
        var free = [Bool](repeating: false, count: n)
        for f in restoredFree {
            guard f >= 0, Int(f) < n, !free[Int(f)] else { throw r.corrupt() }
            free[Int(f)] = true
        }
        let used = n - restoredFree.count
        let inner = lefts.count
        guard cuts.count == used, masses.count == used, rights.count == inner, values.count == inner,
              points.count == (used - inner) * dimensions, restoredRoot < Int32(n), (restoredRoot < 0) == (used == 0)
        else { throw r.corrupt() }
        var newLeft = [Int32](repeating: -1, count: n), newRight = [Int32](repeating: -1, count: n)
        var newParent = [Int32](repeating: -1, count: n), newCut = [Int32](repeating: -1, count: n)
        var newValue = [Double](repeating: 0, count: n), newMass = [Int32](repeating: 0, count: n)
        var newLow = [Double](repeating: 0, count: n * dimensions), newHigh = [Double](repeating: 0, count: n * dimensions)
        var k = 0, j = 0, p = 0
        for i in 0..<n where !free[i] {
            guard cuts[k] < Int32(dimensions), cuts[k] >= -1 else { throw r.corrupt() }
            newCut[i] = cuts[k]
            newMass[i] = masses[k]
            if cuts[k] >= 0 {
                guard j < inner else { throw r.corrupt() }
                newLeft[i] = lefts[j]; newRight[i] = rights[j]; newValue[i] = values[j]
                j += 1
            } else {
                guard p + dimensions <= points.count else { throw r.corrupt() }
                for d in 0..<dimensions {
                    newLow[i * dimensions + d] = points[p + d]
                    newHigh[i * dimensions + d] = points[p + d]
                }
                p += dimensions
            }
            k += 1
        }
        // Parents and inner boxes, children before parents (an explicit post-order walk);
        // every node in use must be reached exactly once from the root.
        var reached = 0
        if restoredRoot >= 0 {
            var stack: [(node: Int32, expanded: Bool)] = [(restoredRoot, false)]
            var seen = [Bool](repeating: false, count: n)
            while let (node, expanded) = stack.popLast() {
                let i = Int(node)
                if newCut[i] < 0 { continue }
                if expanded {
                    let l = Int(newLeft[i]) * dimensions, rr = Int(newRight[i]) * dimensions, b = i * dimensions
                    for d in 0..<dimensions {
                        newLow[b + d] = min(newLow[l + d], newLow[rr + d])
                        newHigh[b + d] = max(newHigh[l + d], newHigh[rr + d])
                    }
                    continue
                }
                stack.append((node, true))
                for c in [newLeft[i], newRight[i]] {
                    guard c >= 0, Int(c) < n, !free[Int(c)], !seen[Int(c)] else { throw r.corrupt() }
                    seen[Int(c)] = true
                    newParent[Int(c)] = node
                    stack.append((c, false))
                }
            }
            guard !seen[Int(restoredRoot)], !free[Int(restoredRoot)] else { throw r.corrupt() }
            reached = seen.lazy.filter { $0 }.count + 1
        }
        guard reached == used else { throw r.corrupt() }
        left = newLeft; right = newRight; parent = newParent; cutDimension = newCut
        cutValue = newValue; mass = newMass; low = newLow; high = newHigh
        freeNodes = restoredFree
        root = restoredRoot
        random = AnalyticRandom(seed: state)
    }
}
