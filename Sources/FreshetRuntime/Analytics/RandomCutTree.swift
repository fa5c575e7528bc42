import Foundation

/// One robust random cut tree (Guha, Mishra, Roy, Schrijvers: "Robust Random Cut Forest
/// Based Anomaly Detection on Streams", ICML 2016) over points of `dimensions` doubles.
///
/// Nodes live in flat arrays (a plain value, cheap to snapshot): an internal node cuts
/// dimension `cutDimension` at `cutValue` (points with `x[d] <= cutValue` go left) and
/// keeps the bounding box and number of the points below it; a leaf holds one distinct
/// point (its box) and how many copies of it the sample has. Insert and delete follow
/// the paper: inserting draws a cut over the box extended by the new point, with the
/// dimension chosen in proportion to its range, and splits above the first node whose
/// box that cut separates from the point; deleting removes a leaf and lifts its sibling.
/// Size is bounded by the sample: at most 2·sample − 1 nodes.
struct RandomCutTree: Sendable {
    let dimensions: Int
    var left: [Int32] = []
    var right: [Int32] = []
    var parent: [Int32] = []
    /// -1 for a leaf.
    var cutDimension: [Int32] = []
    var cutValue: [Double] = []
    var mass: [Int32] = []
    /// Bounding boxes, `dimensions` values per node (a leaf's box is its point).
    var low: [Double] = []
    var high: [Double] = []
    var freeNodes: [Int32] = []
    var root: Int32 = -1
    var random: AnalyticRandom
    /// Scratch: the path of the last descent.
    private var path: [Int32] = []

    init(dimensions: Int, seed: UInt64) {
        self.dimensions = dimensions
        random = AnalyticRandom(seed: seed)
    }

    /// How many points (with copies) the tree holds.
    var totalMass: Int { root < 0 ? 0 : Int(mass[Int(root)]) }

    @inline(__always) func isLeaf(_ n: Int32) -> Bool { cutDimension[Int(n)] < 0 }

    private mutating func allocate() -> Int32 {
        if let n = freeNodes.popLast() { return n }
        let n = Int32(left.count)
        left.append(-1); right.append(-1); parent.append(-1)
        cutDimension.append(-1); cutValue.append(0); mass.append(0)
        low.append(contentsOf: repeatElement(0, count: dimensions))
        high.append(contentsOf: repeatElement(0, count: dimensions))
        return n
    }

    private mutating func makeLeaf(_ p: UnsafeBufferPointer<Double>) -> Int32 {
        let n = allocate()
        let base = Int(n) * dimensions
        for d in 0..<dimensions { low[base + d] = p[d]; high[base + d] = p[d] }
        left[Int(n)] = -1; right[Int(n)] = -1; cutDimension[Int(n)] = -1; mass[Int(n)] = 1
        return n
    }

    private func leafEquals(_ n: Int32, _ p: UnsafeBufferPointer<Double>) -> Bool {
        let base = Int(n) * dimensions
        for d in 0..<dimensions where low[base + d] != p[d] { return false }
        return true
    }

    /// Add one copy of `p`.
    mutating func insert(_ p: UnsafeBufferPointer<Double>) {
        if root < 0 { root = makeLeaf(p); parent[Int(root)] = -1; return }
        var node = root
        while true {
            let n = Int(node)
            let base = n * dimensions
            if isLeaf(node) && leafEquals(node, p) {
                var a = node
                while a >= 0 { mass[Int(a)] += 1; a = parent[Int(a)] }
                return
            }
            // A cut over the box extended by p, the dimension in proportion to its range.
            var total = 0.0
            for d in 0..<dimensions { total += max(high[base + d], p[d]) - min(low[base + d], p[d]) }
            var r = random.nextDouble() * total
            var cutDim = dimensions - 1
            var cut = 0.0
            for d in 0..<dimensions {
                let lo = min(low[base + d], p[d]), range = max(high[base + d], p[d]) - lo
                if r < range || d == dimensions - 1 { cutDim = d; cut = lo + min(r, range); break }
                r -= range
            }
            let lo = low[base + cutDim], hi = high[base + cutDim], x = p[cutDim]
            var separates = (x <= cut && cut < lo) || (hi <= cut && cut < x)
            if !separates && isLeaf(node) {
                // Measure-zero edge (the cut fell on the leaf's own value): cut half-way in a dimension where they differ.
                for d in 0..<dimensions where low[base + d] != p[d] {
                    cutDim = d
                    cut = (min(low[base + d], p[d]) + max(low[base + d], p[d])) / 2
                    if cut == max(low[base + d], p[d]) { cut = min(low[base + d], p[d]) }
                    separates = true
                    break
                }
            }
            if separates {
                let leaf = makeLeaf(p)
                let inner = allocate()
                let i = Int(inner)
                let up = parent[n]
                cutDimension[i] = Int32(cutDim)
                cutValue[i] = cut
                if p[cutDim] <= cut { left[i] = leaf; right[i] = node } else { left[i] = node; right[i] = leaf }
                mass[i] = mass[n] + 1
                let ib = i * dimensions
                for d in 0..<dimensions {
                    low[ib + d] = min(low[base + d], p[d])
                    high[ib + d] = max(high[base + d], p[d])
                }
                parent[i] = up
                parent[n] = inner
                parent[Int(leaf)] = inner
                if up < 0 { root = inner } else if left[Int(up)] == node { left[Int(up)] = inner } else { right[Int(up)] = inner }
                return
            }
            // The cut does not separate p from this box: p joins it, go down.
            mass[n] += 1
            for d in 0..<dimensions {
                if p[d] < low[base + d] { low[base + d] = p[d] }
                if p[d] > high[base + d] { high[base + d] = p[d] }
            }
            node = p[Int(cutDimension[n])] <= cutValue[n] ? left[n] : right[n]
        }
    }

    /// Remove one copy of `p` (which must have been inserted).
    mutating func delete(_ p: UnsafeBufferPointer<Double>) {
        guard root >= 0 else { return }
        var node = root
        while !isLeaf(node) {
            let n = Int(node)
            node = p[Int(cutDimension[n])] <= cutValue[n] ? left[n] : right[n]
        }
        guard leafEquals(node, p) else { return }   // not in the tree (cannot happen for sampled points)
        if mass[Int(node)] > 1 {
            var a = node
            while a >= 0 { mass[Int(a)] -= 1; a = parent[Int(a)] }
            return
        }
        let up = parent[Int(node)]
        freeNodes.append(node)
        guard up >= 0 else { root = -1; return }
        let sibling = left[Int(up)] == node ? right[Int(up)] : left[Int(up)]
        let grand = parent[Int(up)]
        freeNodes.append(up)
        parent[Int(sibling)] = grand
        if grand < 0 { root = sibling; return }
        if left[Int(grand)] == up { left[Int(grand)] = sibling } else { right[Int(grand)] = sibling }
        // Shrink the boxes and counts above.
        var a = grand
        while a >= 0 {
            let i = Int(a), ib = i * dimensions
            let l = Int(left[i]) * dimensions, r = Int(right[i]) * dimensions
            mass[i] -= 1
            for d in 0..<dimensions {
                low[ib + d] = min(low[l + d], low[r + d])
                high[ib + d] = max(high[l + d], high[r + d])
            }
            a = parent[i]
        }
    }

    /// The anomaly score of `q` as in AWS's random cut forest: the expected (over the
    /// random cuts) inverse depth at which `q` would be isolated, 1/(depth + 1) where it
    /// would be cut off, 1/(depth + log2(1 + copies)) at an equal leaf, normalised by
    /// log2(1 + points) so that typical points score about 1. With `attribution`
    /// (2 × dimensions: above, below per dimension) the score is also split over the
    /// dimensions and directions in which the cuts separate `q`; the parts sum to the score.
    mutating func score(_ q: UnsafeBufferPointer<Double>, attribution: UnsafeMutableBufferPointer<Double>?) -> Double {
        guard root >= 0 else { return 0 }
        path.removeAll(keepingCapacity: true)
        var node = root
        while true {
            path.append(node)
            if isLeaf(node) { break }
            let n = Int(node)
            node = q[Int(cutDimension[n])] <= cutValue[n] ? left[n] : right[n]
        }
        let leafDepth = path.count - 1
        let leafBase = Int(node) * dimensions
        var score: Double
        var distance = 0.0
        for d in 0..<dimensions { distance += abs(q[d] - low[leafBase + d]) }
        if distance == 0 {
            score = 1 / (Double(leafDepth) + log2(1 + Double(mass[Int(node)])))
            if let a = attribution {
                let share = score / Double(2 * dimensions)
                for j in 0..<(2 * dimensions) { a[j] = share }
            }
        } else {
            score = 1 / Double(leafDepth + 1)
            if let a = attribution {
                for d in 0..<dimensions {
                    let diff = q[d] - low[leafBase + d]
                    a[2 * d] = diff > 0 ? score * diff / distance : 0
                    a[2 * d + 1] = diff < 0 ? score * -diff / distance : 0
                }
            }
        }
        var depth = leafDepth - 1
        while depth >= 0 {
            let base = Int(path[depth]) * dimensions
            var outside = 0.0, total = 0.0
            for d in 0..<dimensions {
                let lo = low[base + d], hi = high[base + d], x = q[d]
                let above = x > hi ? x - hi : 0, below = x < lo ? lo - x : 0
                outside += above + below
                total += hi - lo + above + below
            }
            if outside > 0 && total > 0 {
                let p = outside / total
                let unseen = 1 / Double(depth + 1)
                score = p * unseen + (1 - p) * score
                if let a = attribution {
                    for d in 0..<dimensions {
                        let lo = low[base + d], hi = high[base + d], x = q[d]
                        a[2 * d] = (1 - p) * a[2 * d] + (x > hi ? (x - hi) / total * unseen : 0)
                        a[2 * d + 1] = (1 - p) * a[2 * d + 1] + (x < lo ? (lo - x) / total * unseen : 0)
                    }
                }
            }
            depth -= 1
        }
        let norm = log2(1 + Double(mass[Int(root)]))
        if let a = attribution { for j in 0..<(2 * dimensions) { a[j] *= norm } }
        return score * norm
    }
}
