import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetTestSupport
import Testing

/// A pump working through a backlog closes its ROWTIME windows as its read passes them
/// (StreamTail.readThrough), so its state is bounded by the window, not by the backlog: a
/// backlog of three one-minute windows larger than one read produces one output batch per
/// window while catching up, not all of them once caught up. (In this target because it
/// can import the Engine.)
@Suite(.serialized) struct PumpCatchUpTests {
    static let start: Int64 = 1_767_225_600_000_000   // 2026-01-01 00:00:00

    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message, detail: String(sql.prefix(200)))
        }
    }

    @Test func windowsCloseWhileTheBacklogIsRead() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM src (k INTEGER) WITH (shards = 1)")
        _ = try await run(s, "CREATE STREAM out (k INTEGER, n BIGINT)")
        // 3 minutes × 20,000 rows: each window is more than one read (PumpRunner.readBatch).
        let perMinute = 20_000
        #expect(perMinute > PumpRunner.readBatch)
        for _ in 0..<3 {
            let values = (0..<perMinute).map { "(\($0 % 2))" }.joined(separator: ",")
            _ = try await run(s, "INSERT INTO src VALUES \(values)")
            clock.advance(micros: 60_000_000)
        }
        _ = try await run(s, """
            CREATE PUMP p AS INSERT INTO out SELECT STREAM k, COUNT(*) FROM src START AT TRIM_HORIZON
            GROUP BY k, STEP(src.ROWTIME BY INTERVAL '1' MINUTE)
            """)
        var rows: [[String?]] = []
        for _ in 0..<500 {
            rows = try await run(s, "SELECT k, n FROM out ORDER BY k, n")
            if rows.count >= 6 { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(rows == Array(repeating: ["0", "10000"], count: 3) + Array(repeating: ["1", "10000"], count: 3))
        _ = try await run(s, "ALTER PUMP p STOP")
        guard let (_, found) = engine.pumpsWithRunners().first, let runner = found else {
            Issue.record("no runner")
            return
        }
        let intents = try runner.log.readAll().compactMap { r -> PumpLogRecord.Intent? in
            if case .intent(let i) = r { return i } else { return nil }
        }
        // Before readThrough: one batch with all six rows, written once the pump was idle.
        #expect(intents.count >= 3, "\(intents.count) output batches for 3 windows read as a backlog")
    }
}
