import Foundation
import FreshetCore
import FreshetPlanner
import FreshetRuntime
import FreshetSQL
import FreshetStreams

extension Session {
    func evaluationContext(_ parameters: [Value]) -> EvaluationContext {
        let clock = engine.configuration.clock
        return EvaluationContext(parameters: parameters, statementTime: clock.nowMicros(), user: user, database: database,
                                 rowClock: { clock.nowMicros() })
    }

    func execute(_ plan: StatementPlan, parameters: [Value]) async throws -> ExecutionResult {
        switch plan {
        case .empty:
            return .empty
        case .canned(let answer):
            return .rows(MaterializedRowStream(columns: answer.columns, rows: answer.rows))
        case .query(let q):
            return .rows(try await openQuery(q, parameters: parameters))
        case .insert(let i):
            return try await runInsert(i, parameters: parameters)
        case .createStream(let c):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "CREATE STREAM cannot run inside a transaction block")
            }
            try await engine.createStream(c)
            return .command("CREATE STREAM")
        case .createTable(let c):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "CREATE TABLE cannot run inside a transaction block")
            }
            try engine.createTable(c)
            return .command("CREATE TABLE")
        case .modify(let m):
            return try await runModify(m, parameters: parameters)
        case .explain(let lines):
            return .rows(MaterializedRowStream(columns: [ResultColumn(name: "QUERY PLAN", type: .text)], rows: lines.map { [.string($0)] },
                                               tag: "EXPLAIN"))
        case .drop(let d):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "DROP cannot run inside a transaction block")
            }
            if d.objectKind == .function {
                try engine.dropFunctions(d)
            } else if d.objectKind == .pump {
                try await engine.dropPumps(d)
            } else {
                try await engine.drop(d)
            }
            return .command("DROP \(d.objectKind.rawValue)")
        case let .createFunction(def, orReplace):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "CREATE FUNCTION cannot run inside a transaction block")
            }
            try engine.createFunction(def, orReplace: orReplace)
            return .command("CREATE FUNCTION")
        case .createPump(let c):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "CREATE PUMP cannot run inside a transaction block")
            }
            try await engine.createPump(c)
            return .command("CREATE PUMP")
        case .alterPump(let a):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "ALTER PUMP cannot run inside a transaction block")
            }
            try await engine.alterPump(a)
            return .command("ALTER PUMP")
        case .alterStream(let a):
            if transactionStatus != .idle {
                throw FreshetError(.activeSQLTransaction, "ALTER STREAM cannot run inside a transaction block")
            }
            try await engine.alterStream(a)
            return .command("ALTER STREAM")
        case .copyFrom(let c):
            if c.target.kind == .table { return .copyIn(TableCopyInReceiver(plan: c, session: self)) }
            return .copyIn(CopyInReceiver(plan: c, session: self))
        case .copyTo(let c):
            return .copyOut(CopyOutFormatter(plan: c, source: try await openQuery(c.query, parameters: parameters)))
        case let .set(name, value):
            if name.lowercased() == "all" && value == nil {
                settings = Settings()
                return .command("RESET")
            }
            if name.lowercased() == "transaction" || name.lowercased() == "session" { return .command("SET") }
            try settings.set(name, value)
            return .command(value == nil ? "RESET" : "SET")
        case .show(let name):
            if let name {
                guard let v = settings.get(name) else {
                    throw FreshetError(.undefinedObject, "unrecognized configuration parameter \"\(name)\"")
                }
                return .rows(MaterializedRowStream(columns: [ResultColumn(name: name, type: .text)], rows: [[.string(v)]], tag: "SHOW"))
            }
            let rows: [Row] = settings.values.keys.sorted().map { [.string($0), .string(settings.values[$0]!), .string("")] }
            return .rows(MaterializedRowStream(columns: [ResultColumn(name: "name", type: .text), ResultColumn(name: "setting", type: .text),
                                                         ResultColumn(name: "description", type: .text)], rows: rows, tag: "SHOW"))
        case let .declareCursor(name, query, withHold):
            if transactionStatus == .idle && !withHold {
                throw FreshetError(SQLState("25P01"), "DECLARE CURSOR can only be used in transaction blocks")
            }
            if cursors[name] != nil { throw FreshetError(SQLState("42P03"), "cursor \"\(name)\" already exists") }
            cursors[name] = Cursor(stream: try await openQuery(query, parameters: parameters), withHold: withHold)
            return .command("DECLARE CURSOR")
        case let .fetch(name, count, timeout, columns):
            guard let cursor = cursors[name] else { throw FreshetError(.invalidCursorName, "cursor \"\(name)\" does not exist") }
            let rows = try await fetch(from: cursor.stream, count: count, timeoutMicros: timeout)
            return .rows(MaterializedRowStream(columns: columns, rows: rows, tag: "FETCH \(rows.count)"))
        case .closeCursor(let name):
            if let name {
                cursors.removeValue(forKey: name)?.stream.close()
            } else {
                for c in cursors.values { c.stream.close() }
                cursors = [:]
            }
            return .command("CLOSE CURSOR")
        case .transaction(let t):
            if t != .begin { closeTransactionCursors() }
            switch t {
            case .begin:
                if transactionStatus == .idle { transactionStatus = .inTransaction }
                return .command("BEGIN")
            case .commit:
                defer { pendingWrites = []; transactionStatus = .idle }
                if transactionStatus == .failed { return .command("ROLLBACK") }
                if !pendingWrites.isEmpty { _ = try await engine.commit(pendingWrites) }
                return .command("COMMIT")
            case .rollback:
                pendingWrites = []
                transactionStatus = .idle
                return .command("ROLLBACK")
            }
        }
    }

    /// FETCH: up to `count` rows (nil: all). On a continuous query it returns as soon as
    /// `count` rows exist, or — with a timeout — what exists when the timeout passes.
    func fetch(from stream: RowStream, count: Int64?, timeoutMicros: Int64?) async throws -> [Row] {
        var out: [Row] = []
        let want = count.map { Int($0) } ?? Int.max
        let deadline = timeoutMicros.map { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, $0)) * 1000 }
        while out.count < want {
            let batch: [Row]?
            if let live = stream as? LiveQueryStream, let deadline {
                batch = try await live.next(maxRows: min(want - out.count, 4096), deadlineNanoseconds: deadline)
                if batch?.isEmpty == true { break }   // the timeout passed
            } else {
                batch = try await stream.next(maxRows: min(want - out.count, 4096))
            }
            guard let batch else { break }
            out.append(contentsOf: batch)
        }
        return out
    }

    /// COMMIT/ROLLBACK close the cursors that were not declared WITH HOLD.
    func closeTransactionCursors() {
        for (name, c) in cursors where !c.withHold {
            c.stream.close()
            cursors.removeValue(forKey: name)
        }
    }

    /// The rows of a query: computed now for a bounded query, produced as they arrive for SELECT STREAM.
    func openQuery(_ q: QueryPlan, parameters: [Value]) async throws -> RowStream {
        let cols = q.outputColumns.map(ResultColumn.init)
        guard q.isStream else {
            return MaterializedRowStream(columns: cols, rows: try await runQuery(q, parameters: parameters))
        }
        guard let r = q.source.continuousStream else {
            throw FreshetError(.wrongObjectType, "SELECT STREAM needs a stream in FROM")
        }
        let context = evaluationContext(parameters)
        try await runSubqueries(q.subqueries, context: context, parameters: parameters)
        if r.kind == .systemTable {
            let trimHorizon: Bool
            switch q.startAt {
            case .latest: trimHorizon = false
            case .trimHorizon: trimHorizon = true
            case .timestamp, .sequence:
                throw FreshetError(.featureNotSupported, "SELECT STREAM over a system table starts AT LATEST or AT TRIM_HORIZON only",
                                   hint: "System tables keep no history of their changes; TRIM_HORIZON starts with the rows as they are now.")
            }
            let feed = try engine.openSystemTail(r, trimHorizon: trimHorizon)
            return LiveQueryStream(columns: cols, feed: feed, pipeline: try StreamingPipeline(plan: q, context: context), cancel: cancelHandle)
        }
        if q.streamJoin != nil, case .sequence = q.startAt {
            throw FreshetError(.featureNotSupported, "START AT SEQUENCE names a position in one stream, and this query joins two",
                               hint: "Use START AT TRIM_HORIZON, LATEST or TIMESTAMP '…'.")
        }
        let start = try engine.tailStart(q, context: context)
        var tail = try engine.openTail(r, start: start)
        tail.systemColumns = SystemColumnSelection(reading: StreamingPipeline.inputColumns(of: q), userColumns: tail.store.schema.count)
        let engine = self.engine
        let pipeline = try StreamingPipeline(plan: q, context: context, onLateRow: engine.lateRowHandler(stream: r.name), table: { oid in
            engine.tableSnapshot(oid).map { ($0.version, $0.rows) }
        })
        if let sj = q.streamJoin {
            let second = try engine.openTail(sj.right.relation, start: start)
            return LiveQueryStream(columns: cols, tail: tail, second: second, pipeline: pipeline, cancel: cancelHandle)
        }
        return LiveQueryStream(columns: cols, tail: tail, pipeline: pipeline, cancel: cancelHandle)
    }

    /// Run a bounded query to completion.
    func runQuery(_ q: QueryPlan, parameters: [Value]) async throws -> [Row] {
        let context = evaluationContext(parameters)
        try await runSubqueries(q.subqueries, context: context, parameters: parameters)
        let pipeline = try BoundedPipeline(plan: q, context: context)
        try await feed(q.source, into: pipeline.head, context: context, parameters: parameters) { !pipeline.isSatisfied }
        try pipeline.head.finish()
        return pipeline.sink.rows
    }

    /// Run the uncorrelated subqueries of a query level and hand their rows to its expressions.
    func runSubqueries(_ subqueries: [SubqueryPlan], context: EvaluationContext, parameters: [Value]) async throws {
        for s in subqueries {
            if s.correlated {
                // Runs per outer row: read its source now, and what its own expressions need.
                context.correlatedSources[s.id] = try await materialize(s.query.source, context: context, parameters: parameters)
                try await runSubqueries(s.query.subqueries, context: context, parameters: parameters)
            } else {
                context.subqueryResults[s.id] = try await runQuery(s.query, parameters: parameters)
            }
        }
    }

    /// Push the rows of `source` into `sink` (without finishing it). `wantMore` lets a
    /// relation scan stop early once LIMIT is satisfied.
    func feed(_ source: PlanSource, into sink: RowSink, context: EvaluationContext, parameters: [Value],
              wantMore: () -> Bool = { true }) async throws {
        switch source {
        case .singleRow:
            try sink.push([[]])
        case .values(let rows):
            let compiler = ExpressionCompiler(context: context)
            var out: [Row] = []
            for r in rows { out.append(try r.map { try compiler.compile($0)([]) }) }
            try sink.push(out)
        case .relation(let r):
            if r.kind == .table {
                guard let snapshot = engine.tableSnapshot(r.oid) else {
                    throw FreshetError(.undefinedTable, "table \"\(r.name)\" was dropped while the statement ran")
                }
                if !snapshot.rows.isEmpty { try sink.push(snapshot.rows) }
                return
            }
            try await engine.scan(r, cancel: cancelHandle) { batch in
                try sink.push(batch)
                return wantMore()
            }
        case .subquery(let q):
            let rows = try await runQuery(q, parameters: parameters)
            if !rows.isEmpty { try sink.push(rows) }
        case .join(let j):
            let left = try await materialize(j.left, context: context, parameters: parameters)
            let right = try await materialize(j.right, context: context, parameters: parameters)
            if cancelHandle.isCancelled { throw FreshetError(.queryCanceled, "canceling statement due to user request") }
            try JoinExecutor(plan: j, compiler: ExpressionCompiler(context: context)).run(left: left, right: right, into: sink)
        case .setOperation(let s):
            let left = try await runQuery(s.left, parameters: parameters)
            let right = try await runQuery(s.right, parameters: parameters)
            let rows = SetOperationExecutor.run(s.op, all: s.all, left: left, right: right)
            if !rows.isEmpty { try sink.push(rows) }
        }
    }

    /// All rows of a source.
    func materialize(_ source: PlanSource, context: EvaluationContext, parameters: [Value]) async throws -> [Row] {
        let sink = CollectingSink()
        try await feed(source, into: sink, context: context, parameters: parameters)
        return sink.rows
    }

    func runInsert(_ plan: InsertPlan, parameters: [Value]) async throws -> ExecutionResult {
        let context = evaluationContext(parameters)
        let compiler = ExpressionCompiler(context: context)
        var rows: [Row] = []
        switch plan.source {
        case .values(let exprRows):
            rows.reserveCapacity(exprRows.count)
            for (n, r) in exprRows.enumerated() {
                do {
                    rows.append(try r.map { try compiler.compile($0)([]) })
                } catch var e as FreshetError {
                    if e.detail == nil { e.detail = "Row \(n + 1) of the INSERT failed; no row was stored." }
                    throw e
                }
            }
        case .query(let q):
            let result = try await runQuery(q, parameters: parameters)
            let userColumns = Array(plan.target.columns.prefix(plan.target.userColumnCount))
            for (n, r) in result.enumerated() {
                var row = Row(repeating: .null, count: userColumns.count)
                for (i, src) in plan.columnMap.enumerated() {
                    guard let src else { continue }
                    do {
                        row[i] = try r[src].cast(to: userColumns[i].type, from: q.outputColumns[src].type, explicit: false)
                    } catch var e as FreshetError {
                        if e.detail == nil { e.detail = "Row \(n + 1), column \"\(userColumns[i].name)\"; no row was stored." }
                        throw e
                    }
                }
                rows.append(row)
            }
        }
        if plan.target.kind == .table {
            return try insertIntoTable(plan, rows: rows, compiler: compiler)
        }
        let pending = try engine.prepareWrite(plan.target, rows: rows)
        if transactionStatus == .inTransaction {
            if !plan.returning.isEmpty {
                throw FreshetError(.featureNotSupported, "INSERT … RETURNING inside a transaction block is not supported",
                                   hint: "Sequence numbers are assigned at COMMIT; run the INSERT outside BEGIN … COMMIT.")
            }
            pendingWrites.append(pending)
            return .command("INSERT 0 \(rows.count)")
        }
        let receipts = try await engine.commit([pending])
        if plan.returning.isEmpty { return .command("INSERT 0 \(rows.count)") }
        let stored = receipts[0].storedRows(rows)
        let returning = try plan.returning.map(compiler.compile)
        let out: [Row] = try stored.map { r in try returning.map { try $0(r) } }
        let cols = plan.returningColumns.map(ResultColumn.init)
        return .rows(MaterializedRowStream(columns: cols, rows: out, tag: "INSERT 0 \(rows.count)"))
    }
}
