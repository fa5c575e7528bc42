import Foundation
import FreshetCore
import FreshetStorage
@testable import FreshetStreams
import Testing

extension Row {
    var rowtime: Int64 { if case .timestamp(let t) = self[2] { return t }; return .min }
    var shardIndex: Int { Int(shardID.dropFirst("shardId-".count))! }
}

/// Live readers merge their shards in ROWTIME order (then shard index, then sequence).
@Suite(.serialized) struct StreamTailMergeTests {
    /// 4 shards, 200 commits of 1–6 rows with random keys; the clock moves on between
    /// most commits and stands still between some (equal ROWTIMEs across commits).
    func fill(_ f: StoreFixture, _ clock: ManualClock, _ store: StreamStore, commits: Int = 200) async throws -> Int {
        var rng = SystemRandomNumberGenerator()
        var total = 0
        for c in 0..<commits {
            let n = Int.random(in: 1...6, using: &rng)
            let rows: [Row] = (0..<n).map { i in [.string("k\(Int.random(in: 0..<1_000, using: &rng))"), .int(Int64(total + i))] }
            total += n
            _ = try await f.committer.commit([try store.prepare(rows: rows)])
            if c % 5 != 4 { clock.advance(micros: Int64.random(in: 1...1_000, using: &rng)) }
        }
        return total
    }

    /// The merge order: ROWTIME, then shard index, then sequence number.
    func inOrder(_ rows: [Row]) -> Bool {
        zip(rows, rows.dropFirst()).allSatisfy { a, b in
            a.rowtime < b.rowtime
                || (a.rowtime == b.rowtime && (a.shardIndex < b.shardIndex || (a.shardIndex == b.shardIndex && a.sequence < b.sequence)))
        }
    }

    func readAll(_ tail: inout StreamTail, maxRows: Int) throws -> [Row] {
        var out: [Row] = []
        while true {
            let got = try tail.next(maxRows: maxRows)
            if got.isEmpty { return out }
            #expect(got.count <= maxRows)
            out += got
        }
    }

    @Test(arguments: [1, 7, 64, 10_000])
    func aBacklogComesOutInRowtimeOrderAcrossShards(maxRows: Int) async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 4)
        let total = try await fill(f, clock, store)
        var tail = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
        let got = try readAll(&tail, maxRows: maxRows)
        #expect(got.count == total)
        #expect(Set(got.map(\.n)).count == total)
        #expect(inOrder(got))
        // Every shard got rows, and they are interleaved (not one shard after another).
        #expect(Set(got.map(\.shardIndex)) == [0, 1, 2, 3])
        #expect(zip(got, got.dropFirst()).filter { $0.shardIndex != $1.shardIndex }.count > 20)
        // The same order as a full scan sorted by (ROWTIME, shard, sequence).
        let sorted = try await f.rows(store).sorted { a, b in
            (a.rowtime, a.shardIndex, a.sequence) < (b.rowtime, b.shardIndex, b.sequence)
        }
        #expect(got.map(\.sequence) == sorted.map(\.sequence))
        store.close()
    }

    @Test func aReaderResumedFromAMidwayPositionYieldsExactlyTheRest() async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 4)
        _ = try await fill(f, clock, store)
        var full = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
        let all = try readAll(&full, maxRows: 10_000)
        for cut in [1, 13, 100, 5 * 37] {
            var tail = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
            var head: [Row] = []
            var steps: [(from: TailPosition, to: TailPosition, rows: [Row])] = []
            while head.count < cut {
                let from = tail.position
                let got = try tail.next(maxRows: 37)
                steps.append((from, tail.position, got))
                head += got
            }
            #expect(head.map(\.sequence) == all.prefix(head.count).map(\.sequence))
            // Rows read ahead but not handed on are not in the position: the resumed
            // reader hands on exactly the rest, in the same order.
            var resumed = try StreamTail(store: store, resume: tail.position, notBefore: .min)
            let rest = try readAll(&resumed, maxRows: 29)
            #expect((head + rest).map(\.sequence) == all.map(\.sequence))
            // And the original reader carries on with the same rows.
            let carried = try readAll(&tail, maxRows: 1_000)
            #expect(carried.map(\.sequence) == rest.map(\.sequence))
            // Re-reading a step (a pump recovering a batch) gives that step's rows.
            for step in steps {
                var again = try StreamTail(store: store, resume: step.from, notBefore: .min)
                let rows = try again.reread(from: step.from, to: step.to)
                #expect(rows.map(\.sequence) == step.rows.map(\.sequence))
                #expect(again.position == step.to)
            }
        }
        store.close()
    }

    @Test func aCaughtUpShardDoesNotHoldTheOthersBack() async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 4)
        _ = try await fill(f, clock, store, commits: 50)
        var tail = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
        var got = try readAll(&tail, maxRows: 10_000)
        // New rows arrive one commit at a time, in whatever shard their key routes to:
        // each is returned by the next call although the other shards have nothing new.
        for i in 0..<20 {
            clock.advance(micros: 10)
            _ = try await f.committer.commit([try store.prepare(rows: [[.string("live\(i)"), .int(Int64(100_000 + i))]])])
            let more = try tail.next(maxRows: 100)
            #expect(more.map(\.n) == [Int64(100_000 + i)])
            got += more
        }
        #expect(inOrder(got))
        store.close()
    }

    @Test func aBacklogAcrossAReshardKeepsParentsBeforeChildrenAndRowtimeOrder() async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 2)
        var total = try await fill(f, clock, store, commits: 40)
        try await store.reshard({ try Resharding.split($0, shard: "shardId-000000000000", at: String(UInt128(1) << 126), stream: "s") },
                                persist: { _ in })
        total += try await fill(f, clock, store, commits: 40)
        var tail = try StreamTail(store: store, start: .trimHorizon, notBefore: .min)
        let got = try readAll(&tail, maxRows: 11)
        #expect(got.count == total)
        #expect(zip(got, got.dropFirst()).allSatisfy { $0.rowtime <= $1.rowtime })
        let lastOfParent = got.lastIndex { $0.shardIndex == 0 }!
        let firstOfChild = got.firstIndex { $0.shardIndex >= 2 }!
        #expect(lastOfParent < firstOfChild)
        store.close()
    }
}
