import Foundation
import FreshetTestSupport
import Testing

/// Pumps are exactly once across SIGKILL: writers feed a 3-shard source while a
/// filter/projection pump, a tumbling-window pump and a pump reading the first
/// pump's output (a chain) run; the server is killed several times at random
/// moments and restarted. Once the pumps have caught up, each output stream must
/// equal — as a multiset, no row lost, none duplicated — what its query gives over
/// the source rows that were stored.
@Suite(.serialized) struct PumpCrashTests {
    /// Poll sys.pumps until every pump has read everything (lag_rows = 0) and `extra`
    /// holds; at most `seconds`.
    static func waitCaughtUp(_ c: LibPQConnection, seconds: Double, extra: () throws -> Bool = { true }) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let rows = try c.exec("SELECT pump_name, state, lag_rows FROM sys.pumps").rows
            if rows.allSatisfy({ $0[1] == "RUNNING" && $0[2] == "0" }), try extra() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    static func multiset(_ rows: [[String?]]) -> [String: Int] {
        var m: [String: Int] = [:]
        for r in rows { m[r.map { $0 ?? "NULL" }.joined(separator: "|"), default: 0] += 1 }
        return m
    }

    static func difference(_ a: [String: Int], _ b: [String: Int]) -> [String] {
        var out: [String] = []
        for (k, n) in a where n > (b[k] ?? 0) { out.append("\(k) ×\(n - (b[k] ?? 0))") }
        return out.sorted()
    }

    @Test func sigkillDuringBusyPumpsLosesAndDuplicatesNothing() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-pumpcrash")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        do {
            let c = try LibPQConnection(port: server.port)
            _ = try c.exec("CREATE STREAM src (writer INTEGER, n INTEGER, v INTEGER) WITH (shards = 3, partition_key = 'n')")
            _ = try c.exec("CREATE STREAM filtered (writer INTEGER, n INTEGER, v2 BIGINT) WITH (shards = 2, partition_key = 'n')")
            _ = try c.exec("CREATE STREAM windows (writer INTEGER, ws TIMESTAMP, c BIGINT, s BIGINT)")
            _ = try c.exec("CREATE STREAM chained (n INTEGER, v2 BIGINT)")
            _ = try c.exec("CREATE PUMP pf AS INSERT INTO filtered SELECT STREAM writer, n, v * 2 FROM src WHERE n % 3 <> 0")
            _ = try c.exec("""
                CREATE PUMP pw AS INSERT INTO windows
                SELECT STREAM writer, STEP(src.ROWTIME BY INTERVAL '1' SECOND), COUNT(*), SUM(v) FROM src
                GROUP BY writer, STEP(src.ROWTIME BY INTERVAL '1' SECOND)
                """)
            _ = try c.exec("CREATE PUMP pc AS INSERT INTO chained SELECT STREAM n, v2 FROM filtered WHERE v2 % 4 = 0")
        }
        let writers = 4
        var rng = SystemRandomNumberGenerator()
        let kills = 4
        for round in 0...kills {
            let group = DispatchGroup()
            let stop = NSLock()
            nonisolated(unsafe) var stopping = false
            for w in 0..<writers {
                group.enter()
                let port = server.port
                Thread.detachNewThread {
                    defer { group.leave() }
                    guard let c = try? LibPQConnection(port: port) else { return }
                    var n = round * 1_000_000
                    while !stop.withLock({ stopping }) {
                        n += 1
                        let rows = (0..<5).map { k in "(\(w), \(n * 10 + k), \(n % 97 + k))" }.joined(separator: ", ")
                        do { _ = try c.exec("INSERT INTO src VALUES \(rows)") } catch { return }
                    }
                }
            }
            if round < kills {
                Thread.sleep(forTimeInterval: Double(Int.random(in: 400...1500, using: &rng)) / 1000)
                server.kill()
                group.wait()
                try server.start()
            } else {
                Thread.sleep(forTimeInterval: 0.8)
                stop.withLock { stopping = true }
                group.wait()
            }
        }

        let c = try LibPQConnection(port: server.port)
        let source = try c.exec("SELECT writer, n, v, ROWTIME FROM src").rows
        #expect(source.count > 1000, "the writers stored only \(source.count) rows")
        // The tumbling windows close once the clock passes their end (≤ 1 s after the last row).
        let caughtUp = try PumpCrashTests.waitCaughtUp(c, seconds: 60) {
            let counted = try c.exec("SELECT COALESCE(SUM(c), 0) FROM windows").rows[0][0] ?? "0"
            return Int(counted) ?? 0 >= source.count
        }
        let pumpStates = try c.exec("SELECT pump_name, state, lag_rows, last_error FROM sys.pumps").rows
        #expect(caughtUp, "the pumps did not catch up: \(pumpStates)")

        // Expected outputs, computed here from the stored source rows.
        var expectFiltered: [[String?]] = []
        var expectChained: [[String?]] = []
        var windowAgg: [String: (c: Int, s: Int)] = [:]
        for r in source {
            let writer = r[0]!, n = Int(r[1]!)!, v = Int(r[2]!)!
            if n % 3 != 0 {
                expectFiltered.append([writer, String(n), String(v * 2)])
                if (v * 2) % 4 == 0 { expectChained.append([String(n), String(v * 2)]) }
            }
            let second = String(r[3]!.prefix(19))   // ROWTIME floored to the second
            let key = "\(writer)|\(second)"
            let a = windowAgg[key] ?? (0, 0)
            windowAgg[key] = (a.c + 1, a.s + v)
        }
        let expectWindows = windowAgg.map { k, a in ["\(k)", String(a.c), String(a.s)] as [String?] }
        let gotFiltered = try c.exec("SELECT writer, n, v2 FROM filtered").rows
        let gotChained = try c.exec("SELECT n, v2 FROM chained").rows
        let gotWindows = try c.exec("SELECT writer, ws, c, s FROM windows").rows.map { r -> [String?] in
            ["\(r[0]!)|\(r[1]!.prefix(19))", r[2], r[3]]
        }
        for (label, got, want) in [("filtered", gotFiltered, expectFiltered), ("chained", gotChained, expectChained),
                                   ("windows", gotWindows, expectWindows)] {
            let g = PumpCrashTests.multiset(got), w = PumpCrashTests.multiset(want)
            let lost = PumpCrashTests.difference(w, g), duplicated = PumpCrashTests.difference(g, w)
            #expect(lost.isEmpty, "\(label): \(lost.count) rows lost, e.g. \(lost.prefix(5))")
            #expect(duplicated.isEmpty, "\(label): \(duplicated.count) rows duplicated or unexpected, e.g. \(duplicated.prefix(5))")
            print("pump crash test: \(label): \(got.count) rows, expected \(want.count)")
        }
        print("pump crash test: \(source.count) source rows, \(kills) kills; recoveries logged: \(server.serverLog.components(separatedBy: "recovered batch").count - 1)")
        _ = server.stop()
    }
}
