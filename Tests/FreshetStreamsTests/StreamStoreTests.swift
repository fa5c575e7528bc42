import Foundation
import FreshetCore
import FreshetStorage
@testable import FreshetStreams
import Testing

/// A StreamStore over real shard logs in a temporary directory.
struct StoreFixture {
    let dir = "/tmp/freshet-streams-\(UUID().uuidString.prefix(8))"
    let schema = Schema([Column(name: "k", type: .text), Column(name: "n", type: .bigint)])
    let committer = GroupCommitter()
    let clock: any Clock

    init(clock: any Clock = SystemClock()) { self.clock = clock }

    func definition(_ shards: [StreamStore.Shard], options: StreamStore.Options = .init()) -> StreamStore.Definition {
        StreamStore.Definition(name: "s", directory: dir, schema: schema, shards: shards, partitionKeyColumn: 0, options: options)
    }

    func open(shards n: Int = 1, options: StreamStore.Options = .init()) throws -> StreamStore {
        let shards = HashKeyRange.even(count: n).enumerated().map { StreamStore.Shard(index: $0.offset, range: $0.element, open: true) }
        return try reopen(shards, options: options)
    }

    func reopen(_ shards: [StreamStore.Shard], options: StreamStore.Options = .init()) throws -> StreamStore {
        try StreamStore.open(definition: definition(shards, options: options),
                             options: LogOptions(segmentBytes: 64 << 10, preallocate: false), clock: clock).0
    }

    func rows(_ store: StreamStore) async throws -> [Row] {
        var out: [Row] = []
        try await store.scan(notBefore: .min) { out += $0; return true }
        return out
    }

    func remove() {
        committer.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

extension Row {
    var key: String { if case .string(let s) = self[0] { return s }; return "" }
    var n: Int64 { if case .int(let v) = self[1] { return v }; return -1 }
    var shardID: String { if case .string(let s) = self[3] { return s }; return "" }
    var sequence: UInt128 { if case .string(let s) = self[4] { return UInt128(s)! }; return 0 }
}

@Suite(.serialized) struct StreamStoreTests {
    @Test func aWritePreparedBeforeASplitLandsInTheChildren() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open()
        let keys = (0..<50).map { "key-\($0)" }
        let pending = try store.prepare(rows: keys.enumerated().map { [.string($1), .int(Int64($0))] })
        let mid = UInt128(1) << 127
        try await store.reshard({ try Resharding.split($0, shard: "shardId-000000000000", at: String(mid), stream: "s") }, persist: { _ in })
        let receipt = try await f.committer.commit([pending])[0]
        let stored = receipt.storedRows(keys.enumerated().map { [.string($1), .int(Int64($0))] })
        for r in stored {
            let h = PartitionHash.hashKey(Array(r.key.utf8))
            #expect(r.shardID == (h < mid ? "shardId-000000000001" : "shardId-000000000002"))
            #expect(r.sequence >> 64 == (h < mid ? 1 : 2))
        }
        let stats = store.shardStats()
        #expect(stats.map { $0.stats?.recordCount } == [0, stored.filter { $0.shardID.hasSuffix("1") }.count,
                                                         stored.filter { $0.shardID.hasSuffix("2") }.count])
        // What RETURNING said is what a read finds.
        let read = try await f.rows(store)
        #expect(Set(read.map { "\($0.key) \($0.shardID) \($0.sequence)" }) == Set(stored.map { "\($0.key) \($0.shardID) \($0.sequence)" }))
        store.close()
    }

    @Test func perKeyOrderAndNoLossUnderConcurrentWritersAndReshards() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(shards: 2)
        let writers = 6, perWriter = 150
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter {
                        // Each writer writes its own key in order; a few statements carry two keys.
                        var rows: [Row] = [[.string("w\(w)"), .int(Int64(i))]]
                        if i % 10 == 0 { rows.append([.string("x\(w)-\(i)"), .int(0)]) }
                        let p = try store.prepare(rows: rows)
                        if i % 7 == 0 { await Task.yield() }
                        _ = try await f.committer.commit([p])
                    }
                }
            }
            group.addTask {
                let steps: [([StreamStore.Shard]) throws -> [StreamStore.Shard]] = [
                    { try Resharding.split($0, shard: "shardId-000000000001", at: String((UInt128(3) << 126)), stream: "s") },
                    { try Resharding.uniformScale($0, to: 4, maxShards: 64, stream: "s") },
                    { try Resharding.uniformScale($0, to: 3, maxShards: 64, stream: "s") },
                    { s in
                        let open = s.filter(\.open).sorted { $0.range.start < $1.range.start }
                        return try Resharding.merge(s, open[0].id, open[1].id, stream: "s")
                    },
                    { try Resharding.uniformScale($0, to: 5, maxShards: 64, stream: "s") },
                ]
                for step in steps {
                    try await Task.sleep(nanoseconds: 15_000_000)
                    try await store.reshard(step, persist: { _ in })
                }
            }
            try await group.waitForAll()
        }
        let rows = try await f.rows(store)
        let shards = store.shards
        #expect(shards.filter(\.open).count == 5)
        #expect(rows.count == writers * perWriter + writers * (perWriter / 10))
        // Never misrouted: every row is in a shard whose range holds its key's hash.
        for r in rows {
            let shard = shards.first { $0.id == r.shardID }!
            #expect(shard.range.contains(PartitionHash.hashKey(Array(r.key.utf8))))
            #expect(r.sequence >> 64 == UInt128(shard.index))
        }
        // Per-key order across reshards: a key's rows come out in write order, with increasing sequence numbers.
        for w in 0..<writers {
            let mine = rows.filter { $0.key == "w\(w)" }
            #expect(mine.map(\.n) == (0..<Int64(perWriter)).map { $0 })
            #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
            #expect(Set(mine.map(\.shardID)).count > 1, "the key moved across shards")
        }
        // Stable across a restart: same rows, same sequence numbers.
        store.close()
        let again = try f.reopen(shards)
        let reread = try await f.rows(again)
        #expect(reread.map { "\($0.key) \($0.n) \($0.sequence)" } == rows.map { "\($0.key) \($0.n) \($0.sequence)" })
        // Intermediate shards of uniform scaling never had a log.
        #expect(again.shardStats().contains { $0.stats == nil })
        again.close()
    }

    @Test func aFailedPersistLeavesTheStreamUnchanged() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(shards: 2)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.reshard({ try Resharding.uniformScale($0, to: 4, maxShards: 8, stream: "s") }, persist: { _ in throw Boom() })
        }
        #expect(store.shards.count == 2 && store.shards.allSatisfy(\.open))
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/shardId-000000000002"))
        await #expect(throws: FreshetError.self) {
            try await store.reshard({ try Resharding.merge($0, "shardId-000000000000", "shardId-000000000000", stream: "s") }, persist: { _ in })
        }
        // The gate is open again: writes go through.
        _ = try await f.committer.commit([try store.prepare(rows: [[.string("a"), .int(1)]])])
        #expect(try await f.rows(store).count == 1)
        store.close()
    }

    @Test func recordsOverMaxRecordSizeAreRefused() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(options: .init(maxRecordBytes: 100))
        // key "k" (1 byte) + an encoded row of about 80 bytes fits; 200 bytes of text does not.
        _ = try store.prepare(rows: [[.string("k"), .int(1)]])
        let e = #expect(throws: FreshetError.self) {
            try store.prepare(rows: [[.string("k"), .int(1)], [.string(String(repeating: "x", count: 200)), .int(2)]])
        }
        #expect(e?.state == .programLimitExceeded)
        #expect(e?.message.hasPrefix("row 2 is ") == true)
        #expect(e?.message.contains("over the max_record_size of stream \"s\" (100 bytes)") == true)
        // The COPY path checks too.
        var b = StreamBatchBuilder(store: store)
        let big = [UInt8](repeating: 65, count: 300)
        #expect(throws: FreshetError.self) {
            try big.withUnsafeBytes { pk in try b.appendRow(partitionKey: pk) { $0.append(contentsOf: [1, 2, 3]) } }
        }
        store.options.maxRecordBytes = 1000
        var b2 = StreamBatchBuilder(store: store)
        try big.withUnsafeBytes { pk in try b2.appendRow(partitionKey: pk) { $0.append(contentsOf: [1, 2, 3]) } }
        #expect(b2.rowCount == 1)
        store.close()
    }

    @Test func provisionedStreamsRefuseExcessWritesAndCountThem() async throws {
        let clock = ManualClock()
        let f = StoreFixture(clock: clock)
        defer { f.remove() }
        let store = try f.open(shards: 1, options: .init(capacityMode: .provisioned))
        let rows: [Row] = (0..<600).map { [.string("k\($0)"), .int(Int64($0))] }
        _ = try await f.committer.commit([try store.prepare(rows: rows)])
        let refused = await #expect(throws: FreshetError.self) { _ = try await f.committer.commit([try store.prepare(rows: rows)]) }
        #expect(refused?.state.code == "53400")
        #expect(try await f.rows(store).count == 600, "nothing of the refused write was stored")
        clock.advance(micros: 1_000_000)
        _ = try await f.committer.commit([try store.prepare(rows: rows)])
        #expect(try await f.rows(store).count == 1200)
        let minutes = store.metrics.perMinute()
        #expect(minutes.count == 1 && minutes[0].shard == 0)
        let total = minutes[0].minutes.reduce(StreamMetrics.Counters()) { var t = $0; t.incomingRecords += $1.incomingRecords; t.throttledWrites += $1.throttledWrites; t.outgoingRecords += $1.outgoingRecords; return t }
        #expect(total.incomingRecords == 1200)
        #expect(total.throttledWrites == 1)
        #expect(total.outgoingRecords == 600 + 1200)
        // On-demand streams have no limit.
        store.options.capacityMode = .onDemand
        _ = try await f.committer.commit([try store.prepare(rows: rows + rows)])
        store.close()
    }
}

/// Live readers (SELECT STREAM) follow reshards: a child is read only after its parents.
@Suite(.serialized) struct StreamTailTests {
    @Test func aLiveReaderReadsParentsToTheirEndBeforeChildren() async throws {
        let f = StoreFixture()
        defer { f.remove() }
        let store = try f.open(shards: 1)
        var tail = try StreamTail(store: store, start: .latest, notBefore: .min)
        func write(_ n: Int) async throws {
            _ = try await f.committer.commit([try store.prepare(rows: [[.string("key"), .int(Int64(n))], [.string("other\(n)"), .int(Int64(n))]])])
        }
        try await write(0)
        try await write(1)
        // Not read yet when the split happens; a write prepared before it is committed after it.
        let prepared = try store.prepare(rows: [[.string("key"), .int(2)]])
        try await store.reshard({ try Resharding.split($0, shard: "shardId-000000000000", at: String(UInt128(1) << 127), stream: "s") },
                                persist: { _ in })
        _ = try await f.committer.commit([prepared])
        try await write(3)
        try await store.reshard({ try Resharding.merge($0, "shardId-000000000001", "shardId-000000000002", stream: "s") }, persist: { _ in })
        try await write(4)
        var got: [Row] = []
        // Small reads, so that several calls are needed and the order is decided across them.
        for _ in 0..<40 { got += try tail.next(maxRows: 1) }
        let mine = got.filter { $0.key == "key" }
        #expect(mine.map(\.n) == [0, 1, 2, 3, 4])
        #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        #expect(mine.first?.shardID == "shardId-000000000000" && mine.last?.shardID == "shardId-000000000003")
        #expect(got.count == 9)
        store.close()
    }
}
