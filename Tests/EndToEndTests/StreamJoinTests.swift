import Foundation
import FreshetTestSupport
import Testing

/// Continuous joins over the wire with the real clock: a stream joined to a
/// table whose change is seen by later rows, and two streams within a window
/// whose unmatched outer row comes out once the window has passed.
@Suite(.serialized) struct StreamJoinTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
    }

    /// Run `sql` on its own connection and thread; the rows (comma-joined per row, ";" between rows) land in the box.
    func runInBackground(port: Int, _ sql: String) throws -> (Box, DispatchSemaphore) {
        let reader = try LibPQConnection(port: port)
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let text: String
            do {
                text = try reader.exec(sql).rows.map { $0.map { $0 ?? "NULL" }.joined(separator: ",") }.joined(separator: ";")
            } catch {
                text = "error: \(error)"
            }
            box.lock.withLock { box.text = text }
            done.signal()
        }
        return (box, done)
    }

    @Test func streamTableJoinSeesTableChangesCommittedBeforeTheRow() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE TABLE companies (ticker VARCHAR(8) PRIMARY KEY, name VARCHAR)")
        try writer.exec("INSERT INTO companies VALUES ('AAPL', 'Apple')")
        try writer.exec("CREATE STREAM trades (ticker VARCHAR(8), price DOUBLE) WITH (shards = 2, partition_key = 'ticker')")
        let (box, done) = try runInBackground(port: f.port,
            "SELECT STREAM t.ticker, c.name, t.price FROM trades AS t LEFT JOIN companies AS c ON t.ticker = c.ticker LIMIT 3")
        Thread.sleep(forTimeInterval: 0.3)
        try writer.exec("INSERT INTO trades VALUES ('AAPL', 190), ('IBM', 140)")
        Thread.sleep(forTimeInterval: 0.3)
        try writer.exec("INSERT INTO companies VALUES ('IBM', 'IBM Corp')")
        try writer.exec("INSERT INTO trades VALUES ('IBM', 141)")
        #expect(done.wait(timeout: .now() + 10) == .success)
        let rows = box.lock.withLock { box.text }.split(separator: ";").map(String.init)
        #expect(rows.sorted() == ["AAPL,Apple,190", "IBM,IBM Corp,141", "IBM,NULL,140"])
        #expect(rows.last == "IBM,IBM Corp,141")
    }

    @Test func streamStreamLeftJoinEmitsTheUnmatchedRowAfterItsWindow() throws {
        let f = try ServerFixture()
        let writer = try LibPQConnection(port: f.port)
        try writer.exec("CREATE STREAM orders (id INTEGER, item TEXT)")
        try writer.exec("CREATE STREAM shipments (order_id INTEGER, carrier TEXT)")
        let (box, done) = try runInBackground(port: f.port,
            "SELECT STREAM o.id, o.item, s.carrier FROM orders OVER (RANGE INTERVAL '1' SECOND PRECEDING) AS o LEFT JOIN shipments AS s ON o.id = s.order_id LIMIT 2")
        Thread.sleep(forTimeInterval: 0.3)
        let start = Date()
        try writer.exec("INSERT INTO orders VALUES (1, 'book'), (2, 'lamp')")
        try writer.exec("INSERT INTO shipments VALUES (1, 'ups'), (3, 'nobody ordered')")
        #expect(done.wait(timeout: .now() + 10) == .success)
        let elapsed = Date().timeIntervalSince(start)
        #expect(box.lock.withLock { box.text } == "1,book,ups;2,lamp,NULL")
        // Order 2 can only be reported unmatched once its 1-second window has passed.
        #expect(elapsed >= 1.0 && elapsed < 5, "took \(elapsed) s")
    }
}
