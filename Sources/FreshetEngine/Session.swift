import FreshetCore
import FreshetPlanner
import FreshetStreams
import FreshetSQL

/// One client's session: settings, transaction state, writes pending in a
/// transaction block. Used by one connection at a time (not thread-safe),
/// except for `cancelHandle`, which another connection may fire.
public final class Session {
    public let engine: Engine
    public let user: String
    public let database: String
    public let cancelHandle = CancelHandle()
    public internal(set) var transactionStatus: TransactionStatus = .idle
    var settings = Settings()
    /// Writes made inside BEGIN … COMMIT: made durable together at COMMIT, dropped at ROLLBACK.
    var pendingWrites: [PendingWrite] = []
    /// Open cursors (DECLARE … CURSOR FOR), by name.
    var cursors: [String: Cursor] = [:]

    /// An open cursor: its query's rows, pulled by FETCH.
    struct Cursor {
        var stream: RowStream
        var withHold: Bool
    }

    init(engine: Engine, user: String, database: String) {
        self.engine = engine
        self.user = user
        self.database = database
    }

    /// The ParameterStatus values to report after authentication.
    public var initialParameterStatus: [(String, String)] {
        [
            ("server_version", "15.0 (Freshet 0.1)"),
            ("server_encoding", "UTF8"),
            ("client_encoding", "UTF8"),
            ("DateStyle", "ISO, MDY"),
            ("integer_datetimes", "on"),
            ("IntervalStyle", "postgres"),
            ("standard_conforming_strings", "on"),
            ("TimeZone", "UTC"),
            ("application_name", settings.get("application_name") ?? ""),
            ("is_superuser", "on"),
            ("session_authorization", user),
        ]
    }

    /// ParameterStatus changes caused by the statements run since the last call (SET application_name …).
    public func takeParameterStatusChanges() -> [(String, String)] {
        defer { settings.changes = [] }
        return settings.changes
    }

    /// Split a query string into statements and parse each. The empty query gives [].
    /// Throws FreshetError 42601 with a position on a syntax error.
    public func parse(_ sql: String) throws -> [ParsedStatement] {
        if let answer = PsqlCatalogQueries.answer(sql, relations: engine.psqlRelations(), user: user, database: database) {
            return [ParsedStatement(text: sql, source: sql, commandWord: "SELECT", payload: CannedBox(answer))]
        }
        let statements: [Statement]
        do {
            statements = try Parser.parseStatements(sql)
        } catch {
            throw FreshetError(.syntaxError, error.message, detail: error.detail, position: error.span.start.offset + 1)
        }
        let scalars = Array(sql.unicodeScalars)
        return statements.map { st in
            let lo = max(0, min(st.span.start.offset, scalars.count)), hi = max(lo, min(st.span.end.offset, scalars.count))
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[lo..<hi])
            let word = String(String(text).prefix { $0.isLetter }).uppercased()
            return ParsedStatement(text: String(text), source: sql, commandWord: word, payload: StatementBox(st))
        }
    }

    /// Bind a statement: resolve names and types. `parameterTypes` holds what the client
    /// declared in Parse (nil: infer).
    public func prepare(_ statement: ParsedStatement, parameterTypes: [DataType?]) throws -> PreparedStatement {
        if let canned = statement.payload as? CannedBox {
            return PreparedStatement(statement: statement, parameterTypes: [], resultColumns: canned.answer.columns,
                                     plan: PlanBox(.canned(canned.answer)))
        }
        guard let box = statement.payload as? StatementBox else {
            return PreparedStatement(statement: statement, parameterTypes: [], resultColumns: nil, plan: PlanBox(.empty))
        }
        let binder = Binder(catalog: engine.catalogReader(), parameterTypes: parameterTypes)
        let plan = try plan(box.statement, binder: binder)
        return PreparedStatement(statement: statement, parameterTypes: binder.resolvedParameterTypes,
                                 resultColumns: resultColumns(of: plan), plan: PlanBox(plan))
    }

    /// Run a bound statement with its parameter values.
    public func execute(_ prepared: PreparedStatement, parameters: [Value]) async throws -> ExecutionResult {
        cancelHandle.reset()
        guard let box = prepared.plan as? PlanBox else { return .empty }
        if transactionStatus == .failed {
            if case .transaction(let t) = box.plan, t != .begin {
                // COMMIT or ROLLBACK end the failed block.
            } else {
                throw FreshetError(.inFailedSQLTransaction,
                                   "current transaction is aborted, commands ignored until end of transaction block")
            }
        }
        return try await execute(box.plan, parameters: parameters)
    }

    /// The front end reports that a statement failed (in a transaction block this aborts it).
    public func statementFailed() {
        if transactionStatus == .inTransaction { transactionStatus = .failed }
    }

    /// The connection is gone: release cursors, running queries and uncommitted writes.
    public func close() {
        pendingWrites = []
        for c in cursors.values { c.stream.close() }
        cursors = [:]
        cancelHandle.cancel()
    }

    func resultColumns(of plan: StatementPlan) -> [ResultColumn]? {
        switch plan {
        case .query(let q):
            return q.outputColumns.map(ResultColumn.init)
        case .insert(let i):
            return i.returning.isEmpty ? nil : i.returningColumns.map(ResultColumn.init)
        case .show(let name):
            return [ResultColumn(name: name ?? "setting", type: .text)] + (name == nil ? [ResultColumn(name: "description", type: .text)] : [])
        case .canned(let a): return a.columns
        case .fetch(_, _, _, let columns): return columns
        default: return nil
        }
    }
}

/// Opaque carriers for the Engine's own types through the public API.
final class StatementBox {
    let statement: Statement
    init(_ s: Statement) { statement = s }
}
final class PlanBox {
    let plan: StatementPlan
    init(_ p: StatementPlan) { plan = p }
}
final class CannedBox {
    let answer: PsqlCatalogQueries.Answer
    init(_ a: PsqlCatalogQueries.Answer) { answer = a }
}
