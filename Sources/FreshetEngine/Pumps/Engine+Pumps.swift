import Foundation
import FreshetCore
import FreshetPlanner
import FreshetRuntime
import FreshetSQL
import FreshetStorage
import FreshetStreams

extension Engine {
    /// Where a SELECT STREAM starts reading (its START AT).
    func tailStart(_ q: QueryPlan, context: EvaluationContext) throws -> TailStart {
        switch q.startAt {
        case .latest: return .latest
        case .trimHorizon: return .trimHorizon
        case .timestamp(let e):
            guard case .timestamp(let t) = try ExpressionCompiler(context: context).compile(e)([]) else {
                throw FreshetError(.invalidParameterValue, "START AT TIMESTAMP needs a timestamp")
            }
            return .timestamp(t)
        case let .sequence(text, after):
            guard let (shard, counter) = SequenceNumber.parse(text), !text.isEmpty, text.allSatisfy(\.isNumber) else {
                throw FreshetError(.invalidParameterValue, "\"\(text)\" is not a sequence number",
                                   hint: "Sequence numbers are decimal strings, as _sequence_number shows them.")
            }
            return .sequence(shardIndex: shard, counter: counter, after: after)
        }
    }

    /// Parse and bind a pump's stored statement.
    func bindPump(sql: String) throws -> (InsertPlan, QueryPlan) {
        let statement: Statement
        do { statement = try Parser.parseStatement(sql) } catch {
            throw FreshetError(.dataCorrupted, "a pump's stored statement does not parse: \(error.message)")
        }
        guard case .createPump(let c) = statement.kind else {
            throw FreshetError(.dataCorrupted, "a pump's stored statement is not CREATE PUMP")
        }
        return try bindPump(c)
    }

    /// Bind a pump's INSERT … SELECT STREAM and check it can run as a pump.
    func bindPump(_ c: CreatePump) throws -> (InsertPlan, QueryPlan) {
        let plan = try Binder(catalog: catalogReader(), parameterTypes: []).bindInsert(c.insert)
        guard case .query(let q) = plan.source, q.isStream else {
            throw FreshetError(.syntaxError, "a pump's query must be SELECT STREAM",
                               hint: "Write CREATE PUMP p AS INSERT INTO target SELECT STREAM … FROM source.",
                               position: c.insert.source.span.start.offset + 1)
        }
        guard let (sources, _) = pumpSources(q) else {
            throw FreshetError(.wrongObjectType, "a pump reads a stream: SELECT STREAM … FROM stream [JOIN table …], or a join of two streams",
                               position: c.insert.source.span.start.offset + 1)
        }
        if sources.count > 1, case .sequence = q.startAt {
            throw FreshetError(.featureNotSupported, "START AT SEQUENCE names a position in one stream, and this pump joins two",
                               hint: "Use START AT TRIM_HORIZON, LATEST or TIMESTAMP '…'.",
                               position: c.insert.source.span.start.offset + 1)
        }
        for source in sources where source.oid == plan.target.oid {
            throw FreshetError(SQLState("42P17"), "pump \"\(c.name.last.value)\" would read the stream it writes (\"\(source.name)\")",
                               position: c.insert.target.span.start.offset + 1)
        }
        return (plan, q)
    }

    /// The streams a pump's query reads, in its pipeline's input order, and the reference
    /// tables it joins with its stream; nil when the query reads anything else:
    /// - `FROM stream`: one stream;
    /// - `FROM stream [LEFT] JOIN table …`: one stream, the table;
    /// - a join of two streams within windows (`q.streamJoin`): its left then its right stream
    ///   (the same stream twice for a self-join: two readers of it).
    func pumpSources(_ q: QueryPlan) -> (streams: [RelationDescriptor], tables: [RelationDescriptor])? {
        if let sj = q.streamJoin {
            guard sj.isStreamStream else { return nil }
            return ([sj.left.relation, sj.right.relation], [])
        }
        switch q.source {
        case .relation(let r) where r.kind == .stream:
            return ([r], [])
        case .join(let j):
            guard case .relation(let s) = j.left, s.kind == .stream, case .relation(let t) = j.right, t.kind == .table else { return nil }
            return ([s], [t])
        default:
            return nil
        }
    }

    // MARK: DDL

    /// CREATE [OR REPLACE] PUMP.
    func createPump(_ c: CreatePump) async throws {
        guard c.name.parts.count == 1 || (c.name.parts.count == 2 && c.name.parts[0].value == "public") else {
            throw FreshetError(.invalidParameterValue, "pumps live in schema public; \"\(c.name)\" names another schema",
                               position: c.name.span.start.offset + 1)
        }
        let name = c.name.last.value
        let (plan, query) = try bindPump(c)
        guard let (sources, tables) = pumpSources(query) else { return }
        let source = sources[0]
        let right = sources.count > 1 ? sources[1].oid : nil
        var stored = c
        stored.orReplace = false
        stored.stopped = false
        let sql = SQLPrinter.print(Statement(.createPump(stored)))
        try await pumpLock.withLock {
            let existing: PumpDefinition? = catalogLock.withLock { catalog.pumps.first { $0.name == name } }
            if let existing, !c.orReplace {
                throw FreshetError(.duplicateObject, "pump \"\(name)\" already exists", hint: "Use CREATE OR REPLACE PUMP to change its query.",
                                   position: c.name.span.start.offset + 1)
            }
            try checkNoCycle(pump: name, sources: sources.map(\.oid), target: plan.target.oid, position: c.name.span.start.offset + 1)
            if let existing {
                // Stop the old query after its current batch; the new one continues from its checkpoint.
                if let runner = catalogLock.withLock({ pumpRunners[existing.oid] }) {
                    await runner.stop()
                    do { try await runner.completeInterruptedBatch() } catch {
                        if existing.running { runner.start() }
                        throw FreshetError(SQLState("55000"), "pump \"\(name)\" cannot be replaced now: its last batch could not be completed",
                                           detail: (error as? FreshetError)?.message ?? "\(error)",
                                           hint: "See last_error in sys.pumps; DROP PUMP and CREATE PUMP replace it without finishing the batch.")
                    }
                    catalogLock.withLock { _ = pumpRunners.removeValue(forKey: existing.oid) }
                    runner.log.close()
                }
                var def = existing
                def.sql = sql
                def.generation += 1
                def.sourceOID = source.oid
                def.targetOID = plan.target.oid
                def.tableOIDs = tables.isEmpty ? nil : tables.map(\.oid)
                def.rightSourceOID = right
                def.running = !c.stopped
                def.createdMicros = configuration.clock.nowMicros()
                try catalogLock.withLock {
                    var next = catalog
                    next.pumps = next.pumps.map { $0.oid == def.oid ? def : $0 }
                    try persistCatalog(next)
                    catalog = next
                }
                try openRunner(def)
                return
            }
            // A new pump: its first checkpoint (the START AT position) is durable before the catalog names it.
            let oid: UInt32 = catalogLock.withLock { catalog.nextOID }
            let directory = "pumps/\(oid)"
            let path = configuration.dataDirectory + "/" + directory
            try? FileManager.default.removeItem(atPath: path)   // left by a CREATE that did not finish
            let now = configuration.clock.nowMicros()
            let context = EvaluationContext(parameters: [], statementTime: now)
            let start = try tailStart(query, context: context)
            let positions = try sources.map { s in
                try StreamTail(store: try store(for: s.oid), start: start, notBefore: retentionCutoff(s.oid)).position
            }
            let pipeline = try StreamingPipeline(plan: query, context: context, table: tableReader)
            let log = try PumpCheckpointLog(directory: path, committer: committer, clock: configuration.clock)
            do {
                try await log.append(.checkpoint(.init(batch: 0, generation: 1, positions: positions, state: pipeline.snapshot(),
                                                       rowsIn: 0, rowsOut: 0, errors: 0)))
                let def = PumpDefinition(oid: oid, name: name, sql: sql, running: !c.stopped, generation: 1, sourceOID: source.oid,
                                         targetOID: plan.target.oid, createdMicros: now, directory: directory,
                                         tableOIDs: tables.isEmpty ? nil : tables.map(\.oid), rightSourceOID: right)
                try catalogLock.withLock {
                    guard catalog.nextOID == oid else { throw FreshetError(SQLState("55006"), "the catalog changed while the pump was created; try again") }
                    var next = catalog
                    next.nextOID += 1
                    next.pumps.append(def)
                    try persistCatalog(next)
                    catalog = next
                }
                startRunner(def, log: log)
            } catch {
                log.destroy()
                throw error
            }
        }
    }

    /// ALTER PUMP … START | STOP.
    func alterPump(_ a: AlterPump) async throws {
        let name = a.name.last.value
        try await pumpLock.withLock {
            guard var def = catalogLock.withLock({ catalog.pumps.first { $0.name == name } }) else {
                throw FreshetError(.undefinedObject, "pump \"\(name)\" does not exist", position: a.name.span.start.offset + 1)
            }
            def.running = a.action == .start
            try catalogLock.withLock {
                var next = catalog
                next.pumps = next.pumps.map { $0.oid == def.oid ? def : $0 }
                try persistCatalog(next)
                catalog = next
            }
            guard let runner = catalogLock.withLock({ pumpRunners[def.oid] }) else { return }
            switch a.action {
            case .start: if runner.stats.status == .stopped { runner.start() }
            case .stop: await runner.stop()
            }
        }
    }

    /// DROP PUMP name[, …].
    func dropPumps(_ d: Drop) async throws {
        try await pumpLock.withLock {
            for n in d.names {
                let name = n.last.value
                guard let def = catalogLock.withLock({ catalog.pumps.first { $0.name == name } }) else {
                    if d.ifExists { continue }
                    throw FreshetError(.undefinedObject, "pump \"\(name)\" does not exist", position: n.span.start.offset + 1)
                }
                let runner = catalogLock.withLock { pumpRunners.removeValue(forKey: def.oid) }
                await runner?.stop()
                try catalogLock.withLock {
                    var next = catalog
                    next.pumps.removeAll { $0.oid == def.oid }
                    try persistCatalog(next)
                    catalog = next
                }
                runner?.log.destroy()
                if runner == nil { try? FileManager.default.removeItem(atPath: configuration.dataDirectory + "/" + def.directory) }
            }
        }
    }

    /// Refuse a pump that would close a cycle of pumps (A reads B's output, B reads A's).
    private func checkNoCycle(pump name: String, sources: [UInt32], target: UInt32, position: Int) throws {
        let edges = catalogLock.withLock { catalog.pumps.filter { $0.name != name }.flatMap { p in p.sourceOIDs.map { ($0, p.targetOID) } } }
        // Is a source reachable from `target` through other pumps?
        var frontier = [target]
        var seen: Set<UInt32> = [target]
        while let s = frontier.popLast() {
            if sources.contains(s) {
                throw FreshetError(SQLState("42P17"), "pump \"\(name)\" would close a cycle of pumps (its output flows back into its source)",
                                   position: position)
            }
            for (from, to) in edges where from == s && seen.insert(to).inserted { frontier.append(to) }
        }
    }

    /// The pumps that read or write a stream, or join a table (DROP STREAM and DROP
    /// TABLE refuse while there are any).
    func pumpsUsing(_ oid: UInt32) -> [String] {
        catalogLock.withLock {
            catalog.pumps.filter { $0.sourceOIDs.contains(oid) || $0.targetOID == oid || ($0.tableOIDs ?? []).contains(oid) }.map(\.name).sorted()
        }
    }

    /// What a pump's stream–table join reads: a table's current contents (a
    /// copy-on-write snapshot, taken per batch), nil once it is dropped.
    var tableReader: (UInt32) -> TableContents? {
        { [weak self] oid in self?.tableSnapshot(oid).map { ($0.version, $0.rows) } }
    }

    // MARK: Runners

    /// Open a pump's checkpoint log and make its runner (started when the pump is RUNNING).
    func openRunner(_ def: PumpDefinition) throws {
        let log = try PumpCheckpointLog(directory: configuration.dataDirectory + "/" + def.directory, committer: committer,
                                        clock: configuration.clock)
        startRunner(def, log: log)
    }

    private func startRunner(_ def: PumpDefinition, log: PumpCheckpointLog) {
        let runner = PumpRunner(definition: def, engine: self, log: log)
        catalogLock.withLock { pumpRunners[def.oid] = runner }
        if def.running { runner.start() }
    }

    /// Start every pump of the catalog (server start).
    func startPumps() {
        for def in catalogLock.withLock({ catalog.pumps }) {
            do { try openRunner(def) } catch {
                logger.error("pump \(def.name) cannot start: \(error)")
            }
        }
    }

    /// Stop every pump after its current batch (server shutdown).
    func stopPumps() async {
        let runners = catalogLock.withLock { Array(pumpRunners.values) }
        for r in runners {
            await r.stop()
            r.log.close()
        }
        catalogLock.withLock { pumpRunners = [:] }
    }

    /// Pumps with their runners, in name order (sys.pumps).
    func pumpsWithRunners() -> [(definition: PumpDefinition, runner: PumpRunner?)] {
        catalogLock.withLock { catalog.pumps.map { ($0, pumpRunners[$0.oid]) } }.sorted { $0.definition.name < $1.definition.name }
    }
}
