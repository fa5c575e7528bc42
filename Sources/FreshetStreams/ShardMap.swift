import FreshetStorage

/// One consistent view of a stream's shards: every shard (open and closed, in index
/// order, which puts parents before children), its log, and the routing table of the
/// open shards. Immutable: a reshard builds a new map and swaps it in, so a writer
/// or reader holding a map sees one layout from start to end.
final class ShardMap: @unchecked Sendable {
    let shards: [StreamStore.Shard]
    /// The log of each shard (same positions as `shards`); nil for a shard that was
    /// created and closed within one reshard (uniform scaling's intermediate shards),
    /// which never held a row.
    let logs: [ShardLog?]
    /// Open shards sorted by range start, for binary search.
    let openStarts: [UInt128]
    let openPositions: [Int]
    /// Position of each shard index (closed shards removed after retention are absent).
    private let positionsByIndex: [Int: Int]

    init(shards: [StreamStore.Shard], logs: [ShardLog?]) {
        precondition(shards.count == logs.count)
        self.shards = shards
        self.logs = logs
        let open = shards.enumerated().filter { $0.element.open }.sorted { $0.element.range.start < $1.element.range.start }
        openStarts = open.map(\.element.range.start)
        openPositions = open.map(\.offset)
        precondition(!openPositions.isEmpty, "a stream always has an open shard")
        positionsByIndex = Dictionary(uniqueKeysWithValues: shards.enumerated().map { ($0.element.index, $0.offset) })
    }

    /// The position of the shard with this index, or nil if the map has no such shard.
    func position(ofIndex index: Int) -> Int? { positionsByIndex[index] }

    /// The position of the open shard whose range holds `key` (open ranges cover the
    /// whole key space, so there always is one).
    @inline(__always)
    func position(for key: UInt128) -> Int {
        var lo = 0, hi = openStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if openStarts[mid] <= key { lo = mid } else { hi = mid - 1 }
        }
        return openPositions[lo]
    }
}
