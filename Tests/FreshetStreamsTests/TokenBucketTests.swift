import FreshetCore
@testable import FreshetStreams
import Testing

@Suite struct TokenBucketTests {
    @Test func refillsAtItsRateUpToOneSecond() {
        var b = TokenBucket(rate: 1000, now: 0)
        let r1 = b.take(1000)
        #expect(r1)
        let r2 = b.take(1)
        #expect(!r2)
        b.refill(now: 500_000)
        let r3 = b.take(500)
        #expect(r3)
        let r4 = b.take(1)
        #expect(!r4)
        b.refill(now: 10_000_000)
        #expect(b.tokens == 1000)
    }

    @Test func borrowingSaysHowLongToWait() {
        var b = TokenBucket(rate: 2000, now: 0)
        let r5 = b.borrow(1000)
        #expect(r5 == 0)
        let r6 = b.borrow(2000)
        #expect(r6 == 500_000)
        b.refill(now: 500_000)
        #expect(b.tokens == 0)
    }

    @Test func provisionedWritesAreAdmittedWholeOrRefusedWhole() {
        let l = CapacityLimiter()
        #expect(l.admitWrite([.init(shard: 0, records: 600, bytes: 100), .init(shard: 1, records: 900, bytes: 100)], now: 0, stream: "s") == nil)
        // Shard 1 has 100 records left: a write of 400 to shard 0 and 200 to shard 1 is refused, taking nothing.
        let refusal = l.admitWrite([.init(shard: 0, records: 400, bytes: 100), .init(shard: 1, records: 200, bytes: 100)], now: 0, stream: "s")
        #expect(refusal?.shard == 1)
        #expect(refusal?.error.state.code == "53400")
        #expect(refusal?.error.message.contains("rate exceeded for shardId-000000000001 of stream \"s\"") == true)
        #expect(l.admitWrite([.init(shard: 0, records: 400, bytes: 100)], now: 0, stream: "s") == nil)
        // One second later the buckets are full again.
        #expect(l.admitWrite([.init(shard: 1, records: 1000, bytes: 1 << 20)], now: 1_000_000, stream: "s") == nil)
        // Bytes count too: 1 MiB per second.
        #expect(l.admitWrite([.init(shard: 2, records: 1, bytes: 1 << 20)], now: 0, stream: "s") == nil)
        #expect(l.admitWrite([.init(shard: 2, records: 1, bytes: 1)], now: 0, stream: "s") != nil)
        // A write larger than a second's worth can never pass, and says so.
        let big = l.admitWrite([.init(shard: 3, records: 1001, bytes: 10)], now: 0, stream: "s")
        #expect(big?.error.message.contains("exceeds the provisioned limit of a shard") == true)
    }
}

extension CapacityLimiter.Demand: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.shard == b.shard && a.records == b.records && a.bytes == b.bytes }
}
