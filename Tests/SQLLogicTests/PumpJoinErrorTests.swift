import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetTestSupport
import Testing

/// An expression error after a join of two streams in a pump (evaluated when the rows
/// meet, not when they are read) stops the step: the pump shows FAILED with the error,
/// writes nothing of that step, and continues once replaced by a guarded query
/// (docs/continuous-queries.md, "Runtime errors").
@Suite struct PumpJoinErrorTests {
    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message, detail: sql)
        }
    }

    @Test func anErrorAfterTheJoinFailsTheStepUntilReplaced() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: 1_767_225_600_000_000)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM l (k INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM r (k INTEGER, q INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM o (k INTEGER, x INTEGER)")
        let join = "FROM l OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS a JOIN r AS b ON a.k = b.k START AT TRIM_HORIZON"
        _ = try await run(s, "CREATE PUMP pj AS INSERT INTO o SELECT STREAM a.k, 100 / b.q \(join)")
        _ = try await run(s, "INSERT INTO l VALUES (1), (2)")
        _ = try await run(s, "INSERT INTO r VALUES (1, 0), (2, 5)")
        var state: [[String?]] = []
        for _ in 0..<200 {
            state = try await run(s, "SELECT state, last_error, rows_out FROM sys.pumps")
            if state.first?[0] == "FAILED" { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(state == [["FAILED", "division by zero", "0"]])
        #expect(try await run(s, "SELECT count(*) FROM o") == [["0"]])
        _ = try await run(s, "CREATE OR REPLACE PUMP pj AS INSERT INTO o SELECT STREAM a.k, 100 / NULLIF(b.q, 0) \(join)")
        var out: [[String?]] = []
        for _ in 0..<200 {
            out = try await run(s, "SELECT k, x FROM o ORDER BY k")
            if out.count >= 2 { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(out == [["1", nil], ["2", "20"]])
        #expect(try await run(s, "SELECT state FROM sys.pumps") == [["RUNNING"]])
        await engine.shutdown()
    }
}
