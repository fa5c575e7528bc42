import Foundation
import FreshetTestSupport
import Testing

/// Several clients insert concurrently; the server is SIGKILLed at a random
/// moment, several times in a row, and restarted each time. Every row whose
/// INSERT returned success must be present exactly once, nothing else may
/// be, and every record must read back intact.
@Suite(.serialized) struct CrashTests {
    @Test func sigkillLosesNothingAcknowledged() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-crash")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        do {
            let c = try LibPQConnection(port: server.port)
            try c.exec("CREATE STREAM crash (writer INTEGER, n INTEGER, pad TEXT) WITH (shards = 3, partition_key = 'n')")
        }
        let writers = 4
        final class Ledger: @unchecked Sendable {
            let lock = NSLock()
            var acked = Set<String>()       // "writer:n" of rows whose INSERT succeeded
            var attempted = Set<String>()   // every row ever sent
        }
        let ledger = Ledger()
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let killAfter = Double(Int.random(in: 300...1200, using: &rng)) / 1000
            let group = DispatchGroup()
            for w in 0..<writers {
                group.enter()
                let port = server.port
                Thread.detachNewThread {
                    defer { group.leave() }
                    guard let c = try? LibPQConnection(port: port) else { return }
                    var n = round * 1_000_000
                    while true {
                        n += 1
                        let rows = (0..<3).map { k in "(\(w), \(n * 10 + k), 'x')" }.joined(separator: ", ")
                        ledger.lock.withLock { for k in 0..<3 { ledger.attempted.insert("\(w):\(n * 10 + k)") } }
                        do { try c.exec("INSERT INTO crash VALUES \(rows)") } catch { return }
                        ledger.lock.withLock { for k in 0..<3 { ledger.acked.insert("\(w):\(n * 10 + k)") } }
                    }
                }
            }
            // Kill at a random moment while the writers are busy.
            Thread.sleep(forTimeInterval: killAfter)
            let t0 = Date()
            server.kill()
            group.wait()
            let t1 = Date()
            try server.start()
            let t2 = Date()
            let c = try LibPQConnection(port: server.port)
            let rows = try c.exec("SELECT writer, n FROM crash").rows
            print("crash round \(round): kill+join \(t1.timeIntervalSince(t0))s, restart \(t2.timeIntervalSince(t1))s, read \(rows.count) rows \(Date().timeIntervalSince(t2))s")
            var seen = Set<String>()
            for r in rows {
                let key = "\(r[0]!):\(r[1]!)"
                #expect(seen.insert(key).inserted, "row \(key) stored twice")
            }
            let (ackedNow, attemptedNow) = ledger.lock.withLock { (ledger.acked, ledger.attempted) }
            let missing = ackedNow.subtracting(seen)
            #expect(missing.isEmpty, "round \(round): \(missing.count) acknowledged rows lost, e.g. \(missing.prefix(5))")
            let unexpected = seen.subtracting(attemptedNow)
            #expect(unexpected.isEmpty, "round \(round): rows nobody wrote: \(unexpected.prefix(5))")
            #expect(ackedNow.count > 0, "round \(round): no INSERT succeeded")
            // Rows of a batch that was not acknowledged are all there or all gone per shard; either is fine.
        }
        server.stop()
    }
}
