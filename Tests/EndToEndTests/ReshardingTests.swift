import Foundation
import FreshetTestSupport
import Testing

/// Resharding through the real server while clients write: nothing acknowledged is
/// lost, each key's rows come out in write order across the reshards, and sequence
/// numbers are the same after a restart.
@Suite(.serialized) struct ReshardingTests {
    @Test func writesDuringReshardsAreNeitherLostNorReordered() throws {
        let f = try ServerFixture()
        let admin = try LibPQConnection(port: f.port)
        try admin.exec("CREATE STREAM rs (k TEXT, n INTEGER) WITH (shards = 2, partition_key = 'k')")
        final class Acks: @unchecked Sendable {
            let lock = NSLock()
            var last: [Int: Int] = [:]
        }
        let acks = Acks()
        let writers = 4, perWriter = 120
        let group = DispatchGroup()
        for w in 0..<writers {
            group.enter()
            let port = f.port
            Thread.detachNewThread {
                defer { group.leave() }
                guard let c = try? LibPQConnection(port: port) else { return }
                for i in 0..<perWriter {
                    guard (try? c.exec("INSERT INTO rs VALUES ('writer-\(w)', \(i))")) != nil else { return }
                    acks.lock.withLock { acks.last[w] = i }
                }
            }
        }
        let steps = [
            "ALTER STREAM rs SPLIT SHARD 'shardId-000000000000' AT '85070591730234615865843651857942052864'",
            "ALTER STREAM rs SET (shards = 5)",
            "ALTER STREAM rs SET (shards = 3)",
            "ALTER STREAM rs SET (shards = 1)",
        ]
        for s in steps {
            Thread.sleep(forTimeInterval: 0.15)
            try admin.exec(s)
        }
        group.wait()
        let rows = try admin.exec("SELECT k, n, _sequence_number, _shard_id FROM rs").rows
        let before = rows.map { "\($0[0]!) \($0[1]!) \($0[2]!)" }
        for w in 0..<writers {
            let mine = rows.filter { $0[0] == "writer-\(w)" }
            let ns = mine.map { Int($0[1]!)! }
            #expect(ns == Array(0..<perWriter), "writer \(w): rows out of order or missing")
            let seqs = mine.map { Decimal(string: $0[2]!)! }
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(acks.lock.withLock { acks.last.count } == writers)
        let open = try admin.exec("SELECT count(*) FROM sys.shards WHERE stream_name = 'rs' AND open").rows
        #expect(open == [["1"]])
        // Same rows and sequence numbers after a restart.
        f.server.stop()
        try f.server.start()
        let again = try LibPQConnection(port: f.port)
        let after = try again.exec("SELECT k, n, _sequence_number FROM rs").rows.map { "\($0[0]!) \($0[1]!) \($0[2]!)" }
        #expect(after == before)
    }
}
