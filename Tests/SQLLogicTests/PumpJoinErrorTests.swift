import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetStorage
import FreshetTestSupport
import Testing

/// An expression error after a join of two streams in a pump (evaluated when the rows
/// meet, not when they are read) sends that joined row to error_stream; every other pair
/// goes on to the target and the pump stays RUNNING (docs/continuous-queries.md, "Runtime
/// errors: error_stream"). A logged batch re-runs to the same output and the same error rows.
@Suite struct PumpJoinErrorTests {
    static let start: Int64 = 1_767_225_600_000_000   // 2026-01-01 00:00:00

    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message, detail: sql)
        }
    }

    /// Poll `sql` until it returns `count` rows (or give up after ~4 s); returns the last result.
    func poll(_ s: Session, _ sql: String, rows count: Int) async throws -> [[String?]] {
        var out: [[String?]] = []
        for _ in 0..<200 {
            out = try await run(s, sql)
            if out.count >= count { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return out
    }

    /// Poll `sql` until it returns `expected` (or give up after ~4 s); returns the last result.
    /// sys.pumps' counters are published just after the batch's rows are committed, so a
    /// reader that has seen the rows may still see the counters of the batch before.
    func poll(_ s: Session, _ sql: String, until expected: [[String?]]) async throws -> [[String?]] {
        var out: [[String?]] = []
        for _ in 0..<200 {
            out = try await run(s, sql)
            if out == expected { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return out
    }

    static func text(hex: String?) -> String? {
        guard let hex else { return nil }
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func failingPairsGoToErrorStreamAndTheOthersToTheTarget() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM l (k INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM r (k INTEGER, q INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM o (k INTEGER, x INTEGER)")
        let join = "FROM l OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS a JOIN r AS b ON a.k = b.k START AT TRIM_HORIZON"
        // The select list divides by q, WHERE by q - 5: pairs with q = 0 or q = 5 fail.
        _ = try await run(s, "CREATE PUMP pj AS INSERT INTO o SELECT STREAM a.k, 100 / b.q \(join) WHERE 10 / (b.q - 5) <> 7")
        _ = try await run(s, "INSERT INTO l VALUES (1), (2), (3)")
        clock.advance(micros: 1_000_000)
        _ = try await run(s, "INSERT INTO r VALUES (1, 0), (2, 10), (3, 5), (2, 0)")
        let out = try await poll(s, "SELECT k, x FROM o ORDER BY k", rows: 1)
        let errors = try await poll(s, "SELECT error_name, message, data_rowtime, data_row, pump_name FROM error_stream WHERE pump_name = 'pj'", rows: 3)
        #expect(out == [["2", "10"]])
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0[0] == "22012" && $0[1] == "division by zero" && $0[4] == "pj" })
        // DATA_ROWTIME is the pair's ROWTIME (the right rows', 1 s later); DATA_ROW the joined row (left's columns, then right's).
        #expect(errors.allSatisfy { $0[2] == "2026-01-01 00:00:01" })
        let rows = errors.compactMap { Self.text(hex: $0[3]) }
        #expect(rows.count == 3)
        for (k, q) in [(1, 0), (3, 5), (2, 0)] {
            #expect(rows.contains { $0.hasPrefix("(\(k),2026-01-01 00:00:00") && $0.contains(",\(k),\(q),2026-01-01 00:00:01") },
                    "no error row for the pair (\(k), \(q)) in \(rows)")
        }
        #expect(try await poll(s, "SELECT state, last_error, rows_out, error_rows FROM sys.pumps", until: [["RUNNING", nil, "1", "3"]]) == [["RUNNING", nil, "1", "3"]])
        // The pump goes on with later rows.
        clock.advance(micros: 1_000_000)
        _ = try await run(s, "INSERT INTO r VALUES (3, 20), (1, 0)")
        let more = try await poll(s, "SELECT k, x FROM o ORDER BY k", rows: 2)
        #expect(more == [["2", "10"], ["3", "5"]])
        #expect(try await poll(s, "SELECT 1 FROM error_stream WHERE pump_name = 'pj'", rows: 4).count == 4)
        #expect(try await poll(s, "SELECT state, rows_out, error_rows FROM sys.pumps", until: [["RUNNING", "2", "4"]]) == [["RUNNING", "2", "4"]])

        // Every logged batch re-runs (from the checkpoint and the batches since it) to the rows and the error rows it wrote.
        _ = try await run(s, "ALTER PUMP pj STOP")
        let runner = engine.pumpsWithRunners()[0].runner!
        let setup = try runner.setup(engine)
        let notBefore = setup.inputs.map { engine.retentionCutoff($0.oid) }
        var last: PumpLogRecord.Checkpoint?
        var chain: [PumpLogRecord.Intent] = []   // the batches since `last`
        var errorBatches = 0
        for record in try runner.log.readAll() {
            switch record {
            case .checkpoint(let c): last = c; chain = []
            case .intent(let intent):
                let before = try #require(last)
                let prior = chain
                chain.append(intent)
                var pipeline = try runner.replay(before.state, from: before.positions, batches: prior, steps: [], setup: setup, notBefore: notBefore)
                var tails = try setup.tails(at: intent.from, notBefore: notBefore)
                let (rerunOut, rerunErrors, _) = try runner.rerun(intent, pipeline: &pipeline, tails: &tails, setup: setup) {
                    try runner.replay(before.state, from: before.positions, batches: prior, steps: Array(intent.steps.dropLast()), setup: setup, notBefore: notBefore)
                }
                let tag = ProducerTag(producer: runner.oid, sequence: intent.batch)
                let written = try setup.targetStore.rows(taggedWith: tag, from: intent.starts[setup.targetOID] ?? [:])
                let writtenErrors = try setup.errorStore.rows(taggedWith: tag, from: intent.starts[setup.errorOID] ?? [:])
                #expect(written.count == rerunOut.count && writtenErrors.count == rerunErrors.count)
                #expect(try runner.missing(rerunOut, in: setup.targetStore, tag: tag, from: intent.starts[setup.targetOID] ?? [:]).isEmpty)
                #expect(try runner.missing(rerunErrors.map(\.row), in: setup.errorStore, tag: tag, from: intent.starts[setup.errorOID] ?? [:]).isEmpty)
                if !rerunErrors.isEmpty { errorBatches += 1 }
            }
        }
        #expect(errorBatches >= 2)
        await engine.shutdown()
    }

    /// A pair whose ON condition fails counts as not matching (as a NULL condition would): a
    /// LEFT row with no other match comes out with NULLs once its window ends.
    @Test func aFailingOnConditionIsNotAMatch() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM l (k INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM r (k INTEGER, q INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM o (k INTEGER, q INTEGER, rt TIMESTAMP)")
        _ = try await run(s, """
            CREATE PUMP pon AS INSERT INTO o SELECT STREAM a.k, b.q, ROWTIME
            FROM l OVER (RANGE INTERVAL '10' SECOND PRECEDING) AS a LEFT JOIN r AS b ON a.k = b.k AND 10 / b.q > 1 START AT TRIM_HORIZON
            """)
        _ = try await run(s, "INSERT INTO l VALUES (1), (2)")
        clock.advance(micros: 1_000_000)
        _ = try await run(s, "INSERT INTO r VALUES (1, 0), (2, 0), (2, 2)")
        #expect(try await poll(s, "SELECT k, q, rt FROM o", rows: 1) == [["2", "2", "2026-01-01 00:00:01"]])
        clock.advance(micros: 10_000_000)
        let out = try await poll(s, "SELECT k, q, rt FROM o ORDER BY k", rows: 2)
        #expect(out == [["1", nil, "2026-01-01 00:00:10"], ["2", "2", "2026-01-01 00:00:01"]])
        let errors = try await run(s, "SELECT error_name, data_rowtime FROM error_stream WHERE pump_name = 'pon'")
        #expect(errors == [["22012", "2026-01-01 00:00:01"], ["22012", "2026-01-01 00:00:01"]])
        #expect(try await poll(s, "SELECT state, rows_out, error_rows FROM sys.pumps", until: [["RUNNING", "2", "2"]]) == [["RUNNING", "2", "2"]])
        await engine.shutdown()
    }

    /// A window aggregate after the join: a row whose aggregate argument fails leaves no trace in
    /// the window (COUNT(*), evaluated before the failing SUM's argument, does not count it).
    @Test func aFailingAggregateArgumentLeavesTheWindowUntouched() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM l (k INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM r (k INTEGER, q INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM o (k INTEGER, n BIGINT, total BIGINT)")
        _ = try await run(s, """
            CREATE PUMP pagg AS INSERT INTO o SELECT STREAM a.k, COUNT(*), SUM(100 / b.q)
            FROM l OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS a JOIN r AS b ON a.k = b.k START AT TRIM_HORIZON
            GROUP BY a.k, STEP(ROWTIME BY INTERVAL '1' MINUTE)
            """)
        _ = try await run(s, "INSERT INTO l VALUES (1), (2)")
        clock.advance(micros: 1_000_000)
        _ = try await run(s, "INSERT INTO r VALUES (1, 0), (1, 5), (2, 0), (1, 10)")
        try await Task.sleep(nanoseconds: 200_000_000)
        clock.advance(micros: 60_000_000)
        let out = try await poll(s, "SELECT k, n, total FROM o", rows: 1)
        #expect(out == [["1", "2", "30"]])
        let errors = try await poll(s, "SELECT error_name FROM error_stream WHERE pump_name = 'pagg'", rows: 2)
        #expect(errors == [["22012"], ["22012"]])
        #expect(try await poll(s, "SELECT state, rows_out, error_rows FROM sys.pumps", until: [["RUNNING", "1", "2"]]) == [["RUNNING", "1", "2"]])
        await engine.shutdown()
    }
}
