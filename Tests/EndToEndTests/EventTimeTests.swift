import Foundation
import FreshetTestSupport
import Testing

/// Event-time and session windows over the wire, on the server's real clock:
/// a session over an event-time column closes when a later row moves the
/// watermark past its end (and a late row is counted, not aggregated); a session
/// over ROWTIME closes on the clock with no further row.
@Suite(.serialized) struct EventTimeTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        var outcome = ""
        func read() -> String { lock.withLock { text } }
    }

    /// Run `COPY (query) TO STDOUT` on its own connection, collecting its output until cancelled.
    func liveCopy(_ f: ServerFixture, _ query: String) throws -> (Box, LibPQConnection, DispatchSemaphore) {
        let reader = try LibPQConnection(port: f.port)
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                try reader.copyOut("COPY (\(query)) TO STDOUT") { chunk in
                    box.lock.withLock { box.text += chunk }
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
        return (box, reader, done)
    }

    func waitFor(_ box: Box, seconds: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(box.read()) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(box.read())
    }

    @Test func eventTimeSessionClosesWhenTheWatermarkPassesItsEnd() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM clicks (u TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (shards = 2, partition_key = 'u')")
        let (box, reader, done) = try liveCopy(f,
            "SELECT STREAM u, SESSION_START(ts, INTERVAL '2' SECOND), SESSION_END(ts, INTERVAL '2' SECOND), count(*) FROM clicks GROUP BY u, SESSION(ts, INTERVAL '2' SECOND)")
        Thread.sleep(forTimeInterval: 0.3)
        try writer.exec("INSERT INTO clicks VALUES ('a', '2026-01-01 10:00:00'), ('a', '2026-01-01 10:00:01.5')")
        // a's session [10:00:00, 10:00:03.5) is open while the watermark is 10:00:00.5.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(box.read().isEmpty, "the session closed before the watermark passed its end")
        try writer.exec("INSERT INTO clicks VALUES ('b', '2026-01-01 10:00:04')")   // watermark 10:00:03: still open
        Thread.sleep(forTimeInterval: 0.5)
        #expect(box.read().isEmpty)
        try writer.exec("INSERT INTO clicks VALUES ('b', '2026-01-01 10:00:05')")   // watermark 10:00:04 closes it
        #expect(waitFor(box) { $0.contains("a\t2026-01-01 10:00:00\t2026-01-01 10:00:03.5\t2\n") }, "got \(box.read())")
        // A row behind the watermark is counted, not aggregated.
        try writer.exec("INSERT INTO clicks VALUES ('c', '2026-01-01 10:00:01')")
        var late = "0"
        for _ in 0..<200 where late != "1" {
            late = try writer.exec("SELECT late_rows FROM sys.streams WHERE name = 'clicks'").rows.first?[0] ?? "?"
            if late != "1" { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(late == "1")
        try writer.exec("INSERT INTO clicks VALUES ('z', '2026-01-01 10:01:00')")
        #expect(waitFor(box) { $0.contains("b\t2026-01-01 10:00:04\t2026-01-01 10:00:07\t2\n") })
        #expect(!box.read().contains("c\t"), "the late row was aggregated")
        #expect(try #require(reader.canceller()).cancel())
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(box.lock.withLock { box.outcome } == "57014")
    }

    @Test func rowtimeSessionClosesOnTheClockWithoutNewRows() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM taps (u TEXT)")
        let (box, reader, done) = try liveCopy(f, "SELECT STREAM u, count(*) FROM taps GROUP BY u, SESSION(ROWTIME, INTERVAL '1' SECOND)")
        Thread.sleep(forTimeInterval: 0.3)
        let start = Date()
        try writer.exec("INSERT INTO taps VALUES ('x'), ('x')")
        #expect(waitFor(box, seconds: 5) { $0 == "x\t2\n" }, "got \(box.read())")
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.9 && elapsed < 3, "closed after \(elapsed) s; the gap is 1 s")
        #expect(try #require(reader.canceller()).cancel())
        #expect(done.wait(timeout: .now() + 10) == .success)
    }
}
