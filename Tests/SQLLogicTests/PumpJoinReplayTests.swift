import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetRuntime
import FreshetStorage
import FreshetStreams
import FreshetTestSupport
import Testing

/// A pump joining two streams re-runs a logged batch exactly: from the checkpoint and the
/// batches logged since it, the intent's steps (the recorded ranges of both streams, watermarks and times)
/// give the rows the batch wrote and the state checkpointed after it, byte for byte; and an
/// intent left dangling at restart is completed without writing any row twice.
/// (In this target because it can import the Engine.)
@Suite(.serialized) struct PumpJoinReplayTests {
    static let start: Int64 = 1_767_225_600_000_000   // 2026-01-01 00:00:00

    static func multiset(_ rows: [[String?]]) -> [String: Int] {
        var m: [String: Int] = [:]
        for r in rows { m[r.map { $0 ?? "NULL" }.joined(separator: "|"), default: 0] += 1 }
        return m
    }

    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message, detail: sql)
        }
    }

    /// Feed both streams over several clock steps while a LEFT join pump (windows on both
    /// sides, CURRENT_ROW_TIMESTAMP in its output) runs; then stop it. Timing does not
    /// matter: whatever batches the pump made, each must re-run identically.
    func feed(_ s: Session, clock: ManualClock) async throws {
        _ = try await run(s, "CREATE STREAM l (k INTEGER, v INTEGER) WITH (shards = 2, partition_key = 'k')")
        _ = try await run(s, "CREATE STREAM r (k INTEGER, w TEXT) WITH (shards = 3, partition_key = 'k')")
        _ = try await run(s, "CREATE STREAM out (k INTEGER, v INTEGER, w TEXT, rt TIMESTAMP, at TIMESTAMP) WITH (shards = 1)")
        _ = try await run(s, """
            CREATE PUMP pj AS INSERT INTO out SELECT STREAM a.k, a.v, b.w, ROWTIME, CURRENT_ROW_TIMESTAMP
            FROM l OVER (RANGE INTERVAL '20' SECOND PRECEDING) AS a LEFT JOIN r OVER (RANGE INTERVAL '5' SECOND PRECEDING) AS b
            ON a.k = b.k START AT TRIM_HORIZON
            """)
        var n = 0
        for round in 0..<30 {
            let left = (0..<4).map { i in "(\((round * 7 + i) % 9), \(n + i))" }.joined(separator: ", ")
            let right = (0..<3).map { i in "(\((round * 5 + i) % 9), 'r\(n + i)')" }.joined(separator: ", ")
            n += 4
            _ = try await run(s, "INSERT INTO l VALUES \(left)")
            if round % 3 != 2 { _ = try await run(s, "INSERT INTO r VALUES \(right)") }
            clock.advance(micros: Int64(1 + round % 4) * 1_000_000)
            try await Task.sleep(nanoseconds: 15_000_000)
        }
        clock.advance(micros: 60_000_000)   // every left row's window ends: the unmatched ones come out
        for _ in 0..<200 {
            let rows = try await run(s, "SELECT lag_rows, right_lag_rows, state FROM sys.pumps")
            let pending = try await run(s, "SELECT count(*) FROM out")
            if rows == [["0", "0", "RUNNING"]], Int(pending[0][0] ?? "0") ?? 0 >= 120 { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        try await Task.sleep(nanoseconds: 200_000_000)
    }

    @Test func everyLoggedBatchReRunsToTheSameRowsAndState() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock, segmentBytes: 1 << 20))
        let s = engine.openSession(user: "t", database: "t")
        try await feed(s, clock: clock)
        _ = try await run(s, "ALTER PUMP pj STOP")
        guard let (_, found) = engine.pumpsWithRunners().first, let runner = found else {
            Issue.record("no runner")
            return
        }
        let setup = try runner.setup(engine)
        #expect(setup.inputs.map(\.name) == ["l", "r"])
        let notBefore = setup.inputs.map { engine.retentionCutoff($0.oid) }
        let records = try runner.log.readAll()
        var last: PumpLogRecord.Checkpoint?
        var chain: [PumpLogRecord.Intent] = []   // the batches since `last`
        var checked = 0, stateChecked = 0, stateDiffered = 0, rowsChecked = 0
        var sawTwoSourceSteps = false, sawDifferentTimes = false
        for (index, record) in records.enumerated() {
            switch record {
            case .checkpoint(let c):
                last = c
                chain = []
            case .intent(let intent):
                guard let before = last else {
                    Issue.record("intent \(intent.batch) without a checkpoint before it")
                    continue
                }
                let prior = chain
                chain.append(intent)
                // Each intent starts where the batch before it (or the checkpoint) ended.
                #expect(before.batch + UInt64(prior.count) + 1 == intent.batch && (prior.last?.steps.last?.to ?? before.positions) == intent.from)
                #expect(intent.from.count == 2 && intent.steps.allSatisfy { $0.to.count == 2 && $0.time != nil })
                if Set(intent.steps.compactMap(\.time)).count > 1 { sawDifferentTimes = true }
                if intent.steps.count > 1 { sawTwoSourceSteps = true }
                // Re-run: the checkpoint, the batches since it, then this one's steps.
                let steps = intent.steps
                var pipeline = try runner.replay(before.state, from: before.positions, batches: prior, steps: [], setup: setup, notBefore: notBefore)
                var tails = try setup.tails(at: intent.from, notBefore: notBefore)
                let lastStep = steps.last!
                let (out, errors, _) = try runner.rerun(intent, pipeline: &pipeline, tails: &tails, setup: setup) {
                    try runner.replay(before.state, from: before.positions, batches: prior, steps: Array(steps.dropLast()), setup: setup, notBefore: notBefore)
                }
                #expect(errors.isEmpty)
                // The rows the batch wrote, as stored (the target has one shard: in output order).
                let tag = ProducerTag(producer: runner.oid, sequence: intent.batch)
                let written = try setup.targetStore.rows(taggedWith: tag, from: intent.starts[setup.targetOID] ?? [:])
                #expect(!out.isEmpty && written.count == out.count, "batch \(intent.batch): \(written.count) rows written, \(out.count) re-computed")
                #expect(try runner.missing(out, in: setup.targetStore, tag: tag, from: intent.starts[setup.targetOID] ?? [:]).isEmpty,
                        "batch \(intent.batch): re-run rows differ from the written ones")
                #expect(written == out.map { Array($0) }, "batch \(intent.batch): not in the same order")
                rowsChecked += out.count
                // The checkpoint after the batch, when nothing was read after it first: the same state
                // bytes — unless that checkpoint also covers later steps that only moved time (no rows
                // read, no output: the pump folds those into its next checkpoint and does not log them),
                // which evict rows from the join windows. The log cannot tell those apart, so a
                // difference is counted, and most comparable batches must match.
                if let after = records[(index + 1)...].lazy.compactMap({ r -> PumpLogRecord.Checkpoint? in
                    if case .checkpoint(let c) = r { return c } else { return nil }
                }).first, after.batch == intent.batch, after.positions == lastStep.to {
                    if after.state == pipeline.snapshot() { stateChecked += 1 } else { stateDiffered += 1 }
                }
                checked += 1
            }
        }
        #expect(checked >= 3, "only \(checked) batches were logged")
        #expect(stateChecked >= 1 && stateChecked >= 2 * stateDiffered,
                "states re-run identically in \(stateChecked) batches, differed in \(stateDiffered)")
        // (The re-run happens with the clock past every batch: the rows' CURRENT_ROW_TIMESTAMP
        // matched because each step's recorded time was used.)
        #expect(sawTwoSourceSteps, "no intent had several steps")
        print("pump join replay: \(checked) batches, \(rowsChecked) rows, \(stateChecked) states re-run identically (\(stateDiffered) checkpoints covered later time-only steps); steps at several times in one intent: \(sawDifferentTimes)")
        let total = try await run(s, "SELECT count(*) FROM out")
        #expect(String(rowsChecked) == total[0][0], "re-ran \(rowsChecked) rows, the target holds \(total[0][0] ?? "?")")
        // CURRENT_ROW_TIMESTAMP is the batch's time: not the pump's creation time for every row.
        let times = try await run(s, "SELECT count(DISTINCT at) FROM out")
        #expect(Int(times[0][0] ?? "0") ?? 0 > 1)
        await engine.shutdown()
    }

    /// The log is cut after the last intent (as if the server died after the batch's output
    /// and before its checkpoint): at restart the batch re-runs, finds its rows already
    /// written and writes none again; the checkpoint it then writes equals the original.
    @Test func aDanglingIntentIsCompletedWithoutDuplicates() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock(startMicros: Self.start)
        var before: [[String?]] = []
        var original: PumpLogRecord.Checkpoint?
        var directory = ""
        do {
            let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock, segmentBytes: 1 << 20))
            let s = engine.openSession(user: "t", database: "t")
            try await feed(s, clock: clock)
            before = try await run(s, "SELECT k, v, w, rt, at FROM out")
            directory = dir.path + "/data/" + engine.pumpsWithRunners()[0].definition.directory
            await engine.shutdown()
        }
        // Keep the records up to the last intent; remember the checkpoint that completed it.
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        var records = try PumpCheckpointLog(directory: directory, committer: committer, clock: clock).readAll()
        guard let cut = records.lastIndex(where: { if case .intent = $0 { return true } else { return false } }),
              case .intent(let intent) = records[cut] else {
            Issue.record("no intent in the log")
            return
        }
        original = records[(cut + 1)...].lazy.compactMap { r -> PumpLogRecord.Checkpoint? in
            if case .checkpoint(let c) = r, c.batch == intent.batch, c.positions == intent.steps.last!.to { return c } else { return nil }
        }.first
        records = Array(records[...cut])
        let (engine, s, batch) = try await PumpLogCrash.restart(keeping: records, logDirectory: directory, committer: committer,
                                                                dataDirectory: dir.path + "/data", clock: clock, until: intent.batch)
        #expect(batch == intent.batch)
        try await Task.sleep(nanoseconds: 200_000_000)
        let after = try await run(s, "SELECT k, v, w, rt, at FROM out")
        #expect(after.count == before.count && Self.multiset(after) == Self.multiset(before))
        _ = try await run(s, "ALTER PUMP pj STOP")
        let log = engine.pumpsWithRunners()[0].runner!.log
        let recovered = try log.readAll().lazy.compactMap { r -> PumpLogRecord.Checkpoint? in
            if case .checkpoint(let c) = r, c.batch == intent.batch, c.positions == intent.steps.last!.to { return c } else { return nil }
        }.first
        #expect(recovered != nil)
        if let original, let recovered {
            #expect(recovered.state == original.state && recovered.rowsOut == original.rowsOut && recovered.rowsIn == original.rowsIn)
        }
        await engine.shutdown()
    }
}
