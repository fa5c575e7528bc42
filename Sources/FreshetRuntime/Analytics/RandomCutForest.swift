import FreshetPlanner

/// RANDOM_CUT_FOREST's model: `numberOfTrees` random cut trees, each over its own
/// time-decayed sample of `subSampleSize` points (a point is the numeric columns of
/// `shingleSize` consecutive rows, oldest first). Each row is scored against the forest
/// (the average of the trees' scores) before it is offered to the samples, so a row never
/// explains itself. Rows score 0 until `subSampleSize` points have been seen (the forest
/// is still filling, as Kinesis Data Analytics does). State is bounded by
/// trees × sample × dimensions; everything is seeded, so scores repeat exactly.
struct RandomCutForest: Sendable {
    let parameters: RandomCutForestParameters
    /// Numeric columns per row.
    let columns: Int
    /// Doubles per point (columns × shingleSize).
    let dimensions: Int
    var trees: [RandomCutTree]
    var samplers: [TimeDecayedSampler]
    /// The last `shingleSize` rows, oldest first once full.
    var shingle: [Double] = []
    var rowsInShingle = 0
    /// Points seen so far.
    var points: Int64 = 0
    /// Scratch buffers.
    var point: [Double]
    var attribution: [Double]
    var treeAttribution: [Double]

    init(parameters: RandomCutForestParameters, columns: Int) {
        self.parameters = parameters
        self.columns = columns
        dimensions = columns * parameters.shingleSize
        var seeds = AnalyticRandom(seed: parameters.seed)
        trees = []
        samplers = []
        for _ in 0..<parameters.numberOfTrees {
            trees.append(RandomCutTree(dimensions: dimensions, seed: seeds.next()))
            samplers.append(TimeDecayedSampler(capacity: parameters.subSampleSize, dimensions: dimensions,
                                               timeDecay: parameters.timeDecay, seed: seeds.next()))
        }
        shingle = [Double](repeating: 0, count: dimensions)
        point = [Double](repeating: 0, count: dimensions)
        attribution = [Double](repeating: 0, count: 2 * dimensions)
        treeAttribution = [Double](repeating: 0, count: 2 * dimensions)
    }

    /// Score one row's numeric columns (`row.count == columns`) and learn from it. With
    /// `explain`, `attribution` afterwards holds (above, below) per point dimension.
    mutating func process(_ row: UnsafeBufferPointer<Double>, explain: Bool) -> Double {
        // Shift the shingle and append the row.
        if parameters.shingleSize > 1 {
            for i in 0..<(dimensions - columns) { shingle[i] = shingle[i + columns] }
        }
        // `+ 0` turns −0 into +0: with no negative zero, a node's box is the same bits whichever
        // child's bound min/max picks, so a snapshot can leave inner boxes out and recompute them.
        for c in 0..<columns { shingle[dimensions - columns + c] = row[c] + 0 }
        rowsInShingle = min(rowsInShingle + 1, parameters.shingleSize)
        if explain { for j in attribution.indices { attribution[j] = 0 } }
        guard rowsInShingle == parameters.shingleSize else { return 0 }
        for i in 0..<dimensions { point[i] = shingle[i] }
        var score = 0.0
        if points >= Int64(parameters.subSampleSize) {
            point.withUnsafeBufferPointer { q in
                treeAttribution.withUnsafeMutableBufferPointer { ta in
                    for t in trees.indices {
                        score += trees[t].score(q, attribution: explain ? ta : nil)
                        if explain { for j in 0..<(2 * dimensions) { attribution[j] += ta[j] } }
                    }
                }
            }
            let n = Double(trees.count)
            score /= n
            if explain { for j in attribution.indices { attribution[j] /= n } }
        }
        learn()
        points += 1
        return score
    }

    private mutating func learn() {
        let seq = points
        for t in trees.indices {
            switch samplers[t].offer(seq: seq) {
            case .rejected:
                continue
            case .added(let slot):
                store(slot, tree: t)
            case .replacing(let slot):
                let base = slot * dimensions
                samplers[t].points.withUnsafeBufferPointer { all in
                    trees[t].delete(UnsafeBufferPointer(rebasing: all[base..<(base + dimensions)]))
                }
                store(slot, tree: t)
            }
        }
    }

    private mutating func store(_ slot: Int, tree t: Int) {
        let base = slot * dimensions
        for i in 0..<dimensions { samplers[t].points[base + i] = point[i] }
        point.withUnsafeBufferPointer { trees[t].insert($0) }
    }
}
