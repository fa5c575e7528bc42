@testable import FreshetStreams
import Testing

/// SequenceNumber.string formats without UInt128's generic description; it must give
/// exactly the same decimal text (clients compare and parse these strings).
@Suite struct SequenceNumberTests {
    @Test func stringMatchesTheDecimalTextOfTheNumber() {
        let shards = [0, 1, 2, 9, 10, 54, 55, 1000, 65_535, 1 << 30, Int(Int32.max), Int.max]
        let counters: [UInt64] = [0, 1, 9, 10, 999, 10_000_000_000_000_000_000 - 1, 10_000_000_000_000_000_000,
                                  1 << 63, UInt64.max - 1, UInt64.max]
        var checked = 0
        for s in shards {
            for c in counters {
                let expected = String(SequenceNumber.make(shardIndex: s, counter: c))
                #expect(SequenceNumber.string(shardIndex: s, counter: c) == expected, "shard \(s) counter \(c)")
                #expect(SequenceNumber.parse(SequenceNumber.string(shardIndex: s, counter: c))! == (s, c))
                checked += 1
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let s = Int.random(in: 0...Int(Int32.max), using: &rng), c = UInt64.random(in: 0...UInt64.max, using: &rng)
            #expect(SequenceNumber.string(shardIndex: s, counter: c) == String(SequenceNumber.make(shardIndex: s, counter: c)))
            checked += 1
        }
        #expect(checked == shards.count * counters.count + 2_000)
    }
}
