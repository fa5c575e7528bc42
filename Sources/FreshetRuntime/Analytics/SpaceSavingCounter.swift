import FreshetCore

/// TOP_K_ITEMS_TUMBLING's counter: the Space-Saving algorithm (Metwally, Agrawal,
/// El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data Streams",
/// ICDT 2005). It tracks at most `capacity` items; a new item when full replaces the
/// item with the smallest count and inherits that count (+1). Counts are exact while the
/// window has at most `capacity` distinct items; otherwise a count overestimates by at most
/// `total / capacity`, and every item occurring more than `total / capacity` times is tracked.
/// The smallest count is found with an indexed min-heap (O(log capacity) per row).
struct SpaceSavingCounter: Sendable {
    let capacity: Int
    var slotOf: [Value: Int32] = [:]
    var items: [Value] = []
    var counts: [Int64] = []
    /// Per slot: how much its count may overestimate (the count it inherited).
    var errors: [Int64] = []
    /// Per slot: when its item entered (ties break by it, so output is repeatable).
    var since: [Int64] = []
    var heap: [Int32] = []
    var position: [Int32] = []
    var total: Int64 = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func add(_ v: Value) {
        total += 1
        if let s = slotOf[v] {
            counts[Int(s)] += 1
            siftDown(Int(position[Int(s)]))
            return
        }
        if items.count < capacity {
            let s = Int32(items.count)
            slotOf[v] = s
            items.append(v); counts.append(1); errors.append(0); since.append(total)
            heap.append(s); position.append(Int32(heap.count - 1))
            siftUp(heap.count - 1)
            return
        }
        let s = Int(heap[0])
        slotOf.removeValue(forKey: items[s])
        slotOf[v] = Int32(s)
        items[s] = v
        errors[s] = counts[s]
        counts[s] += 1
        since[s] = total
        siftDown(0)
    }

    /// The `k` items with the highest counts, highest first (ties: the earlier tracked first).
    func top(_ k: Int) -> [(item: Value, count: Int64)] {
        let slots = items.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : since[$0] < since[$1] }
        return slots.prefix(k).map { (items[$0], counts[$0]) }
    }

    private func less(_ a: Int32, _ b: Int32) -> Bool {
        counts[Int(a)] != counts[Int(b)] ? counts[Int(a)] < counts[Int(b)] : since[Int(a)] < since[Int(b)]
    }

    private mutating func swapHeap(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[Int(heap[i])] = Int32(i)
        position[Int(heap[j])] = Int32(j)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            guard less(heap[i], heap[p]) else { return }
            swapHeap(i, p)
            i = p
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count && less(heap[l], heap[smallest]) { smallest = l }
            if r < heap.count && less(heap[r], heap[smallest]) { smallest = r }
            if smallest == i { return }
            swapHeap(i, smallest)
            i = smallest
        }
    }
}
