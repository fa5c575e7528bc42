import Foundation
import FreshetCore
import FreshetEngine
import FreshetTestSupport
import Testing

/// Time-dependent behaviour with an injected ManualClock: ROWTIME comes
/// from the engine's clock, and SELECT never returns rows older than the
/// stream's retention.
@Suite struct RetentionAndClockTests {
    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message)
        }
    }

    @Test func rowsOlderThanRetentionAreNotReturned() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: 1_767_225_600_000_000) // 2026-01-01 00:00:00
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM r (a INTEGER) WITH (retention = '24 hours')")
        _ = try await run(s, "INSERT INTO r VALUES (1)")
        clock.advance(micros: 20 * 3_600_000_000)
        _ = try await run(s, "INSERT INTO r VALUES (2)")
        #expect(try await run(s, "SELECT a, ROWTIME FROM r ORDER BY a") == [["1", "2026-01-01 00:00:00"], ["2", "2026-01-01 20:00:00"]])
        // 25 hours after the first row: it is past retention, the second is not.
        clock.advance(micros: 5 * 3_600_000_000)
        #expect(try await run(s, "SELECT a FROM r") == [["2"]])
        clock.advance(micros: 24 * 3_600_000_000)
        #expect(try await run(s, "SELECT count(*) FROM r") == [["0"]])
        await engine.shutdown()
    }

    @Test func rowtimeNeverGoesBackwards() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: 1_767_225_600_000_000)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM m (a INTEGER) WITH (shards = 3, partition_key = 'a')")
        _ = try await run(s, "INSERT INTO m VALUES (1), (2), (3)")
        clock.advance(micros: -3_600_000_000) // the system clock steps back an hour
        _ = try await run(s, "INSERT INTO m VALUES (4)")
        let rows = try await run(s, "SELECT a, ROWTIME FROM m ORDER BY a")
        #expect(rows.map { $0[1] } == Array(repeating: "2026-01-01 00:00:00", count: 4))
        await engine.shutdown()
    }

    @Test func catalogAndRowsSurviveReopen() async throws {
        let dir = try TemporaryDirectory()
        do {
            let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data"))
            let s = engine.openSession(user: "t", database: "t")
            _ = try await run(s, "CREATE STREAM p (k TEXT, v DECIMAL(10,3)) WITH (shards = 2, partition_key = 'k')")
            _ = try await run(s, "INSERT INTO p VALUES ('a', 1.5), ('b', -2.25), ('c', NULL)")
            await engine.shutdown()
        }
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data"))
        let s = engine.openSession(user: "t", database: "t")
        #expect(try await run(s, "SELECT k, v FROM p ORDER BY k") == [["a", "1.500"], ["b", "-2.250"], ["c", nil]])
        _ = try await run(s, "INSERT INTO p VALUES ('d', 4)")
        // Sequence numbers continue after a restart: unique across the stream.
        #expect(try await run(s, "SELECT count(DISTINCT _sequence_number) FROM p") == [["4"]])
        await engine.shutdown()
    }

    /// Regression: a windowed SELECT STREAM … START AT TRIM_HORIZON over many retained rows
    /// (several segments) must not close windows before every published row was read —
    /// a read that stops at a segment's end is not the end of the data.
    @Test func windowsOverRetainedRowsSpanningSegmentsAreComplete() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: 1_767_225_600_000_000)
        // Small segments, so the rows span many of them.
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock, segmentBytes: 64 << 10))
        let s = engine.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE STREAM big (k INTEGER, pad TEXT) WITH (shards = 2, partition_key = 'k')")
        for second in 0..<4 {
            let values = (0..<5_000).map { "(\($0), 'padding padding padding')" }.joined(separator: ", ")
            _ = try await run(s, "INSERT INTO big VALUES " + values)
            _ = second
            clock.advance(micros: 1_000_000)
        }
        clock.advance(micros: 5_000_000)
        _ = try await run(s, "BEGIN")
        _ = try await run(s, "DECLARE c CURSOR FOR SELECT STREAM STEP(ROWTIME BY INTERVAL '1' SECOND), count(*) FROM big START AT TRIM_HORIZON GROUP BY STEP(ROWTIME BY INTERVAL '1' SECOND)")
        let rows = try await run(s, "FETCH 10 FROM c WITH (timeout = '3 seconds')")
        #expect(rows.map { $0[1] } == ["5000", "5000", "5000", "5000"])
        _ = try await run(s, "ROLLBACK")
        await engine.shutdown()
    }
}
