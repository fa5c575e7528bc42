import Foundation
import FreshetCore
import FreshetPlanner
import FreshetRuntime
import FreshetSQL
import FreshetStorage
import FreshetStreams

/// A running pump: a background task that reads the source stream from its
/// checkpointed position, runs the StreamingPipeline, and appends the output to
/// the target stream through the ordinary durable write path (group commit,
/// routing by the target's partition key, capacity limits).
///
/// Exactly once (docs/continuous-queries.md, "Exactly once"): every step that
/// produces output is logged as an intent before its output is committed; the operator
/// state is checkpointed only every `maxBatchesPerCheckpoint` output batches or
/// `checkpointIntervalMicros` (or `maxStepsPerCheckpoint` reads). The output records carry the pump's producer tag (its oid,
/// the batch number). On start, the intents after the last checkpoint are re-run from
/// it — same rows, same watermarks, same times, so the same output —; the batches but
/// the last are complete, and of the last only the rows not already found in the
/// target (by the tag, as a multiset) are written.
final class PumpRunner: @unchecked Sendable {
    enum Status: String { case running = "RUNNING", stopped = "STOPPED", failed = "FAILED" }

    /// What sys.pumps shows.
    struct Stats {
        var status: Status = .stopped
        /// The read position per source stream (input order).
        var positions: [TailPosition] = []
        var rowsIn: Int64 = 0
        var rowsOut: Int64 = 0
        var errors: Int64 = 0
        var lastError: String?
        var stateBytes = 0
        var batch: UInt64 = 0
    }

    let oid: UInt32
    let name: String
    let generation: Int
    let sql: String
    let createdMicros: Int64
    let log: PumpCheckpointLog
    private weak var engine: Engine?
    private let lock = NSLock()
    private var statsStorage = Stats()
    private var stopRequested = false
    private var task: Task<Void, Never>?
    /// Rows read per step.
    static let readBatch = 16_384
    static let idleWaitNanoseconds: UInt64 = 50_000_000

    init(definition: PumpDefinition, engine: Engine, log: PumpCheckpointLog) {
        oid = definition.oid
        name = definition.name
        generation = definition.generation
        sql = definition.sql
        createdMicros = definition.createdMicros
        self.engine = engine
        self.log = log
    }

    var stats: Stats { lock.withLock { statsStorage } }
    private func update(_ body: (inout Stats) -> Void) { lock.withLock { body(&statsStorage) } }
    private var shouldStop: Bool { lock.withLock { stopRequested } }

    /// Start the background task (once).
    func start() {
        lock.withLock {
            stopRequested = false
            statsStorage.status = .running
        }
        task = Task.detached { [self] in await self.run() }
    }

    /// Ask the task to stop after the step it is in, and wait for it: what it wrote is
    /// checkpointed, and a later start continues where it stopped.
    func stop() async {
        lock.withLock { stopRequested = true }
        await task?.value
        task = nil
        update { $0.status = .stopped }
    }

    // MARK: The task

    private func run() async {
        var backoff: UInt64 = 200_000_000
        while !shouldStop {
            do {
                try await runUntilStopped()
                return
            } catch {
                let message = (error as? FreshetError)?.message ?? "\(error)"
                engine?.logger.error("pump \(name) failed: \(message); retrying")
                update {
                    $0.status = .failed
                    $0.lastError = message
                }
                // Retry (from the checkpoint) after a pause, unless stopped meanwhile.
                var waited: UInt64 = 0
                while waited < backoff && !shouldStop {
                    try? await Task.sleep(nanoseconds: 50_000_000)
                    waited += 50_000_000
                }
                backoff = min(backoff * 2, 5_000_000_000)
            }
        }
    }

    /// One stream the pump reads (input `i` of its pipeline).
    struct Input {
        let store: StreamStore
        let oid: UInt32
        let name: String
        /// The stream's columns' types (user columns, ROWTIME, the metadata columns).
        let types: [DataType]
        /// ROWTIME's position (= the number of user columns).
        let rowtimeIndex: Int
    }

    /// The pump's bound statement and everything a step needs.
    struct Setup {
        let plan: InsertPlan
        let query: QueryPlan
        /// The expressions' context. Its statement time (CURRENT_ROW_TIMESTAMP,
        /// CURRENT_TIMESTAMP, …) is set to each step's time before the step runs
        /// (`at(_:)`), and to the pump's creation time while a pipeline is compiled.
        let context: EvaluationContext
        let createdMicros: Int64
        /// The streams read, in input order: one, or two (left, right) for a join of two streams.
        let inputs: [Input]
        let targetStore: StreamStore
        let targetOID: UInt32
        let errorStore: StreamStore
        let errorOID: UInt32
        let targetTypes: [DataType]
        let targetNames: [String]
        let targetNotNull: [Bool]
        let partitionKey: Int?
        let outputTypes: [DataType]
        /// What rows reaching the windows look like (late rows are written in this shape):
        /// the source stream's, or for a join of two streams the joined row's.
        let lateStream: String
        let lateTypes: [DataType]
        let lateUserColumns: Int
        /// Late rows are counted in sys.streams of `lateStream` (not for a join: its rows are joined rows).
        let countsLateRows: Bool
        /// The reference tables the query joins with its stream (empty: none).
        let tableOIDs: [UInt32]
        /// A table's current contents (what the stream–table join reads per batch).
        let table: (UInt32) -> TableContents?
        /// Rows behind an event-time watermark, collected from every pipeline of this run.
        let lateRows = PumpLateRows()
        /// Joined rows that failed, collected from every pipeline of this run (a join of two streams).
        let joinErrors = PumpJoinErrors()
        /// The query joins two streams (expressions after the join run as time moves, not as rows are read).
        var joinsStreams: Bool { inputs.count == 2 }

        func makePipeline() throws -> StreamingPipeline {
            context.statementTime = createdMicros   // (what compile-time uses of it have always seen)
            return try StreamingPipeline(plan: query, context: context, onLateRow: lateRows.handler, table: table,
                                         onJoinedRowError: joinErrors.handler)
        }

        /// Run what follows at statement time `time` (nil: the pump's creation time, as steps logged
        /// before version 2 of the log ran).
        func at(_ time: Int64?) { context.statementTime = time ?? createdMicros }

        /// Readers of every input at `positions`.
        func tails(at positions: [TailPosition], notBefore: [Int64]) throws -> [StreamTail] {
            guard positions.count == inputs.count else {
                throw FreshetError(.dataCorrupted, "a pump checkpoint holds \(positions.count) read positions for a query reading \(inputs.count) streams")
            }
            return try inputs.indices.map {
                var tail = try StreamTail(store: inputs[$0].store, resume: positions[$0], notBefore: notBefore[$0])
                tail.systemColumns = systemColumns
                return tail
            }
        }

        /// What the readers fill in: only the text system columns the query reads (over one
        /// stream; a join of two streams reads them all). See SystemColumnSelection.
        var systemColumns: SystemColumnSelection {
            inputs.count == 1 ? SystemColumnSelection(reading: StreamingPipeline.inputColumns(of: query), userColumns: inputs[0].rowtimeIndex) : .all
        }
    }

    func setup(_ engine: Engine) throws -> Setup {
        let (plan, query) = try engine.bindPump(sql: sql)
        guard let (streams, tables) = engine.pumpSources(query) else {
            throw FreshetError(.wrongObjectType, "a pump reads a stream (SELECT STREAM … FROM stream [JOIN table …])")
        }
        guard let errorOID = engine.errorStreamOID else { throw FreshetError(.undefinedTable, "error_stream does not exist") }
        let target = plan.target
        let userColumns = Array(target.columns.prefix(target.userColumnCount))
        let inputs = try streams.map { r in
            Input(store: try engine.store(for: r.oid), oid: r.oid, name: r.name, types: r.columns.map(\.type), rowtimeIndex: r.userColumnCount)
        }
        let late = query.streamJoin?.joinedRelation ?? streams[0]
        return Setup(
            plan: plan, query: query,
            context: EvaluationContext(parameters: [], statementTime: createdMicros), createdMicros: createdMicros,
            inputs: inputs,
            targetStore: try engine.store(for: target.oid), targetOID: target.oid,
            errorStore: try engine.store(for: errorOID), errorOID: errorOID,
            targetTypes: userColumns.map(\.type), targetNames: userColumns.map(\.name), targetNotNull: userColumns.map { !$0.nullable },
            partitionKey: engine.partitionKeyColumn(of: target.oid).flatMap { pk in userColumns.firstIndex { $0.name == pk } },
            outputTypes: query.outputColumns.map(\.type),
            lateStream: late.name, lateTypes: late.columns.map(\.type), lateUserColumns: late.userColumnCount,
            countsLateRows: query.streamJoin == nil,
            tableOIDs: tables.map(\.oid), table: engine.tableReader)
    }

    /// Finish a batch an error interrupted (re-run it from its intent, as at restart)
    /// without starting the loop: CREATE OR REPLACE calls it on the stopped old runner,
    /// so that the old query's last batch is complete before the new query continues.
    func completeInterruptedBatch() async throws {
        try await runUntilStopped(recoverOnly: true)
    }

    private func runUntilStopped(recoverOnly: Bool = false) async throws {
        guard let engine else { return }
        let s = try setup(engine)
        // The last checkpoint and the intents of the batches since (docs/continuous-queries.md, "Exactly once").
        var checkpoint: PumpLogRecord.Checkpoint?
        var logged: [PumpLogRecord.Intent] = []
        for r in try log.readFromLastCheckpoint() {
            switch r {
            case .checkpoint(let c): checkpoint = c; logged = []
            case .intent(let i): logged.append(i)
            }
        }
        guard var cp = checkpoint else {
            throw FreshetError(.dataCorrupted, "pump \(name) has no checkpoint in \(log.log.directory)")
        }
        // The batches to re-run: this generation's, numbered on from the checkpoint, each
        // starting where the one before ended.
        var chain: [PumpLogRecord.Intent] = []
        for intent in logged {
            guard intent.generation == generation, intent.batch == cp.batch + UInt64(chain.count) + 1 else { break }
            let from = chain.last?.steps.last?.to ?? cp.positions
            guard intent.from.count == s.inputs.count, !intent.steps.isEmpty else {
                throw FreshetError(.dataCorrupted, "pump \(name): batch \(intent.batch) read \(intent.from.count) streams, its query reads \(s.inputs.count)")
            }
            guard intent.from == from else {
                throw FreshetError(.dataCorrupted, "pump \(name): batch \(intent.batch) does not start where the batch before it ended")
            }
            chain.append(intent)
        }
        var pipeline = try s.makePipeline()
        let notBefore = s.inputs.map { engine.retentionCutoff($0.oid) }
        var tails: [StreamTail]
        if cp.generation != generation {
            // CREATE OR REPLACE: the old read positions (or the new START AT), fresh state. A
            // source the old query did not read (it read one stream, this one joins two) starts AT LATEST.
            let start = try engine.tailStart(s.query, context: s.context)
            tails = try s.inputs.indices.map { i in
                if case .latest = s.query.startAt, i < cp.positions.count {
                    return try StreamTail(store: s.inputs[i].store, resume: cp.positions[i], notBefore: notBefore[i])
                }
                return try StreamTail(store: s.inputs[i].store, start: start, notBefore: notBefore[i])
            }
            for i in tails.indices { tails[i].systemColumns = s.systemColumns }
            cp = PumpLogRecord.Checkpoint(batch: cp.batch, generation: generation, positions: tails.map(\.position), state: pipeline.snapshot(),
                                          rowsIn: cp.rowsIn, rowsOut: cp.rowsOut, errors: cp.errors)
            try await log.append(.checkpoint(cp))
            chain = []
        } else {
            try pipeline.restore(cp.state)
            tails = try s.tails(at: cp.positions, notBefore: notBefore)
        }
        // Re-run the batches since the checkpoint. All but the last are complete (the intent
        // after each was appended only once its output was durable): their output is dropped.
        // The last one may have been interrupted: only its rows not already written are written.
        if let dangling = chain.last {
            let now = tableVersions(s)
            var counted = cp
            for (k, intent) in chain.enumerated() {
                // The one exception to an identical re-run (docs/continuous-queries.md, "Exactly
                // once"): a joined table that changed since the batch ran is joined as it is now.
                for (oid, version) in intent.tableVersions where now[oid] != version {
                    engine.logger.warning("pump \(name): batch \(intent.batch) is re-run against table oid \(oid) as it is now (version \(now[oid].map(String.init) ?? "dropped"), was \(version)); rows already written are not written again")
                }
                let base = cp, earlier = Array(chain[..<k])
                var (out, errors, rowsIn) = try rerun(intent, pipeline: &pipeline, tails: &tails, setup: s, countsLateRows: intent.batch == dangling.batch) {
                    try self.replay(base.state, from: base.positions, batches: earlier, steps: Array(intent.steps.dropLast()), setup: s, notBefore: notBefore)
                }
                let tag = ProducerTag(producer: oid, sequence: intent.batch)
                _ = prepareOutput(&out, &errors, setup: s, tag: tag, time: intent.time)
                counted.rowsIn += Int64(rowsIn)
                counted.rowsOut += Int64(out.count)
                counted.errors += Int64(errors.count)
                guard intent.batch == dangling.batch else { continue }
                let missingOut = try missing(out, in: s.targetStore, tag: tag, from: intent.starts[s.targetOID] ?? [:])
                let missingErrors = try missing(errors.map(\.row), in: s.errorStore, tag: tag, from: intent.starts[s.errorOID] ?? [:])
                var writes: [PendingWrite] = []
                if !missingOut.isEmpty { writes.append(try s.targetStore.prepare(rows: missingOut, producer: tag)) }
                if !missingErrors.isEmpty { writes.append(try s.errorStore.prepare(rows: missingErrors, producer: tag)) }
                if !writes.isEmpty { _ = try await engine.commit(writes) }
                engine.logger.notice("pump \(name): recovered batch \(intent.batch) (re-ran \(chain.count) batches from the checkpoint of batch \(cp.batch)): \(out.count - missingOut.count) of \(out.count) rows were already written, \(missingOut.count) written now")
            }
            cp = PumpLogRecord.Checkpoint(batch: dangling.batch, generation: generation, positions: dangling.steps.last!.to, state: pipeline.snapshot(),
                                          rowsIn: counted.rowsIn, rowsOut: counted.rowsOut, errors: counted.errors)
            try await log.append(.checkpoint(cp))
        }
        if recoverOnly { return }
        publish(cp, pipeline)
        // The sources' iterator age (sys.stream_metrics) counts this pump as a reader.
        let registrations = s.inputs.map { $0.store.readers.register(kind: .pump, name: name) }
        defer { for r in registrations { r.unregister() } }
        // The signals to wait on when idle (one per distinct store: a self-join reads one).
        var signals: [AppendSignal] = []
        for t in tails where !signals.contains(where: { $0 === t.signal }) { signals.append(t.signal) }

        // The loop: one step per read (of every source). Steps without output are remembered
        // (`pending`) and become part of the next intent. A step with output appends an intent
        // (the steps since the previous batch) and commits the output. The operator state is
        // checkpointed only when due — `maxBatchesPerCheckpoint` output batches, `checkpointIntervalMicros`
        // or `maxStepsPerCheckpoint` steps since the last checkpoint, or a batch with error rows —, when the pump goes idle with
        // the interval past (or a checkpoint owed), and when it stops; a restart re-runs the
        // batches since it. A checkpoint due after an output batch is taken then and appended
        // with the next intent (`owed`: one durable append for both), or alone at idle or stop.
        let clock = engine.configuration.clock
        var head = cp   // the last complete batch: its number, where it ended, the counters (`state` unused)
        chain = []   // from now: the complete batches since `cp`
        var pending: [PumpLogRecord.Step] = []
        var pendingRows: Int64 = 0
        var owed: PumpLogRecord.Checkpoint?
        var stepsSinceCheckpoint = 0
        var checkpointTime = clock.nowMicros()
        var checkpointsSinceCompaction = 0
        /// After appending a checkpoint (with rowtime `rowtime`): now and then, drop the
        /// segments older than it.
        func appended(_ rowtime: Int64) throws {
            checkpointsSinceCompaction += 1
            if checkpointsSinceCompaction >= 1000 {
                try log.compact(before: rowtime)
                checkpointsSinceCompaction = 0
            }
        }
        func positions() -> [TailPosition] { tails.map(\.position) }
        /// Something read since the last checkpoint is not in it.
        func uncovered() -> Bool { !chain.isEmpty || !pending.isEmpty || owed != nil || positions() != cp.positions }
        /// Take (or start over from) a checkpoint of the state now: `cp`, the rebuild base.
        func took(_ c: PumpLogRecord.Checkpoint, at time: Int64) {
            head = c
            cp = c
            chain = []
            pending = []
            pendingRows = 0
            stepsSinceCheckpoint = 0
            checkpointTime = time
        }
        /// Checkpoint everything read so far, durably.
        func checkpointNow() async throws {
            var c: PumpLogRecord.Checkpoint
            if let o = owed, pending.isEmpty, o.positions == positions() {
                c = o
            } else {
                c = head
                c.positions = positions()
                c.rowsIn += pendingRows
                c.state = pipeline.snapshot()
            }
            try appended(try await log.append([.checkpoint(c)]))
            owed = nil
            took(c, at: clock.nowMicros())
        }
        var rows: [[Row]] = Array(repeating: [], count: tails.count)
        var advanced = Int64.min   // the latest time moved to by a step of this run
        while !shouldStop {
            let seen = signals.map(\.generation)
            // The query's time: the earliest of its sources' (read before the rows: every row below it is readable now).
            var watermark = Int64.max
            for t in tails { watermark = min(watermark, t.watermark()) }
            var readRows = 0
            for i in tails.indices {
                rows[i] = try tails[i].next(maxRows: PumpRunner.readBatch)
                readRows += rows[i].count
                registrations[i].report(unreadBy: tails[i])
            }
            var advance: Int64?
            if readRows == 0 {
                let due = pipeline.nextDeadline.map { $0 <= watermark } ?? false
                if !due {
                    if uncovered() && (owed != nil || clock.nowMicros() - checkpointTime >= PumpRunner.checkpointIntervalMicros) {
                        try await checkpointNow()
                    }
                    var wait = PumpRunner.idleWaitNanoseconds
                    if let deadline = pipeline.nextDeadline {
                        wait = min(wait, UInt64(max(0, deadline - watermark)) * 1000 + 1_000_000)
                    }
                    await PumpRunner.waitForAny(signals, after: seen, timeoutNanoseconds: wait)
                    continue
                }
                advance = watermark
            } else {
                // Catching up: time moves to what every source has read through, so windows
                // close as the read passes them (state bounded by the window, not the backlog).
                var through = watermark
                for i in tails.indices { through = min(through, tails[i].readThrough(rows[i], watermark: watermark)) }
                if through > advanced { advance = through }
            }
            if let advance { advanced = max(advanced, advance) }
            let time = clock.nowMicros()
            let step = PumpLogRecord.Step(to: positions(), watermark: advance, time: time)
            let base = cp, earlier = chain, before = pending
            var (out, errors) = try process(rows, watermark: advance, time: time, errorTime: time, setup: s, pipeline: &pipeline) {
                try self.replay(base.state, from: base.positions, batches: earlier, steps: before, setup: s, notBefore: notBefore)
            }
            stepsSinceCheckpoint += 1
            let isDue = stepsSinceCheckpoint >= PumpRunner.maxStepsPerCheckpoint || time - checkpointTime >= PumpRunner.checkpointIntervalMicros
            let tag = ProducerTag(producer: oid, sequence: head.batch + 1)
            let targetWrite = prepareOutput(&out, &errors, setup: s, tag: tag, time: time)
            if out.isEmpty && errors.isEmpty {
                pending.append(step)
                pendingRows += Int64(readRows)
                if isDue { try await checkpointNow() }
            } else {
                let intent = PumpLogRecord.Intent(batch: head.batch + 1, generation: generation, from: head.positions, steps: pending + [step], time: time,
                                                  starts: [s.targetOID: s.targetStore.nextSequences(), s.errorOID: s.errorStore.nextSequences()],
                                                  tableVersions: tableVersions(s))
                if let o = owed {
                    try appended(try await log.append([.checkpoint(o), .intent(intent)]))
                } else {
                    try await log.append(.intent(intent))   // (no compaction here: the checkpoint before it may be in an older segment)
                }
                owed = nil
                var writes: [PendingWrite] = []
                if let targetWrite { writes.append(targetWrite) }
                if !errors.isEmpty { writes.append(try s.errorStore.prepare(rows: errors.map(\.row), producer: tag)) }
                _ = try await engine.commit(writes)
                head.batch = intent.batch
                head.positions = step.to
                head.rowsIn += pendingRows + Int64(readRows)
                head.rowsOut += Int64(out.count)
                head.errors += Int64(errors.count)
                chain.append(intent)
                pending = []
                pendingRows = 0
                // After error rows too: a later failing row rebuilds the pipeline from the checkpoint.
                if isDue || chain.count >= PumpRunner.maxBatchesPerCheckpoint || !errors.isEmpty {
                    var c = head
                    c.state = pipeline.snapshot()
                    owed = c
                    took(c, at: time)
                }
            }
            publish(head, pipeline, extraRowsIn: pendingRows, positions: positions())
        }
        if uncovered() { try await checkpointNow() }
        publish(head, pipeline)
    }

    /// The current version of each table the query joins (recorded in each intent).
    private func tableVersions(_ s: Setup) -> [UInt32: UInt64] {
        var out: [UInt32: UInt64] = [:]
        for oid in s.tableOIDs { if let t = s.table(oid) { out[oid] = t.version } }
        return out
    }

    /// Show a checkpoint (and the rows read since) in sys.pumps.
    private func publish(_ cp: PumpLogRecord.Checkpoint, _ pipeline: StreamingPipeline, extraRowsIn: Int64 = 0, positions: [TailPosition]? = nil) {
        update {
            $0.status = .running
            $0.lastError = nil
            $0.positions = positions ?? cp.positions
            $0.rowsIn = cp.rowsIn + extraRowsIn
            $0.rowsOut = cp.rowsOut
            $0.errors = cp.errors
            $0.batch = cp.batch
            $0.stateBytes = pipeline.stateBytes
        }
    }

    /// When a checkpoint of the operator state is due: after this many output batches
    /// since the last one (what a restart re-runs: at most this many intents), …
    static let maxBatchesPerCheckpoint = 64
    /// … or this much server-clock time (what a restart or a failing row re-runs: about a
    /// second of the pump's work; 1 s) …
    static let checkpointIntervalMicros: Int64 = 1_000_000
    /// … or, whatever the clock does, this many steps (reads of up to `readBatch` rows per
    /// source, or advances).
    static let maxStepsPerCheckpoint = 1024

    /// The pipeline as it was before the current step: the checkpoint's state (read
    /// positions `from`), then the complete logged `batches` since it (re-run, their output
    /// dropped), then the `steps` since the last of them (which had no output and no error,
    /// so they re-run the same way: the same rows of each source, the same watermark, the
    /// same time).
    func replay(_ state: [UInt8], from: [TailPosition], batches: [PumpLogRecord.Intent] = [], steps: [PumpLogRecord.Step],
                setup s: Setup, notBefore: [Int64]) throws -> StreamingPipeline {
        var pipeline = try s.makePipeline()
        try pipeline.restore(state)
        var tails = try s.tails(at: from, notBefore: notBefore)
        for (k, intent) in batches.enumerated() {
            _ = try rerun(intent, pipeline: &pipeline, tails: &tails, setup: s) {
                try self.replay(state, from: from, batches: Array(batches[..<k]), steps: Array(intent.steps.dropLast()), setup: s, notBefore: notBefore)
            }
        }
        var at = batches.last?.steps.last?.to ?? from
        for step in steps {
            s.at(step.time)
            for i in tails.indices { _ = try pipeline.push(try tails[i].reread(from: at[i], to: step.to[i]), input: i) }
            if let w = step.watermark { _ = try pipeline.advance(to: w) }
            at = step.to
        }
        return pipeline
    }

    /// Re-run one logged batch on `pipeline` (as it was before the batch; `tails` read
    /// anywhere: each step re-reads its recorded range): the steps before the last (no output),
    /// then the last one as it first ran (`process`; `rebuild` gives the pipeline as it was
    /// before that step). Returns the batch's output, its error rows and the rows it read.
    /// Its late rows are counted in sys.streams only when `countsLateRows` (a batch whose
    /// output is dropped was counted when it first ran).
    func rerun(_ intent: PumpLogRecord.Intent, pipeline: inout StreamingPipeline, tails: inout [StreamTail], setup s: Setup,
               countsLateRows: Bool = false, rebuild: () throws -> StreamingPipeline) throws -> (out: [Row], errors: [ErrorStream.Entry], rowsIn: Int) {
        guard let last = intent.steps.last, intent.from.count == tails.count else {
            throw FreshetError(.dataCorrupted, "pump \(name): batch \(intent.batch) has no step or reads \(intent.from.count) streams, its query \(tails.count)")
        }
        var rowsIn = 0
        var from = intent.from
        for step in intent.steps.dropLast() {
            s.at(step.time)
            for i in tails.indices {
                let rows = try tails[i].reread(from: from[i], to: step.to[i])
                _ = try pipeline.push(rows, input: i)
                rowsIn += rows.count
            }
            if let w = step.watermark { _ = try pipeline.advance(to: w) }
            from = step.to
        }
        var rows: [[Row]] = []
        for i in tails.indices {
            rows.append(try tails[i].reread(from: from[i], to: last.to[i]))
            rowsIn += rows[i].count
        }
        let (out, errors) = try process(rows, watermark: last.watermark, time: last.time, errorTime: intent.time,
                                        setup: s, pipeline: &pipeline, countsLateRows: countsLateRows, rebuild: rebuild)
        return (out, errors, rowsIn)
    }

    /// One step: push each source's `rows` (as its input), then advance to `watermark`, with
    /// the expressions' statement time `time` (nil: the pump's creation time); map the output to the target's columns.
    /// Deterministic in (state, rows, watermark, time). A row whose evaluation fails goes
    /// to error_stream (ERROR_TIME `errorTime`): the pipeline is rebuilt as it was before
    /// the step (`rebuild`) and the rows pushed one at a time, so only the failing rows
    /// are left out. For a join of two streams the failing rows are joined rows, made as
    /// time moves: the step is re-run whole on the rebuilt pipeline with
    /// `isolatesJoinedRowErrors` on, which leaves out just those (`JoinedRowGuard`).
    /// Late rows are counted in sys.streams when `countsLateRows` (not for a re-run of a
    /// batch that was counted when it first ran).
    func process(_ rows: [[Row]], watermark: Int64?, time: Int64?, errorTime: Int64, setup s: Setup, pipeline: inout StreamingPipeline,
                 countsLateRows: Bool = true,
                 rebuild: () throws -> StreamingPipeline) throws -> (out: [Row], errors: [ErrorStream.Entry]) {
        var produced: [Row] = []
        var errors: [ErrorStream.Entry] = []
        s.lateRows.clear()
        s.joinErrors.clear()
        s.at(time)
        if s.joinsStreams {
            func step(_ pipeline: StreamingPipeline) throws -> [Row] {
                var out: [Row] = []
                for i in rows.indices { out.append(contentsOf: try pipeline.push(rows[i], input: i)) }
                if let watermark { out.append(contentsOf: try pipeline.advance(to: watermark)) }
                return out
            }
            do {
                produced = try step(pipeline)
            } catch {
                pipeline = try rebuild()
                s.at(time)
                s.lateRows.clear()
                s.joinErrors.clear()
                pipeline.isolatesJoinedRowErrors = true
                defer { pipeline.isolatesJoinedRowErrors = false }
                produced = try step(pipeline)
            }
            errors = s.joinErrors.drain(userColumns: s.lateUserColumns, types: s.lateTypes, time: errorTime, pump: name)
        } else {
            do {
                for i in rows.indices { produced.append(contentsOf: try pipeline.push(rows[i], input: i)) }
            } catch {
                pipeline = try rebuild()
                s.at(time)
                s.lateRows.clear()
                produced = []
                for i in rows.indices {
                    let input = s.inputs[i]
                    for r in rows[i] {
                        do {
                            try pipeline.checkRow(r)   // a failing row must not reach the aggregates before the failing one
                            produced.append(contentsOf: try pipeline.push([r], input: i))
                        } catch {
                            var rowtime: Int64?
                            if case .timestamp(let t) = r[input.rowtimeIndex] { rowtime = t }
                            errors.append(ErrorStream.entry(for: error, row: Array(r.prefix(input.rowtimeIndex)), types: input.types,
                                                            rowtime: rowtime, time: errorTime, pump: name))
                        }
                    }
                }
            }
            if let watermark { produced.append(contentsOf: try pipeline.advance(to: watermark)) }
        }
        // Rows behind an event-time watermark go to error_stream with this step's output.
        if !s.lateRows.rows.isEmpty, let engine {
            if s.countsLateRows && countsLateRows { for r in s.lateRows.rows { engine.countLateRow(stream: s.lateStream, row: r.row) } }
            errors.append(contentsOf: s.lateRows.drain(stream: s.lateStream, userColumns: s.lateUserColumns, types: s.lateTypes,
                                                       time: errorTime, pump: name))
        }
        var out: [Row] = []
        out.reserveCapacity(produced.count)
        let width = s.targetTypes.count
        for r in produced {
            var row = Row(repeating: .null, count: width)
            do {
                for i in 0..<width {
                    if let src = s.plan.columnMap[i] {
                        row[i] = try r[src].cast(to: s.targetTypes[i], from: s.outputTypes[src], explicit: false)
                    }
                    if row[i].isNull && (s.targetNotNull[i] || s.partitionKey == i) {
                        throw FreshetError(.notNullViolation, "null value in column \"\(s.targetNames[i])\" of stream \"\(s.plan.target.name)\" violates not-null constraint")
                    }
                }
                out.append(row)
            } catch {
                errors.append(ErrorStream.entry(for: error, row: r, types: s.outputTypes, rowtime: nil, time: errorTime, pump: name))
            }
        }
        return (out, errors)
    }

    /// Route and encode the output rows for the target (tagged); a row the target refuses
    /// (a record over its max_record_size) moves to the error rows. Returns the write
    /// (nil when no row is left).
    func prepareOutput(_ out: inout [Row], _ errors: inout [ErrorStream.Entry], setup s: Setup, tag: ProducerTag, time: Int64) -> PendingWrite? {
        if out.isEmpty { return nil }
        if let w = try? s.targetStore.prepare(rows: out, producer: tag) { return w }
        var kept: [Row] = []
        for r in out {
            do {
                _ = try s.targetStore.prepare(rows: [r], producer: tag)
                kept.append(r)
            } catch {
                errors.append(ErrorStream.entry(for: error, row: r, types: s.targetTypes, rowtime: nil, time: time, pump: name))
            }
        }
        out = kept
        return kept.isEmpty ? nil : try? s.targetStore.prepare(rows: kept, producer: tag)
    }

    /// The rows of `rows` not already in `store` under `tag` (as multisets, compared
    /// as stored: each computed row goes through the row codec first).
    func missing(_ rows: [Row], in store: StreamStore, tag: ProducerTag, from starts: [Int: UInt64]) throws -> [Row] {
        if rows.isEmpty { return [] }
        var present: [Row: Int] = [:]
        for r in try store.rows(taggedWith: tag, from: starts) { present[r, default: 0] += 1 }
        if present.isEmpty { return rows }
        var out: [Row] = []
        var buffer: [UInt8] = []
        for r in rows {
            buffer.removeAll(keepingCapacity: true)
            RowCodec.encode(r, schema: store.schema, into: &buffer)
            let stored = try buffer.withUnsafeBytes { try RowCodec.decode($0, schema: store.schema) }
            if let n = present[stored], n > 0 { present[stored] = n - 1 } else { out.append(r) }
        }
        return out
    }
}
