import Foundation
import FreshetTestSupport
import Testing

/// SELECT STREAM delivering rows to live clients as they are committed.
@Suite(.serialized) struct ContinuousQueryTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        var badChunks = 0
    }

    @Test func copySelectStreamDeliversRowsAsTheyArriveAndCancelStopsIt() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM ev (id INTEGER, msg TEXT) WITH (shards = 3, partition_key = 'id')")
        try writer.exec("INSERT INTO ev VALUES (0, 'before')")     // before the query: not delivered (START AT LATEST)
        let reader = try LibPQConnection(port: f.port)
        let received = Box()
        let done = DispatchSemaphore(value: 0)
        let outcome = Box()
        let port = f.port
        _ = port
        Thread.detachNewThread {
            do {
                try reader.copyOut("COPY (SELECT STREAM id, msg FROM ev WHERE id > 0) TO STDOUT") { chunk in
                    // libpq's PQgetCopyData promises one data row at a time: one CopyData per row.
                    received.lock.withLock {
                        received.text += chunk
                        if !(chunk.hasSuffix("\n") && chunk.filter { $0 == "\n" }.count == 1) { received.badChunks += 1 }
                    }
                    return true
                }
                outcome.lock.withLock { outcome.text = "completed" }
            } catch let e as LibPQConnection.Failure {
                outcome.lock.withLock { outcome.text = e.sqlState }
            } catch {
                outcome.lock.withLock { outcome.text = "\(error)" }
            }
            done.signal()
        }
        // Each insert is seen by the live query without the query ending.
        for i in 1...5 {
            Thread.sleep(forTimeInterval: 0.2)
            try writer.exec("INSERT INTO ev VALUES (\(i), 'row \(i)'), (-\(i), 'filtered')")
            var seen = false
            for _ in 0..<100 where !seen {
                seen = received.lock.withLock { received.text.contains("\(i)\trow \(i)\n") }
                if !seen { Thread.sleep(forTimeInterval: 0.05) }
            }
            #expect(seen, "row \(i) did not reach the live query")
        }
        #expect(!received.lock.withLock { received.text.contains("before") || received.text.contains("filtered") })
        #expect(received.lock.withLock { received.badChunks } == 0, "a CopyData message held more or less than one row")
        // CancelRequest ends it with 57014; the session stays usable.
        let canceller = try #require(reader.canceller())
        #expect(canceller.cancel())
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(outcome.lock.withLock { outcome.text } == "57014")
        #expect(try reader.exec("SELECT count(*) FROM ev").rows == [["11"]])
    }

    @Test func selectStreamWithLimitCompletesWhenEnoughRowsArrive() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM lim (n INTEGER)")
        let reader = try LibPQConnection(port: f.port)
        let result = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let r = try? reader.exec("SELECT STREAM n FROM lim WHERE n >= 10 LIMIT 3")
            result.lock.withLock { result.text = r.map { $0.rows.map { $0[0] ?? "NULL" }.joined(separator: ",") } ?? "error" }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        try writer.exec("INSERT INTO lim VALUES (1), (10), (2)")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(done.wait(timeout: .now()) == .timedOut, "the query must wait for more rows")
        try writer.exec("INSERT INTO lim VALUES (11), (12), (13)")
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(result.lock.withLock { result.text } == "10,11,12")
    }

    @Test func clientThatDisconnectsReleasesItsQuery() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM gone (n INTEGER)")
        // psql is killed while its continuous query waits; the server keeps serving.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-X", "-h", "127.0.0.1", "-p", String(f.port), "-U", "freshet", "-d", "freshet", "-c", "COPY (SELECT STREAM n FROM gone) TO STDOUT"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 0.5)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        for i in 0..<20 { try writer.exec("INSERT INTO gone VALUES (\(i))") }
        #expect(try writer.exec("SELECT count(*) FROM gone").rows == [["20"]])
    }

    @Test func psqlFetchCountPrintsRowsAsTheyArrive() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM fc (id INTEGER)")
        // psql with FETCH_COUNT wraps the query in DECLARE … CURSOR and FETCH FORWARD 2; stdbuf makes
        // its stdout line-buffered into the pipe, as it is on a terminal.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        p.arguments = ["-oL", "/usr/bin/psql", "-X", "-h", "127.0.0.1", "-p", String(f.port), "-U", "freshet", "-d", "freshet",
                       "-v", "FETCH_COUNT=2", "-c", "SELECT STREAM id FROM fc WHERE id > 0 LIMIT 4"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let collected = Box()
        out.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            collected.lock.withLock { collected.text += String(decoding: d, as: UTF8.self) }
        }
        try p.run()
        Thread.sleep(forTimeInterval: 0.5)
        try writer.exec("INSERT INTO fc VALUES (1), (2)")
        var sawFirstBatch = false
        for _ in 0..<100 where !sawFirstBatch {
            sawFirstBatch = collected.lock.withLock { collected.text.contains("  2\n") }
            if !sawFirstBatch { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(sawFirstBatch, "the first FETCH batch was not printed before more rows arrived")
        #expect(p.isRunning)
        try writer.exec("INSERT INTO fc VALUES (-1), (3), (4), (5)")
        p.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        // What psql wrote just before it exited may still be in the pipe, not yet seen by
        // the handler (this made the test fail about once in 60 runs under load).
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        collected.lock.withLock { collected.text += String(decoding: rest, as: UTF8.self) }
        let text = collected.lock.withLock { collected.text }
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("(4 rows)"), "\(text)")
        #expect(!text.contains("5\n") && !text.contains("-1"), "\(text)")
    }
}
