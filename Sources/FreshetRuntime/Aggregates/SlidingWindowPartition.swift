import FreshetCore
import FreshetPlanner

/// The rows of one partition that are in its sliding window, oldest first, and
/// the incremental aggregates over them. Rows are kept as their ROWTIME plus
/// the few argument values the window functions need again (`stride` per row,
/// in one flat ring), not as whole rows.
struct SlidingWindowPartition {
    var times: SlidingRing<Int64>
    /// `stride` stored arguments per row, row after row.
    var values: SlidingRing<Value>
    var aggregates: [SlidingAggregate]
    /// Sequence number the next row gets (MIN/MAX deques refer to rows by it).
    var nextSequence: Int64 = 0
    /// The latest ROWTIME windowed in this partition.
    var newest: Int64 = .min
    /// The partition key, to drop the partition from the index once it is empty.
    var key: [Value]
    /// False once the partition was dropped (its slot waits for reuse).
    var isLive = true

    init(key: [Value], calls: [WindowFunctionCall]) {
        self.key = key
        times = SlidingRing(filler: 0)
        values = SlidingRing(filler: .null)
        aggregates = calls.map(SlidingAggregate.init)
    }

    var count: Int { times.count }
    /// Sequence number of the oldest row in the window.
    var firstSequence: Int64 { nextSequence - Int64(times.count) }

    /// Stored argument `slot` of row `i` (0 is the oldest).
    func value(row i: Int, slot: Int, stride: Int) -> Value { values[i * stride + slot] }

    /// Drop the oldest row, taking it out of every aggregate.
    mutating func removeOldest(slots: [Int], stride: Int) throws {
        let sequence = firstSequence
        let time = times.removeFirst()
        for i in aggregates.indices {
            let s = slots[i]
            try aggregates[i].remove(s >= 0 ? values[s] : .null, time: time, sequence: sequence)
        }
        for _ in 0..<stride { values.removeFirst() }
    }

    /// Drop the rows older than `cutoff`; true when none is left.
    mutating func evict(before cutoff: Int64, slots: [Int], stride: Int) throws -> Bool {
        while !times.isEmpty && times.first < cutoff { try removeOldest(slots: slots, stride: stride) }
        return times.isEmpty
    }
}
