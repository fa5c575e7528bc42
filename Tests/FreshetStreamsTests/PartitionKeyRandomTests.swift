import FreshetCore
import FreshetStorage
@testable import FreshetStreams
import Testing

/// Random partition keys (a stream without `partition_key`) come from SplitMix64 seeded
/// once per `prepare` call: the generator is the published one, rows spread evenly over
/// the shards, and two calls draw different keys.
@Suite(.serialized) struct PartitionKeyRandomTests {
    @Test func generatorMatchesSplitMix64() {
        // The first outputs of SplitMix64 seeded with 0 (Steele, Lea, Flood; Vigna's reference code).
        var g = PartitionKeyRandom(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func rowsWithoutAPartitionKeySpreadOverShardsAndCallsDiffer() throws {
        let f = StoreFixture()
        defer { f.remove() }
        let shards = HashKeyRange.even(count: 4).enumerated().map { StreamStore.Shard(index: $0.offset, range: $0.element, open: true) }
        let definition = StreamStore.Definition(name: "s", directory: f.dir, schema: f.schema, shards: shards, partitionKeyColumn: nil)
        let store = try StreamStore.open(definition: definition, options: LogOptions(segmentBytes: 64 << 10, preallocate: false),
                                         clock: f.clock).0
        defer { store.close() }
        let rows: [Row] = (0..<8_000).map { [.string("k"), .int(Int64($0))] }
        let a = try store.prepare(rows: rows), b = try store.prepare(rows: rows)
        var perShard = [Int](repeating: 0, count: 4)
        for s in a.rowShard { perShard[Int(s)] += 1 }
        // 2,000 expected per shard; the standard deviation is about 39.
        #expect(perShard.allSatisfy { (1_700...2_300).contains($0) }, "\(perShard)")
        #expect(Set(a.partitionKeys).count == rows.count)
        #expect(Set(a.partitionKeys).isDisjoint(with: b.partitionKeys))
    }
}
