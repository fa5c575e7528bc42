import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetRuntime
import FreshetStorage
import FreshetStreams
import FreshetTestSupport
import Testing

/// The operator state is checkpointed at most every `maxStepsPerCheckpoint` steps or
/// `checkpointIntervalMicros`, not after every output batch: between two checkpoints the
/// intents chain (each starts where the batch before it ended), and a restart re-runs the
/// whole chain from the checkpoint — the batches before the last one write nothing, the
/// last one only its missing rows (docs/continuous-queries.md, "Exactly once").
@Suite(.serialized) struct PumpCheckpointChainTests {
    static let start: Int64 = 1_767_225_600_000_000   // 2026-01-01 00:00:00

    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message, detail: sql)
        }
    }

    static func multiset(_ rows: [[String?]]) -> [String: Int] {
        var m: [String: Int] = [:]
        for r in rows { m[r.map { $0 ?? "NULL" }.joined(separator: "|"), default: 0] += 1 }
        return m
    }

    /// A tumbling pump (state carried across batches) and a division that fails for some rows
    /// (error batches); the clock moves 1 ms per round, so only the step count bounds a chain.
    func feed(_ s: Session, clock: ManualClock, rounds: Int) async throws {
        _ = try await run(s, "CREATE STREAM src (k INTEGER, v INTEGER) WITH (shards = 2, partition_key = 'k')")
        _ = try await run(s, "CREATE STREAM out (k INTEGER, n BIGINT, q INTEGER, at TIMESTAMP) WITH (shards = 1)")
        _ = try await run(s, """
            CREATE PUMP pc AS INSERT INTO out SELECT STREAM k, COUNT(*) OVER (PARTITION BY k ROWS 3 PRECEDING), 100 / (v % 37), CURRENT_ROW_TIMESTAMP
            FROM src START AT TRIM_HORIZON
            """)
        var sent = 0
        for round in 0..<rounds {
            let values = (0..<5).map { i in "(\((round + i) % 4), \(sent + i + 1))" }.joined(separator: ", ")
            sent += 5
            _ = try await run(s, "INSERT INTO src VALUES \(values)")
            clock.advance(micros: 1_000)
            for _ in 0..<200 {
                let r = try await run(s, "SELECT rows_in FROM sys.pumps")
                if r == [[String(sent)]] { break }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
        }
    }

    @Test func intentsChainBetweenCheckpointsAndAChainIsRecoveredWithoutDuplicates() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        var before: [[String?]] = []
        var errorsBefore: [[String?]] = []
        var directory = ""
        var counters: [[String?]] = []
        do {
            let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock, segmentBytes: 1 << 20))
            let s = engine.openSession(user: "t", database: "t")
            try await feed(s, clock: clock, rounds: 40)
            before = try await run(s, "SELECT k, n, q, at FROM out")
            errorsBefore = try await run(s, "SELECT message, data_row FROM error_stream WHERE pump_name = 'pc'")
            counters = try await run(s, "SELECT rows_in, rows_out, error_rows FROM sys.pumps")
            directory = dir.path + "/data/" + engine.pumpsWithRunners()[0].definition.directory
            await engine.shutdown()
        }
        #expect(before.count > 100 && !errorsBefore.isEmpty)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        var records = try PumpCheckpointLog(directory: directory, committer: committer, clock: clock).readAll()
        let intents = records.filter { if case .intent = $0 { return true } else { return false } }.count
        let checkpoints = records.count - intents
        // Batches without error rows chain: fewer checkpoints than batches, and intents follow intents.
        var longestChain = 0, chain = 0
        for r in records {
            if case .intent = r { chain += 1; longestChain = max(longestChain, chain) } else { chain = 0 }
        }
        #expect(intents >= 20 && checkpoints < intents && longestChain >= 3, "\(intents) intents, \(checkpoints) checkpoints, longest chain \(longestChain)")
        // Cut the log after the last intent (the server died before any checkpoint after it).
        guard let cut = records.lastIndex(where: { if case .intent = $0 { return true } else { return false } }),
              case .intent(let intent) = records[cut] else {
            Issue.record("no intent in the log")
            return
        }
        let original = records[(cut + 1)...].lazy.compactMap { r -> PumpLogRecord.Checkpoint? in
            if case .checkpoint(let c) = r { return c } else { return nil }
        }.first
        records = Array(records[...cut])
        var rerun = 0
        for r in records.reversed() { if case .intent = r { rerun += 1 } else { break } }
        let (engine, s, batch) = try await PumpLogCrash.restart(keeping: records, logDirectory: directory, committer: committer,
                                                                dataDirectory: dir.path + "/data", clock: clock, until: intent.batch)
        #expect(batch == intent.batch)
        try await Task.sleep(nanoseconds: 200_000_000)
        let after = try await run(s, "SELECT k, n, q, at FROM out")
        #expect(after.count == before.count && Self.multiset(after) == Self.multiset(before), "re-ran \(rerun) batches")
        let errorsAfter = try await run(s, "SELECT message, data_row FROM error_stream WHERE pump_name = 'pc'")
        #expect(Self.multiset(errorsAfter) == Self.multiset(errorsBefore))
        _ = try await run(s, "ALTER PUMP pc STOP")
        #expect(try await run(s, "SELECT rows_in, rows_out, error_rows FROM sys.pumps") == counters)
        // The checkpoint written after the re-run holds the state the original run checkpointed.
        let recovered = try engine.pumpsWithRunners()[0].runner!.log.readFromLastCheckpoint().first
        if let original, case .checkpoint(let c)? = recovered {
            #expect(c.batch == original.batch && c.positions == original.positions && c.state == original.state)
        } else {
            Issue.record("no checkpoint after the re-run")
        }
        print("pump checkpoint chain: \(intents) batches, \(checkpoints) checkpoints, longest chain \(longestChain); re-ran \(rerun) batches at restart")
        await engine.shutdown()
    }
}
