import CLibPQ
import Foundation
import FreshetTestSupport
import Testing

/// A COPY over a few MiB is staged (CopyInReceiver, StagedStreamWrite): its rows go to
/// per-shard staging files while it runs and are linked in at CopyDone. Readers see
/// none of them before and all after; a server killed during the CopyDone commit has
/// all or none after a restart and goes on with consecutive sequence numbers; a
/// reshard or DROP STREAM during the COPY fails it and leaves nothing behind.
@Suite(.serialized) struct CopyStagingTests {
    let io = CopyAtomicityTests()

    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var lines = 0
        var outcome = ""
    }

    /// Staging files anywhere under `directory`.
    func stagingFiles(_ directory: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: directory) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".staging") }
    }

    /// Every shard's sequence numbers (decimal) in order; each must count 1, 2, 3 … in its shard.
    func expectConsecutiveSequences(_ c: LibPQConnection, _ stream: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = try c.exec("SELECT _shard_id, _sequence_number FROM \(stream)").rows
        var byShard: [String: [UInt128]] = [:]
        for r in rows { byShard[r[0]!, default: []].append(UInt128(r[1]!)!) }
        for (shard, seqs) in byShard {
            let low = seqs.map { UInt64(truncatingIfNeeded: $0) }.sorted()
            #expect(low == Array(1...UInt64(low.count)), "shard \(shard): sequence numbers not 1…\(low.count)", sourceLocation: sourceLocation)
        }
    }

    @Test func aLiveReaderSeesNoRowOfAStagedCopyUntilCopyDoneThenAll() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM sr (id INTEGER, k TEXT, s TEXT) WITH (shards = 2, partition_key = 'k')")
        let reader = try LibPQConnection(port: f.port)
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                try reader.copyOut("COPY (SELECT STREAM id FROM sr) TO STDOUT") { chunk in
                    box.lock.withLock { box.lines += chunk.filter { $0 == "\n" }.count }
                    return true
                }
                box.lock.withLock { box.outcome = "completed" }
            } catch let e as LibPQConnection.Failure {
                box.lock.withLock { box.outcome = e.sqlState }
            } catch {
                box.lock.withLock { box.outcome = "\(error)" }
            }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        let n = 150_000   // ~15 MB: staged
        #expect(try io.send(writer, "COPY sr FROM STDIN WITH (FORMAT csv)", io.rows(0..<n)))
        // All sent; the staging files exist (the rows are being written) but nobody sees a row.
        var staged = false
        for _ in 0..<100 where !staged {
            staged = !stagingFiles(f.directory.path).isEmpty
            if !staged { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(staged, "a COPY of this size writes staging files as it goes")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(box.lock.withLock { box.lines } == 0)
        let other = try LibPQConnection(port: f.port)
        #expect(try other.exec("SELECT count(*) FROM sr").rows == [["0"]])
        #expect(io.end(writer) == "COPY \(n)")
        var seen = 0
        for _ in 0..<600 where seen < n {
            seen = box.lock.withLock { box.lines }
            if seen < n { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(seen == n)
        #expect(stagingFiles(f.directory.path).isEmpty)
        #expect(try writer.exec("SELECT count(*) FROM sr").rows == [["\(n)"]])
        // Input order is kept within each key.
        let key = try writer.exec("SELECT id FROM sr WHERE k = 'user-7'").rows.map { Int($0[0]!)! }
        #expect(key == key.sorted() && key.count > 100)
        try expectConsecutiveSequences(writer, "sr")
        let canceller = try #require(reader.canceller())
        #expect(canceller.cancel())
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test func copyFailAndABadRowDeleteTheStagingFiles() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM sf (id INTEGER, k TEXT, s TEXT) WITH (shards = 3, partition_key = 'k')")
        // A bad row after ~12 MB of good ones.
        let bad = io.rows(0..<120_000) + Array("x,user-1,bad\n".utf8)
        #expect(try io.send(c, "COPY sf FROM STDIN WITH (FORMAT csv)", bad))
        #expect(io.end(c).contains("line 120001"))
        #expect(stagingFiles(f.directory.path).isEmpty)
        // CopyFail after ~12 MB.
        #expect(try io.send(c, "COPY sf FROM STDIN WITH (FORMAT csv)", io.rows(0..<120_000)))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(PQputCopyEnd(c.raw, "client gave up") == 1)
        while let r = PQgetResult(c.raw) { PQclear(r) }
        var left = stagingFiles(f.directory.path)
        for _ in 0..<40 where !left.isEmpty { Thread.sleep(forTimeInterval: 0.05); left = stagingFiles(f.directory.path) }
        #expect(left.isEmpty)
        #expect(try c.exec("SELECT count(*) FROM sf").rows == [["0"]])
        // A connection lost mid-COPY.
        do {
            let gone = try LibPQConnection(port: f.port)
            #expect(try io.send(gone, "COPY sf FROM STDIN WITH (FORMAT csv)", io.rows(0..<120_000)))
            Thread.sleep(forTimeInterval: 0.3)
        }
        left = stagingFiles(f.directory.path)
        for _ in 0..<100 where !left.isEmpty { Thread.sleep(forTimeInterval: 0.05); left = stagingFiles(f.directory.path) }
        #expect(left.isEmpty)
        #expect(try c.exec("SELECT count(*) FROM sf").rows == [["0"]])
        // The stream takes rows as before.
        #expect(try io.send(c, "COPY sf FROM STDIN WITH (FORMAT csv)", io.rows(0..<100_000)))
        #expect(io.end(c) == "COPY 100000")
        try expectConsecutiveSequences(c, "sf")
    }

    @Test func aReshardOrDropDuringAStagedCopyFailsItAndLeavesNothing() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        let admin = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM sh (id INTEGER, k TEXT, s TEXT) WITH (shards = 2, partition_key = 'k')")
        #expect(try io.send(c, "COPY sh FROM STDIN WITH (FORMAT csv)", io.rows(0..<120_000)))
        try admin.exec("ALTER STREAM sh SET (shards = 3)")
        let err = io.end(c)
        #expect(err.contains("resharded during the COPY"), "\(err)")
        #expect(stagingFiles(f.directory.path).isEmpty)
        #expect(try c.exec("SELECT count(*) FROM sh").rows == [["0"]])
        // Run again, it is stored.
        #expect(try io.send(c, "COPY sh FROM STDIN WITH (FORMAT csv)", io.rows(0..<120_000)))
        #expect(io.end(c) == "COPY 120000")
        try expectConsecutiveSequences(c, "sh")

        try c.exec("CREATE STREAM sd (id INTEGER, k TEXT, s TEXT) WITH (shards = 2, partition_key = 'k')")
        #expect(try io.send(c, "COPY sd FROM STDIN WITH (FORMAT csv)", io.rows(0..<120_000)))
        try admin.exec("DROP STREAM sd")
        let err2 = io.end(c)
        #expect(!err2.hasPrefix("COPY"), "\(err2)")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(stagingFiles(f.directory.path).isEmpty)
        #expect(try c.exec("SELECT count(*) FROM sh").rows == [["120000"]])
    }

    @Test func sigkillDuringTheCommitOfAStagedCopyKeepsAllOrNone() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-copystage-kill")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        defer { _ = server.stop() }
        do {
            let c = try LibPQConnection(port: server.port)
            try c.exec("CREATE STREAM sk (id INTEGER, k TEXT, s TEXT) WITH (shards = 3, partition_key = 'k')")
            #expect(try io.send(c, "COPY sk FROM STDIN WITH (FORMAT csv)", io.rows(0..<500)))
            #expect(io.end(c) == "COPY 500")
        }
        var expected = 500
        var outcomes: [String] = []
        let n = 100_000
        // How long CopyDone takes to answer here (the parsing still behind, then the commit).
        let c0 = try LibPQConnection(port: server.port)
        #expect(try io.send(c0, "COPY sk FROM STDIN WITH (FORMAT csv)", io.rows(expected..<(expected + n))))
        let t0 = Date()
        #expect(io.end(c0) == "COPY \(n)")
        let took = Date().timeIntervalSince(t0)
        expected += n
        // CopyDone, then a kill after delays around that: before, during and after the commit.
        for fraction in [0.5, 0.8, 0.9, 0.97, 1.03, 1.1, 1.5] {
            let delay = took * fraction
            let c = try LibPQConnection(port: server.port)
            #expect(try io.send(c, "COPY sk FROM STDIN WITH (FORMAT csv)", io.rows(expected..<(expected + n))))
            #expect(PQputCopyEnd(c.raw, nil) == 1)
            _ = PQflush(c.raw)
            Thread.sleep(forTimeInterval: delay)
            server.kill()
            try server.start()
            let c2 = try LibPQConnection(port: server.port)
            let count = Int(try c2.exec("SELECT count(*) FROM sk").rows[0][0]!)!
            #expect(count == expected || count == expected + n, "after a kill \(delay) s after CopyDone: \(count) rows, not \(expected) or \(expected + n)")
            outcomes.append(count == expected ? "none" : "all")
            expected = count
            #expect(stagingFiles(dir.path).isEmpty)
            // New writes go on with the next sequence numbers in every shard.
            try c2.exec("INSERT INTO sk VALUES (-1, 'user-1', 'a'), (-2, 'user-2', 'b'), (-3, 'user-3', 'c'), (-4, 'user-4', 'd')")
            expected += 4
            try expectConsecutiveSequences(c2, "sk")
        }
        print("CopyStagingTests: CopyDone took \(took) s; kill outcomes by delay: \(outcomes)")
    }
}
