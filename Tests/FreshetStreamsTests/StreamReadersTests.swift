import FreshetCore
import FreshetStorage
@testable import FreshetStreams
import Testing

/// The reader registry behind the iterator age, and closed shards leaving the map.
@Suite(.serialized) struct StreamReadersTests {
    @Test func theAgeIsTheMaximumOverReadersAndGrowsWithTheClock() throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 2)
        let t0 = clock.nowMicros()
        let a = store.readers.register(kind: .liveQuery)
        let b = store.readers.register(kind: .pump, name: "p")
        #expect(store.readers.count == 2)
        clock.advance(micros: 3_000_000)
        a.report([(shard: 0, oldestUnconsumed: t0), (shard: 1, oldestUnconsumed: nil)])
        b.report([(shard: 0, oldestUnconsumed: t0 + 2_000_000)])
        #expect(store.readers.ages() == [0: 3000, 1: 0])
        clock.advance(micros: 1_500_000)
        #expect(store.readers.ages() == [0: 4500, 1: 0])
        // The minute keeps the largest age reported or sampled in it.
        store.readers.sampleAges()
        a.report([(shard: 0, oldestUnconsumed: nil)])
        #expect(store.readers.ages() == [0: 2500, 1: 0])
        let minute = store.metrics.perMinute().first { $0.shard == 0 }?.minutes.last
        #expect(minute?.iteratorAgeMs == 4500)
        // A reader released or unregistered no longer counts.
        b.unregister()
        #expect(store.readers.ages() == [0: 0, 1: 0])
        _ = a
        store.close()
    }

    @Test func aReleasedRegistrationUnregisters() throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(shards: 1)
        do {
            let r = store.readers.register(kind: .liveQuery)
            r.report([(shard: 0, oldestUnconsumed: 0)])
            #expect(store.readers.count == 1)
        }
        #expect(store.readers.count == 0)
        #expect(store.readers.ages().isEmpty)
        store.close()
    }

    @Test func aTailReportsWhatItHasNotReadYet() async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 1)
        let t0 = clock.nowMicros()
        var tail = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
        #expect(tail.unreadOldest().map(\.oldestUnread) == [nil])
        _ = try await f.committer.commit([try store.prepare(rows: (0..<5).map { [.string("k\($0)"), .int(Int64($0))] })])
        clock.advance(micros: 1_000_000)
        _ = try await f.committer.commit([try store.prepare(rows: [[.string("z"), .int(9)]])])
        #expect(tail.unreadOldest().map(\.oldestUnread) == [t0])
        let first = try tail.next(maxRows: 5)
        #expect(first.count == 5)
        #expect(tail.lastReads.map(\.shard) == [0] && tail.lastReads.map(\.firstRowtime) == [t0])
        #expect(tail.unreadOldest().map(\.oldestUnread) == [t0 + 1_000_000])
        // A pump-like reader reports straight from its tail.
        let pump = store.readers.register(kind: .pump, name: "p")
        clock.advance(micros: 2_000_000)
        pump.report(unreadBy: tail)
        #expect(store.readers.ages() == [0: 2000])
        _ = try tail.next(maxRows: 5)
        #expect(tail.unreadOldest().map(\.oldestUnread) == [nil])
        pump.report(unreadBy: tail)
        #expect(store.readers.ages() == [0: 0])
        store.close()
    }

    /// Closed shards removed after retention leave the map; a write prepared before the
    /// removal (positions shifted) still lands in the right open shard, and a live
    /// reader goes on with the children.
    @Test func removingClosedShardsKeepsWritesAndReaders() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(shards: 2)
        var tail = try StreamTail(store: store, start: .latest, notBefore: .min)
        try await store.reshard({ try Resharding.split($0, shard: "shardId-000000000000", at: String(UInt128(1) << 126), stream: "s") },
                                persist: { _ in })
        let rows: [Row] = (0..<20).map { [.string("key\($0)"), .int(Int64($0))] }
        let prepared = try store.prepare(rows: rows)
        var persisted: [StreamStore.Shard] = []
        let removed = try await store.removeClosedShards([0, 1]) { persisted = $0 }
        #expect(removed.map(\.index) == [0])   // shard 1 is open: never removed
        #expect(persisted.map(\.index) == [1, 2, 3])
        #expect(store.shards.map(\.index) == [1, 2, 3])
        let receipts = try await f.committer.commit([prepared])
        let stored = receipts[0].storedRows(rows)
        #expect(stored.map { $0[0] } == rows.map { $0[0] })
        let expectedShard: (Row) -> String = { row in
            var text = row[0].pgText(as: .text)
            text.makeContiguousUTF8()
            let key = text.withUTF8 { PartitionHash.hashKey(UnsafeRawBufferPointer($0)) }
            return store.shards.first { $0.open && $0.range.contains(key) }!.id
        }
        #expect(stored.map { $0[3] } == rows.map { .string(expectedShard($0)) })
        let read = try tail.next(maxRows: 100)
        #expect(read.count == 20)
        #expect(Set(read.map { $0[3] }) == Set(rows.map { Value.string(expectedShard($0)) }))
        // Reopening from the persisted list works (the removed shard's directory is gone).
        store.close()
        let again = try f.reopen(persisted)
        #expect(try await f.rows(again).count == 20)
        again.close()
    }
}
