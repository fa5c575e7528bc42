import Foundation
import FreshetTestSupport
import Testing

/// Reference tables survive SIGKILL: writers run INSERT, UPDATE and DELETE on
/// a table with a primary key while the server is killed at random moments
/// and restarted. Each writer owns its keys and keeps a model of the table
/// after every acknowledged statement; after each restart the table must
/// equal the model, or the model with the one statement that was in flight
/// when the server died (it may or may not have become durable, but never half).
@Suite(.serialized) struct TableCrashTests {
    enum Op { case insert(Int), update(Int), delete(Int) }

    final class Writer: @unchecked Sendable {
        let id: Int
        let lock = NSLock()
        var model: [Int: Int] = [:]     // key → value after the acknowledged statements
        var inFlight: Op?
        var acknowledged = 0
        var nextKey: Int
        init(id: Int) {
            self.id = id
            nextKey = id * 1_000_000
        }

        static func apply(_ op: Op, to m: inout [Int: Int]) {
            switch op {
            case .insert(let k): m[k] = 0
            case .update(let k): m[k]? += 1
            case .delete(let k): m[k] = nil
            }
        }

        func sql(_ op: Op) -> String {
            switch op {
            case .insert(let k): return "INSERT INTO ref VALUES (\(k), \(id), 0)"
            case .update(let k): return "UPDATE ref SET v = v + 1 WHERE k = \(k)"
            case .delete(let k): return "DELETE FROM ref WHERE k = \(k)"
            }
        }

        func run(port: Int) {
            guard let c = try? LibPQConnection(port: port) else { return }
            var rng = SystemRandomNumberGenerator()
            while true {
                let op: Op = lock.withLock {
                    let keys = Array(model.keys)
                    let roll = Int.random(in: 0..<10, using: &rng)
                    if keys.isEmpty || roll < 5 { nextKey += 1; return .insert(nextKey) }
                    let k = keys.randomElement(using: &rng)!
                    return roll < 8 ? .update(k) : .delete(k)
                }
                lock.withLock { inFlight = op }
                do { try c.exec(sql(op)) } catch { return }
                lock.withLock {
                    Writer.apply(op, to: &model)
                    inFlight = nil
                    acknowledged += 1
                }
            }
        }
    }

    @Test func sigkillKeepsAcknowledgedTableChanges() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-table-crash")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        do {
            let c = try LibPQConnection(port: server.port)
            try c.exec("CREATE TABLE ref (k INTEGER PRIMARY KEY, writer INTEGER NOT NULL, v INTEGER)")
        }
        let writers = (1...2).map { Writer(id: $0) }
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let group = DispatchGroup()
            for w in writers {
                group.enter()
                let port = server.port
                Thread.detachNewThread {
                    defer { group.leave() }
                    w.run(port: port)
                }
            }
            Thread.sleep(forTimeInterval: Double(Int.random(in: 300...900, using: &rng)) / 1000)
            server.kill()
            group.wait()
            try server.start()
            let c = try LibPQConnection(port: server.port)
            let rows = try c.exec("SELECT k, writer, v FROM ref").rows
            for w in writers {
                var actual: [Int: Int] = [:]
                for r in rows where Int(r[1]!) == w.id { actual[Int(r[0]!)!] = Int(r[2]!)! }
                let (model, inFlight, acked) = w.lock.withLock { (w.model, w.inFlight, w.acknowledged) }
                var withInFlight = model
                if let op = inFlight { Writer.apply(op, to: &withInFlight) }
                #expect(actual == model || actual == withInFlight,
                        "round \(round), writer \(w.id): table has \(actual.count) keys, model \(model.count) (\(acked) statements acknowledged)")
                #expect(acked > 0, "round \(round): writer \(w.id) had no statement acknowledged")
                // The in-flight statement's outcome is now known: adopt what is stored.
                w.lock.withLock {
                    w.model = actual
                    w.inFlight = nil
                }
            }
            print("table crash round \(round): \(rows.count) rows after restart")
        }
        server.stop()
    }
}
