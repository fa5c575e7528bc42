import FreshetCore
import FreshetPlanner
import FreshetSQL

extension Session {
    /// Bind one statement into a StatementPlan.
    func plan(_ statement: Statement, binder: Binder) throws -> StatementPlan {
        switch statement.kind {
        case .query(let q):
            return .query(try binder.bindQuery(q))
        case .insert(let i):
            return .insert(try binder.bindInsert(i))
        case .createStream(let c):
            return .createStream(c)
        case .createTable(let c):
            return .createTable(c)
        case .drop(let d):
            guard d.objectKind == .stream || d.objectKind == .table || d.objectKind == .function || d.objectKind == .pump else {
                throw FreshetError(.featureNotSupported, "DROP \(d.objectKind.rawValue) is not supported yet",
                                   position: statement.span.start.offset + 1)
            }
            return .drop(d)
        case .copy(let c):
            return try planCopy(c, binder: binder, span: statement.span)
        case .set(let s):
            if s.isDefault { return .set(name: s.name.value, value: nil) }
            let text = try s.values.map { try CopyOptions.optionText($0) }.joined(separator: ", ")
            return .set(name: s.name.value, value: text)
        case .show(let s):
            return .show(s.name?.value.lowercased())
        case .reset(let name):
            return .set(name: name?.value ?? "all", value: nil)
        case .transaction(let t):
            return .transaction(t)
        case let .explain(inner, analyze):
            return .explain(try explain(inner, analyze: analyze, binder: binder))
        case .alterStream(let a):
            return .alterStream(a)
        case .createPump(let c):
            return .createPump(c)
        case .alterPump(let a):
            return .alterPump(a)
        case .update(let u):
            return .modify(try binder.bindUpdate(u))
        case .delete(let d):
            return .modify(try binder.bindDelete(d))
        case .createDeliveryStream:
            throw notSupportedYet("CREATE DELIVERY STREAM", statement)
        case .alterDeliveryStream:
            throw notSupportedYet("ALTER DELIVERY STREAM", statement)
        case .createVideoStream:
            throw notSupportedYet("CREATE VIDEO STREAM", statement)
        case .declareCursor(let d):
            if d.binary { throw notSupportedYet("DECLARE … BINARY CURSOR", statement) }
            if d.scroll == true { throw notSupportedYet("SCROLL cursors", statement) }
            return .declareCursor(name: d.name.value, query: try binder.bindQuery(d.query), withHold: d.withHold)
        case .fetch(let f):
            guard let cursor = cursors[f.cursor.value] else {
                throw FreshetError(.invalidCursorName, "cursor \"\(f.cursor.value)\" does not exist", position: f.cursor.span.start.offset + 1)
            }
            var count: Int64?
            switch f.count {
            case .rows(let n): count = n
            case .all: count = nil
            }
            var timeout: Int64?
            for opt in f.options {
                guard opt.name.value.lowercased() == "timeout", let v = opt.value else {
                    throw FreshetError(.syntaxError, "FETCH option \"\(opt.name.value)\" not recognized; the option is timeout = '2 seconds'",
                                       position: opt.name.span.start.offset + 1)
                }
                let text = try CopyOptions.optionText(v)
                guard case .interval(let i) = try Value.parse(pgText: Substring(text), as: .interval), i.months == 0 else {
                    throw FreshetError(.invalidParameterValue, "FETCH timeout must be an interval such as '2 seconds'")
                }
                timeout = Int64(i.days) * 86_400_000_000 + i.microseconds
            }
            return .fetch(name: f.cursor.value, count: count, timeoutMicros: timeout, columns: cursor.stream.columns)
        case .closeCursor(let name):
            if let name, cursors[name.value] == nil {
                throw FreshetError(.invalidCursorName, "cursor \"\(name.value)\" does not exist", position: name.span.start.offset + 1)
            }
            return .closeCursor(name?.value)
        case .createFunction(let f):
            let d = try binder.checkFunctionDefinition(f)
            var stored = f
            stored.orReplace = false
            return .createFunction(FunctionDefinition(name: d.name, sql: SQLPrinter.print(Statement(.createFunction(stored), span: statement.span))),
                                   orReplace: f.orReplace)
        }
    }

    /// The error for a statement that parses but has no plan yet.
    private func notSupportedYet(_ what: String, _ statement: Statement) -> FreshetError {
        FreshetError(.featureNotSupported, "\(what) is not supported yet", position: statement.span.start.offset + 1)
    }

    func planCopy(_ c: Copy, binder: Binder, span: SourceSpan) throws -> StatementPlan {
        let options: CopyOptions
        do { options = try CopyOptions.from(c.options) } catch var e as FreshetError {
            e.position = e.position ?? span.start.offset + 1
            throw e
        }
        switch (c.direction, c.endpoint) {
        case (.from, .stdin):
            guard case let .table(name, columns) = c.source else {
                throw FreshetError(.syntaxError, "COPY FROM needs a stream, not a query", position: span.start.offset + 1)
            }
            let target = try binder.resolveRelation(name)
            guard target.kind != .systemTable else {
                throw FreshetError(.wrongObjectType, "cannot copy to system table \"\(target.name)\"", position: name.span.start.offset + 1)
            }
            var fields: [Int] = []
            if columns.isEmpty {
                fields = Array(0..<target.userColumnCount)
            } else {
                for col in columns {
                    guard let i = target.columns.prefix(target.userColumnCount).firstIndex(where: { $0.name == col.value }) else {
                        throw FreshetError(.undefinedColumn, "column \"\(col.value)\" of relation \"\(target.name)\" does not exist",
                                           position: col.span.start.offset + 1)
                    }
                    fields.append(i)
                }
            }
            return .copyFrom(CopyFromPlan(target: target, fieldColumns: fields, format: options))
        case (.to, .stdout):
            let query: QueryPlan
            switch c.source {
            case let .table(name, columns):
                let items: [SelectItem] = columns.isEmpty
                    ? [.wildcard(qualifier: nil, span: name.span)]
                    : columns.map { .expression(FreshetSQL.Expression(.column(ObjectName([$0])), span: $0.span), alias: nil) }
                let select = Select(items: items, from: [.named(name, alias: nil, window: nil)], span: span)
                query = try binder.bindQuery(Query(body: .select(select), span: span))
            case .query(let q):
                query = try binder.bindQuery(q)
            }
            return .copyTo(CopyToPlan(query: query, format: options))
        case (.from, _), (.to, _):
            throw FreshetError(.featureNotSupported,
                               "COPY to or from a server-side file is not supported; use COPY … FROM STDIN / TO STDOUT (psql's \\copy)",
                               position: span.start.offset + 1)
        }
    }
}

