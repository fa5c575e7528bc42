import Foundation
import FreshetTestSupport
import Testing

/// Pumps are exactly once across SIGKILL: writers feed a 3-shard source while a
/// filter/projection pump, a tumbling-window pump, a pump reading the first
/// pump's output (a chain), a stream–table join pump, a LEFT join of the source with the
/// first pump's output (two streams, windowed), a sliding-window pump and an event-time session pump run
/// (the last two over one-shard copies of the source, made by pumps too, so that the
/// expected output can be computed from the stored rows in their order); the server is killed several times at random
/// moments and restarted. Once the pumps have caught up, each output stream must
/// equal — as a multiset, no row lost, none duplicated — what its query gives over
/// the source rows that were stored.
@Suite(.serialized) struct PumpCrashTests {
    /// Poll sys.pumps until every pump has read everything (lag_rows = 0, and right_lag_rows
    /// for a join of two streams) and `extra` holds; at most `seconds`.
    static func waitCaughtUp(_ c: LibPQConnection, seconds: Double, extra: () throws -> Bool = { true }) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let rows = try c.exec("SELECT pump_name, state, lag_rows, COALESCE(right_lag_rows, 0) FROM sys.pumps").rows
            if rows.allSatisfy({ $0[1] == "RUNNING" && $0[2] == "0" && $0[3] == "0" }), try extra() { return true }
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
            // A join of two streams: each source row with its filtered copy when that was written within
            // 2 seconds after it (the source's window), else with NULL once the window is over.
            _ = try c.exec("CREATE STREAM matched (writer INTEGER, n INTEGER, v2 BIGINT) WITH (shards = 2, partition_key = 'n')")
            _ = try c.exec("""
                CREATE PUMP pjj AS INSERT INTO matched SELECT STREAM a.writer, a.n, b.v2
                FROM src OVER (RANGE INTERVAL '2' SECOND PRECEDING) AS a LEFT JOIN filtered AS b ON a.writer = b.writer AND a.n = b.n
                """)
            // Rows with v % 7 = 0 fail (division by zero) and go to error_stream.
            _ = try c.exec("CREATE STREAM inverses (n INTEGER, q INTEGER)")
            _ = try c.exec("CREATE PUMP pe AS INSERT INTO inverses SELECT STREAM n, 7000 / (v % 7) FROM src")
            // A one-shard copy of src; over it a sliding window (ROWS: the 5 latest rows of the writer).
            // A stream–table join (the table does not change: the re-run of a batch is identical).
            _ = try c.exec("CREATE TABLE labels (m INTEGER PRIMARY KEY, label VARCHAR)")
            _ = try c.exec("INSERT INTO labels VALUES (0, 'zero'), (1, 'one'), (2, 'two'), (3, 'three')")
            _ = try c.exec("CREATE STREAM labelled (writer INTEGER, n INTEGER, label VARCHAR) WITH (shards = 2, partition_key = 'n')")
            _ = try c.exec("CREATE PUMP pj AS INSERT INTO labelled SELECT STREAM s.writer, s.n, t.label FROM src s JOIN labels t ON s.v % 5 = t.m")
            _ = try c.exec("CREATE STREAM src1 (writer INTEGER, n INTEGER, v INTEGER) WITH (shards = 1)")
            _ = try c.exec("CREATE PUMP p1 AS INSERT INTO src1 SELECT STREAM writer, n, v FROM src")
            _ = try c.exec("CREATE STREAM slid (writer INTEGER, n INTEGER, c BIGINT, s BIGINT)")
            _ = try c.exec("""
                CREATE PUMP ps AS INSERT INTO slid SELECT STREAM writer, n, COUNT(*) OVER w, SUM(v) OVER w FROM src1
                WINDOW w AS (PARTITION BY writer ROWS 4 PRECEDING)
                """)
            // Event time = src1's ROWTIME (non-decreasing in the one shard: no late rows); sessions per writer, gap 50 ms.
            _ = try c.exec("CREATE STREAM ev (writer INTEGER, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts) WITH (shards = 1)")
            _ = try c.exec("CREATE PUMP pv AS INSERT INTO ev SELECT STREAM writer, v, src1.ROWTIME FROM src1")
            _ = try c.exec("CREATE STREAM sessions (writer INTEGER, ss TIMESTAMP, c BIGINT, s BIGINT)")
            _ = try c.exec("""
                CREATE PUMP pss AS INSERT INTO sessions SELECT STREAM writer, SESSION_START(ts, INTERVAL '0.05' SECOND), COUNT(*), SUM(v)
                FROM ev GROUP BY writer, SESSION(ts, INTERVAL '0.05' SECOND)
                """)
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
        let source = try c.exec("SELECT writer, n, v, ROWTIME, EXTRACT(EPOCH FROM ROWTIME) * 1000000 FROM src").rows
        #expect(source.count > 1000, "the writers stored only \(source.count) rows")
        // The tumbling windows close once the clock passes their end (≤ 1 s after the last row).
        // A last row, once the copies have caught up, more than the session gap later: it closes
        // every writer's last session (its own, writer -1, stays open and is not compared).
        #expect(try PumpCrashTests.waitCaughtUp(c, seconds: 60))
        Thread.sleep(forTimeInterval: 0.5)
        _ = try c.exec("INSERT INTO src VALUES (-1, 0, 1)")
        let caughtUp = try PumpCrashTests.waitCaughtUp(c, seconds: 60) {
            let counted = try c.exec("SELECT COALESCE(SUM(c), 0) FROM windows").rows[0][0] ?? "0"
            let sessions = try c.exec("SELECT COALESCE(SUM(c), 0) FROM sessions").rows[0][0] ?? "0"
            let matched = try c.exec("SELECT count(*) FROM matched").rows[0][0] ?? "0"
            return Int(counted) ?? 0 >= source.count + 1 && Int(sessions) ?? 0 >= source.count && Int(matched) ?? 0 >= source.count + 1
        }
        let pumpStates = try c.exec("SELECT pump_name, state, lag_rows, last_error FROM sys.pumps").rows
        #expect(caughtUp, "the pumps did not catch up: \(pumpStates)")

        // Expected outputs, computed here from the stored source rows.
        var expectFiltered: [[String?]] = []
        var expectChained: [[String?]] = []
        var expectInverses: [[String?]] = []
        var expectErrors: [[String?]] = []
        var expectLabelled: [[String?]] = []
        let labels = ["zero", "one", "two", "three"]
        var windowAgg: [String: (c: Int, s: Int)] = [:]
        for r in source {
            let writer = r[0]!, n = Int(r[1]!)!, v = Int(r[2]!)!
            if n % 3 != 0 {
                expectFiltered.append([writer, String(n), String(v * 2)])
                if (v * 2) % 4 == 0 { expectChained.append([String(n), String(v * 2)]) }
            }
            if v % 7 == 0 {
                let text = "(\(writer),\(n),\(v))"
                expectErrors.append(["22012", text.utf8.map { String($0, radix: 16) }.joined(), r[3]])
            } else {
                expectInverses.append([String(n), String(7000 / (v % 7))])
            }
            if v % 5 < 4 { expectLabelled.append([writer, String(n), labels[v % 5]]) }
            let second = String(r[3]!.prefix(19))   // ROWTIME floored to the second
            let key = "\(writer)|\(second)"
            let a = windowAgg[key] ?? (0, 0)
            windowAgg[key] = (a.c + 1, a.s + v)
        }
        let expectWindows = windowAgg.map { k, a in ["\(k)", String(a.c), String(a.s)] as [String?] }
        // Sliding and session outputs, from the one-shard copies in their stored order.
        func bySequence(_ rows: [[String?]], _ column: Int) -> [[String?]] {
            rows.sorted { a, b in
                let x = a[column]!, y = b[column]!
                return x.count != y.count ? x.count < y.count : x < y
            }
        }
        let copy = bySequence(try c.exec("SELECT writer, n, v, _sequence_number FROM src1 WHERE writer >= 0").rows, 3)
        var latest: [String: [Int]] = [:]
        var expectSlid: [[String?]] = []
        for r in copy {
            var vs = latest[r[0]!, default: []]
            vs.append(Int(r[2]!)!)
            if vs.count > 5 { vs.removeFirst() }
            latest[r[0]!] = vs
            expectSlid.append([r[0], r[1], String(vs.count), String(vs.reduce(0, +))])
        }
        let events = bySequence(try c.exec("SELECT writer, v, ts, _sequence_number, EXTRACT(EPOCH FROM ts) * 1000000 FROM ev WHERE writer >= 0").rows, 3)
        var expectSessions: [[String?]] = []
        var open: [String: (start: String, last: Double, c: Int, s: Int)] = [:]
        for r in events {
            let micros = Double(r[4]!)!, v = Int(r[1]!)!
            if let o = open[r[0]!], micros <= o.last + 50_000 {
                open[r[0]!] = (o.start, micros, o.c + 1, o.s + v)
            } else {
                if let o = open[r[0]!] { expectSessions.append([r[0], o.start, String(o.c), String(o.s)]) }
                open[r[0]!] = (r[2]!, micros, 1, v)
            }
        }
        for (w, o) in open { expectSessions.append([w, o.start, String(o.c), String(o.s)]) }
        // The LEFT join of src (window 2 s) with filtered (no window): a pair when the filtered copy's
        // ROWTIME is 0 to 2 s after the source row's (bounds inclusive), else the source row with NULL.
        func micros(_ text: String?) -> Int64 { Int64(Double(text!)!.rounded()) }
        var copies: [String: (v2: String, rowtime: Int64)] = [:]
        for r in try c.exec("SELECT writer, n, v2, EXTRACT(EPOCH FROM ROWTIME) * 1000000 FROM filtered WHERE writer >= 0").rows {
            copies["\(r[0]!)|\(r[1]!)"] = (r[2]!, micros(r[3]))
        }
        var expectMatched: [[String?]] = []
        var pairs = 0
        for r in source {
            if let b = copies["\(r[0]!)|\(r[1]!)"], case let d = b.rowtime - micros(r[4]), d >= 0 && d <= 2_000_000 {
                expectMatched.append([r[0], r[1], b.v2])
                pairs += 1
            } else {
                expectMatched.append([r[0], r[1], nil])
            }
        }
        #expect(pairs > source.count / 2, "only \(pairs) of \(source.count) source rows were paired")
        let gotFiltered = try c.exec("SELECT writer, n, v2 FROM filtered WHERE writer >= 0").rows
        let gotChained = try c.exec("SELECT n, v2 FROM chained").rows
        let gotWindows = try c.exec("SELECT writer, ws, c, s FROM windows WHERE writer >= 0").rows.map { r -> [String?] in
            ["\(r[0]!)|\(r[1]!.prefix(19))", r[2], r[3]]
        }
        let gotInverses = try c.exec("SELECT n, q FROM inverses WHERE n <> 0").rows
        let gotSlid = try c.exec("SELECT writer, n, c, s FROM slid WHERE writer >= 0").rows
        let gotSessions = try c.exec("SELECT writer, ss, c, s FROM sessions").rows
        let gotLabelled = try c.exec("SELECT writer, n, label FROM labelled WHERE writer >= 0").rows
        let gotMatched = try c.exec("SELECT writer, n, v2 FROM matched WHERE writer >= 0").rows
        let gotErrors = try c.exec("SELECT error_name, data_row, data_rowtime FROM error_stream WHERE pump_name = 'pe'").rows
        #expect(expectErrors.count > 10)
        for (label, got, want) in [("filtered", gotFiltered, expectFiltered), ("chained", gotChained, expectChained),
                                   ("windows", gotWindows, expectWindows), ("inverses", gotInverses, expectInverses),
                                   ("error_stream", gotErrors, expectErrors),
                                   ("src1", copy.map { Array($0.prefix(3)) }, source.map { Array($0.prefix(3)) }),
                                   ("slid", gotSlid, expectSlid), ("sessions", gotSessions, expectSessions),
                                   ("labelled", gotLabelled, expectLabelled), ("matched", gotMatched, expectMatched)] {
            let g = PumpCrashTests.multiset(got), w = PumpCrashTests.multiset(want)
            let lost = PumpCrashTests.difference(w, g), duplicated = PumpCrashTests.difference(g, w)
            #expect(lost.isEmpty, "\(label): \(lost.count) rows lost, e.g. \(lost.prefix(5))")
            #expect(duplicated.isEmpty, "\(label): \(duplicated.count) rows duplicated or unexpected, e.g. \(duplicated.prefix(5))")
            print("pump crash test: \(label): \(got.count) rows, expected \(want.count)")
        }
        let counters = try c.exec("SELECT pump_name, rows_out, error_rows FROM sys.pumps WHERE pump_name = 'pe'").rows
        #expect(counters.first?[1] == String(expectInverses.count + 1) && counters.first?[2] == String(expectErrors.count))   // + the last row
        print("pump crash test: \(source.count) source rows, \(kills) kills; recoveries logged: \(server.serverLog.components(separatedBy: "recovered batch").count - 1) (of the join pump: \(server.serverLog.components(separatedBy: "pump pjj: recovered batch").count - 1)); source rows paired by the join: \(pairs)")
        _ = server.stop()
    }
}

/// CREATE OR REPLACE PUMP under load, with a SIGKILL between replacements: every
/// source row reaches the target exactly once, computed by whichever definition
/// was in place when the pump read it, and the definitions follow each other in
/// order per shard (no row is read twice, none skipped).
@Suite(.serialized) struct PumpReplaceTests {
    @Test func replacingUnderLoadContinuesWithoutGapOrDuplicate() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-pumpreplace")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        do {
            let c = try LibPQConnection(port: server.port)
            _ = try c.exec("CREATE STREAM src (n INTEGER, v INTEGER) WITH (shards = 2, partition_key = 'n')")
            _ = try c.exec("CREATE STREAM dst (n INTEGER, v INTEGER, g INTEGER)")
            _ = try c.exec("CREATE PUMP p AS INSERT INTO dst SELECT STREAM n, v, 1 FROM src")
        }
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var stop = false
            var port = 0
        }
        let counter = Counter()
        counter.port = server.port
        let group = DispatchGroup()
        for w in 0..<3 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var n = w * 100_000_000
                var c = try? LibPQConnection(port: counter.lock.withLock { counter.port })
                while !counter.lock.withLock({ counter.stop }) {
                    n += 1
                    do {
                        guard let conn = c else { throw CancellationError() }
                        _ = try conn.exec("INSERT INTO src VALUES (\(n * 2), \(n % 1000)), (\(n * 2 + 1), \(n % 1000))")
                    } catch {
                        // The server is being killed and restarted: reconnect.
                        Thread.sleep(forTimeInterval: 0.05)
                        c = try? LibPQConnection(port: counter.lock.withLock { counter.port })
                    }
                }
            }
        }
        for generation in 2...5 {
            Thread.sleep(forTimeInterval: 0.4)
            let c = try LibPQConnection(port: server.port)
            _ = try c.exec("CREATE OR REPLACE PUMP p AS INSERT INTO dst SELECT STREAM n, v, \(generation) FROM src")
            if generation == 3 {
                Thread.sleep(forTimeInterval: 0.2)
                server.kill()
                try server.start()
                counter.lock.withLock { counter.port = server.port }
            }
        }
        Thread.sleep(forTimeInterval: 0.4)
        counter.lock.withLock { counter.stop = true }
        group.wait()
        let c = try LibPQConnection(port: server.port)
        let source = try c.exec("SELECT n, v, _shard_id, _sequence_number FROM src").rows
        let caughtUp = try PumpCrashTests.waitCaughtUp(c, seconds: 60)
        #expect(caughtUp)
        let out = try c.exec("SELECT n, v, g FROM dst").rows
        var byN: [String: [String]] = [:]
        for r in out { byN[r[0]!, default: []].append(r[2]!) }
        var lost = 0, duplicated = 0
        for r in source {
            switch byN[r[0]!]?.count ?? 0 {
            case 0: lost += 1
            case 1: break
            default: duplicated += 1
            }
        }
        #expect(source.count > 100)
        #expect(out.count == source.count, "source \(source.count) rows, output \(out.count)")
        #expect(lost == 0 && duplicated == 0, "\(lost) lost, \(duplicated) duplicated")
        // Per source shard, in sequence order, the generation never goes down, and every generation appears.
        var generationsSeen = Set<String>()
        for shard in Set(source.map { $0[2]! }) {
            let rows = source.filter { $0[2]! == shard }.sorted { $0[3]!.count != $1[3]!.count ? $0[3]!.count < $1[3]!.count : $0[3]! < $1[3]! }
            var last = 0
            for r in rows {
                guard let g = byN[r[0]!]?.first.flatMap({ Int($0) }) else { continue }
                generationsSeen.insert(String(g))
                #expect(g >= last, "shard \(shard): generation \(g) after \(last)")
                last = g
            }
        }
        #expect(generationsSeen.count >= 4, "generations that wrote rows: \(generationsSeen.sorted())")
        _ = server.stop()
    }
}
