import Foundation

/// The sample of one tree: at most `capacity` points of the stream, chosen with a
/// time-decayed weighted reservoir (as in AWS's random cut forest): point number `seq`
/// gets the priority `log(-log(u)) - seq / timeDecay` (u uniform in (0, 1)) and the
/// `capacity` points with the lowest priorities are kept, so every point has a chance to
/// stay that decays by exp(-age / timeDecay) relative to a new one. Priorities form a
/// max-heap; the points sit in fixed slots (`dimensions` doubles each).
struct TimeDecayedSampler: Sendable {
    let capacity: Int
    let dimensions: Int
    let decay: Double
    var random: AnalyticRandom
    /// Heap of slots, the highest priority first.
    var heap: [Int32] = []
    var priority: [Double] = []
    var points: [Double] = []

    init(capacity: Int, dimensions: Int, timeDecay: Int, seed: UInt64) {
        self.capacity = capacity
        self.dimensions = dimensions
        decay = 1 / Double(timeDecay)
        random = AnalyticRandom(seed: seed)
        heap.reserveCapacity(capacity)
        priority.reserveCapacity(capacity)
        points.reserveCapacity(capacity * dimensions)
    }

    enum Offer {
        /// Not sampled.
        case rejected
        /// Sampled into `slot`; nothing was evicted.
        case added(slot: Int)
        /// Sampled into `slot`, whose previous point must leave the tree first.
        case replacing(slot: Int)
    }

    /// Decide whether point number `seq` enters the sample (the caller then copies it into its slot).
    mutating func offer(seq: Int64) -> Offer {
        var u = random.nextDouble()
        if u <= 0 { u = 0x1.0p-53 }
        let p = log(-log(u)) - Double(seq) * decay
        if heap.count < capacity {
            let slot = heap.count
            priority.append(p)
            points.append(contentsOf: repeatElement(0, count: dimensions))
            heap.append(Int32(slot))
            siftUp(heap.count - 1)
            return .added(slot: slot)
        }
        let top = Int(heap[0])
        guard p < priority[top] else { return .rejected }
        priority[top] = p
        siftDown(0)
        return .replacing(slot: top)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard priority[Int(heap[i])] > priority[Int(heap[parent])] else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < n && priority[Int(heap[l])] > priority[Int(heap[largest])] { largest = l }
            if r < n && priority[Int(heap[r])] > priority[Int(heap[largest])] { largest = r }
            if largest == i { return }
            heap.swapAt(i, largest)
            i = largest
        }
    }
}
