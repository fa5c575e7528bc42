import FreshetCore
@testable import FreshetStreams
import Testing

/// SplitShard, MergeShards and UpdateShardCount (uniform scaling) on shard lists.
@Suite struct ReshardingTests {
    func initial(_ n: Int) -> [StreamStore.Shard] {
        HashKeyRange.even(count: n).enumerated().map { .init(index: $0.offset, range: $0.element, open: true) }
    }

    @Test func splitClosesTheParentAndGivesTheChildrenItsRange() throws {
        let s = initial(2)
        let at = s[1].range.start + 12345
        let out = try Resharding.split(s, shard: "shardId-000000000001", at: String(at), stream: "t")
        #expect(out.count == 4)
        #expect(out[0].open && !out[1].open)
        #expect(out[2] == .init(index: 2, range: HashKeyRange(start: s[1].range.start, end: at - 1), parent: 1, open: true))
        #expect(out[3] == .init(index: 3, range: HashKeyRange(start: at, end: .max), parent: 1, open: true))
        #expect(Resharding.openShardsCoverKeySpace(out))
        // A split at the very end of the range leaves a one-key upper child.
        let edge = try Resharding.split(out, shard: "shardId-000000000003", at: String(UInt128.max), stream: "t")
        #expect(edge.last!.range == HashKeyRange(start: .max, end: .max))
        #expect(Resharding.openShardsCoverKeySpace(edge))
    }

    @Test func splitRefusesBadInput() throws {
        let s = initial(2)
        let e1 = #expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shardId-000000000001", at: String(s[1].range.start), stream: "t") }
        #expect(e1?.state == .invalidParameterValue)
        #expect(e1?.message.contains("outside the range of shardId-000000000001") == true)
        #expect(e1?.hint?.contains(String(s[1].range.start + 1)) == true)
        let e2 = #expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shardId-000000000000", at: String(s[1].range.start), stream: "t") }
        #expect(e2?.state == .invalidParameterValue)
        let e3 = #expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shardId-000000000009", at: "5", stream: "t") }
        #expect(e3?.state == .undefinedObject)
        #expect(e3?.hint?.contains("shardId-000000000000, shardId-000000000001") == true)
        let e4 = #expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shardId-000000000001", at: "-5", stream: "t") }
        #expect(e4?.message.contains("is not a hash key") == true)
        let e5 = #expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shardId-000000000001", at: "340282366920938463463374607431768211456", stream: "t") }
        #expect(e5?.message.contains("is not a hash key") == true)
        let split = try Resharding.split(s, shard: "shardId-000000000001", at: String(s[1].range.start + 1), stream: "t")
        let e6 = #expect(throws: FreshetError.self) { try Resharding.split(split, shard: "shardId-000000000001", at: String(s[1].range.start + 5), stream: "t") }
        #expect(e6?.state.code == "55000")
        #expect(e6?.message.contains("is closed") == true)
        #expect(#expect(throws: FreshetError.self) { try Resharding.split(s, shard: "shard-1", at: "5", stream: "t") }?.state == .undefinedObject)
    }

    @Test func mergeNeedsTwoAdjacentOpenShards() throws {
        let s = initial(4)
        let out = try Resharding.merge(s, "shardId-000000000002", "shardId-000000000001", stream: "t")
        #expect(out.last! == .init(index: 4, range: HashKeyRange(start: s[1].range.start, end: s[2].range.end),
                                   parent: 2, adjacentParent: 1, open: true))
        #expect(!out[1].open && !out[2].open && out[0].open && out[3].open)
        #expect(Resharding.openShardsCoverKeySpace(out))

        let e = #expect(throws: FreshetError.self) { try Resharding.merge(s, "shardId-000000000000", "shardId-000000000002", stream: "t") }
        #expect(e?.message.contains("are not adjacent") == true)
        #expect(e?.hint == "shardId-000000000000 can be merged with shardId-000000000001.")
        // The first and last shards do not wrap around.
        #expect(throws: FreshetError.self) { try Resharding.merge(s, "shardId-000000000000", "shardId-000000000003", stream: "t") }
        #expect(throws: FreshetError.self) { try Resharding.merge(s, "shardId-000000000001", "shardId-000000000001", stream: "t") }
        let closed = #expect(throws: FreshetError.self) { try Resharding.merge(out, "shardId-000000000001", "shardId-000000000000", stream: "t") }
        #expect(closed?.state.code == "55000")
    }

    @Test(arguments: [(1, 2), (2, 1), (1, 3), (3, 4), (4, 3), (5, 8), (8, 5), (7, 7), (2, 16), (16, 1), (3, 1)])
    func uniformScalingGivesTheEvenLayout(from: Int, to: Int) throws {
        let out = try Resharding.uniformScale(initial(from), to: to, maxShards: 1024, stream: "t")
        let open = out.filter(\.open).sorted { $0.range.start < $1.range.start }
        #expect(open.map(\.range) == HashKeyRange.even(count: to))
        #expect(Resharding.openShardsCoverKeySpace(out))
        // Indices are never reused; every new shard names existing parents with overlapping ranges.
        #expect(Set(out.map(\.index)).count == out.count)
        for s in out where s.index >= from {
            let parents = [s.parent, s.adjacentParent].compactMap { $0 }
            #expect(!parents.isEmpty)
            for p in parents {
                let parent = out.first { $0.index == p }!
                #expect(p < s.index && !parent.open)
                #expect(parent.range.start <= s.range.end && s.range.start <= parent.range.end)
            }
        }
        if from == to { #expect(out.count == from) }
    }

    @Test func uniformScalingAfterAnUnevenSplit() throws {
        let s = try Resharding.split(initial(1), shard: "shardId-000000000000", at: "12345", stream: "t")
        let out = try Resharding.uniformScale(s, to: 2, maxShards: 8, stream: "t")
        #expect(out.filter(\.open).map(\.range).sorted { $0.start < $1.start } == HashKeyRange.even(count: 2))
        #expect(#expect(throws: FreshetError.self) { try Resharding.uniformScale(s, to: 0, maxShards: 8, stream: "t") }?
            .message == "shards must be an integer from 1 to 8, not 0")
        #expect(throws: FreshetError.self) { try Resharding.uniformScale(s, to: 9, maxShards: 8, stream: "t") }
    }

    @Test func shardIDsParse() {
        #expect(ShardID.index("shardId-000000000042") == 42)
        #expect(ShardID.index(ShardID.name(123_456_789_012)) == 123_456_789_012)
        #expect(ShardID.index("shardId-") == nil)
        #expect(ShardID.index("shardId-12a") == nil)
        #expect(ShardID.index("42") == nil)
    }
}
