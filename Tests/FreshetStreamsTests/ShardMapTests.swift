import FreshetCore
@testable import FreshetStreams
import Testing

/// Routing by binary search over the open shards matches a linear scan of their ranges.
@Suite struct ShardMapTests {
    @Test func routesEveryKeyToTheOpenShardHoldingIt() throws {
        var shards = HashKeyRange.even(count: 3).enumerated().map { StreamStore.Shard(index: $0.offset, range: $0.element, open: true) }
        shards = try Resharding.split(shards, shard: "shardId-000000000001", at: String(shards[1].range.start + (1 << 100)), stream: "t")
        shards = try Resharding.merge(shards, "shardId-000000000004", "shardId-000000000002", stream: "t")
        let map = ShardMap(shards: shards, logs: Array(repeating: nil, count: shards.count))
        var rng = SystemRandomNumberGenerator()
        var keys: [UInt128] = [0, .max] + shards.flatMap { [$0.range.start, $0.range.end] }
        for _ in 0..<2000 { keys.append(UInt128(rng.next() as UInt64) << 64 | UInt128(rng.next() as UInt64)) }
        for k in keys {
            let pos = map.position(for: k)
            #expect(shards[pos].open && shards[pos].range.contains(k))
        }
    }
}
