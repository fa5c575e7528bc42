import FreshetCore
import FreshetSQL

/// FROM subqueries that are plain filters and projections, planned by flattening:
/// `SELECT STREAM t.a FROM (SELECT STREAM x AS a FROM s WHERE p) AS t WHERE q`
/// is bound as `SELECT STREAM x AS a FROM s WHERE p AND q[a := x]`. The inner select
/// items are substituted (as syntax) into every outer expression, so windows, GROUP BY,
/// ORDER BY and OVER over the derived table plan exactly as over the stream itself.
/// `t.ROWTIME` is the inner row's ROWTIME. This is also how the row-valued log-parsing
/// functions are read (`FROM (SELECT STREAM W3C_LOG_PARSE(…) FROM s) AS l(r)` …
/// `l.r.COLUMN1`): a row column of the derived table is reached field by field, each
/// field a scalar call sharing one parse per input row (LogParseSpec).
extension Binder {
    /// One column of a flattened derived table: the inner expression it stands for,
    /// or a row-valued log-parsing call whose fields are read as `alias.col.FIELD`.
    struct DerivedColumn {
        var name: String
        var expression: Expression
        var row: LogParseSpec?
    }

    /// The internal function name a field of a row-valued call is rewritten to:
    /// `freshet$row_field(<row call>, '<field name>')`.
    static let rowFieldFunction = "freshet$row_field"

    /// `select` with its single FROM subquery flattened into it, or nil when it has none
    /// (or it is bounded and reads no row-valued function: those subqueries are run as such).
    func flattenDerivedTable(_ select: Select, query: Query) throws -> (Select, Query)? {
        guard select.from.count == 1, case let .subquery(innerQuery, alias, false) = select.from[0] else { return nil }
        guard case .select(var inner) = innerQuery.body else {
            if select.isStream, case .nested(let q) = innerQuery.body, case .select = q.body, innerQuery.orderBy.isEmpty, innerQuery.limit == nil {
                var s = select
                s.from = [.subquery(q, alias: alias, lateral: false)]
                return try flattenDerivedTable(s, query: query) ?? (s, query)
            }
            return nil
        }
        let rowValued = inner.items.contains { if case .expression(let e, _) = $0 { return LogParseSpec.isRowValued(e) }; return false }
        if !select.isStream && !rowValued { return nil }
        // The inner query first: it may itself read a subquery.
        var innerOuterQuery = innerQuery
        if let (flat, q) = try flattenDerivedTable(inner, query: innerQuery) {
            inner = flat
            innerOuterQuery = q
        }
        try checkFlattenable(inner, innerOuterQuery, rowValued: rowValued, outerStream: select.isStream)
        let columns = try derivedColumns(inner, alias: alias)
        let qualifier = alias?.name.value
        let rowtime = rowtimeExpression(inner)
        let rewriter = DerivedRewriter(columns: columns, qualifier: qualifier, rowtime: rowtime)

        var out = inner
        out.isStream = select.isStream
        out.distinct = select.distinct
        out.distinctOn = try select.distinctOn.map(rewriter.rewrite)
        out.items = []
        for item in select.items {
            switch item {
            case let .wildcard(q, span):
                var parts = q?.parts.map(\.value) ?? []
                if let first = parts.first, first == qualifier, parts.count > 1 { parts.removeFirst() }
                if parts.count == 1, let c = columns.first(where: { $0.row != nil && $0.name == parts[0] }), let row = c.row {
                    // `alias.row.*`: the fields of a row column.
                    for f in row.fields {
                        out.items.append(.expression(DerivedRewriter.field(c.expression, f.name, span: span), alias: Identifier(f.name)))
                    }
                    continue
                }
                if let q, parts.count != 1 || parts[0] != qualifier {
                    throw PlanError.error(.undefinedTable, "missing FROM-clause entry for table \"\(q.description)\"", span)
                }
                for c in columns {
                    if let row = c.row {
                        for f in row.fields {
                            out.items.append(.expression(DerivedRewriter.field(c.expression, f.name, span: span), alias: Identifier(f.name)))
                        }
                    } else {
                        out.items.append(.expression(c.expression, alias: Identifier(c.name)))
                    }
                }
            case let .expression(e, a):
                out.items.append(.expression(try rewriter.rewrite(e), alias: a ?? Identifier(outputName(e))))
            }
        }
        if let w = select.whereClause {
            let outerFilter = try rewriter.rewrite(w)
            if let p = inner.whereClause {
                out.whereClause = Expression(.binary(.and, Expression(p.kind, span: p.span), outerFilter), span: w.span)
            } else {
                out.whereClause = outerFilter
            }
        }
        out.groupBy = try select.groupBy.map(rewriter.rewrite)
        out.having = try select.having.map(rewriter.rewrite)
        if var st = select.stagger {
            st.partitionBy = try st.partitionBy.map(rewriter.rewrite)
            out.stagger = st
        } else {
            out.stagger = nil
        }
        out.windows = try select.windows.map { w in
            var w = w
            w.specification = try rewriter.rewrite(w.specification)
            return w
        }
        out.startAt = select.startAt ?? inner.startAt
        out.span = select.span
        var q = query
        q.orderBy = try query.orderBy.map { o in
            var o = o
            // ORDER BY an output name or position stays as written.
            if case .column(let n) = o.expression.kind, n.parts.count == 1,
               out.items.contains(where: { if case .expression(_, let a) = $0 { return a?.value == n.last.value }; return false }) {
                return o
            }
            if case .literal = o.expression.kind { return o }
            o.expression = try rewriter.rewrite(o.expression)
            return o
        }
        return (out, q)
    }

    /// Only a plain filter/projection can be flattened.
    private func checkFlattenable(_ inner: Select, _ q: Query, rowValued: Bool, outerStream: Bool) throws {
        func refuse(_ what: String, _ span: SourceSpan) throws -> Never {
            let subject = outerStream ? "a FROM subquery of SELECT STREAM" : "a FROM subquery with a row-valued function"
            throw PlanError.error(.featureNotSupported, "\(what) in \(subject) is not supported", span,
                                  hint: "Only filters and projections can be nested here; write the \(what.lowercased()) in the outer query.")
        }
        if outerStream && !inner.isStream {
            throw PlanError.error(.wrongObjectType, "a FROM subquery of SELECT STREAM must itself be SELECT STREAM", inner.span)
        }
        if !q.with.isEmpty { try refuse("WITH", q.span) }
        if !inner.groupBy.isEmpty || inner.stagger != nil { try refuse("GROUP BY", inner.span) }
        if inner.having != nil { try refuse("HAVING", inner.span) }
        if !inner.windows.isEmpty { try refuse("WINDOW", inner.span) }
        if inner.distinct || !inner.distinctOn.isEmpty { try refuse("DISTINCT", inner.span) }
        if let l = q.limit { try refuse("LIMIT", l.span) }
        if let o = q.offset { try refuse("OFFSET", o.span) }
        if let o = q.orderBy.first { try refuse("ORDER BY", o.expression.span) }
        if inner.from.count > 1 { try refuse("A FROM list", inner.span) }
        if outerStream && inner.from.isEmpty {
            throw PlanError.error(.wrongObjectType, "SELECT STREAM needs a stream in FROM", inner.span)
        }
        if case .subquery? = inner.from.first { try refuse("A subquery that is not a plain filter", inner.span) }
        for item in inner.items {
            guard case .expression(let e, _) = item else { continue }
            if containsAggregate(e) { try refuse("An aggregate", e.span) }
            if containsWindowCall(e) { try refuse("A window function (OVER)", e.span) }
        }
    }

    private func containsWindowCall(_ e: Expression) -> Bool {
        var found = false
        DerivedRewriter.visit(e) { if case .function(let f) = $0.kind, f.over != nil { found = true } }
        return found
    }

    /// The inner select's output columns, renamed by the alias's column list.
    private func derivedColumns(_ inner: Select, alias: TableAlias?) throws -> [DerivedColumn] {
        var columns: [DerivedColumn] = []
        for item in inner.items {
            switch item {
            case let .wildcard(q, span):
                guard case let .named(name, innerAlias, _)? = inner.from.first else {
                    throw PlanError.error(.featureNotSupported, "* in a FROM subquery over a join is not supported yet; list the columns", span)
                }
                let relation = try resolveRelation(name)
                let qual = innerAlias?.name.value ?? relation.name
                if let q, q.last.value != qual {
                    throw PlanError.error(.undefinedTable, "missing FROM-clause entry for table \"\(q.last.value)\"", span)
                }
                let names = (try scope(for: relation, alias: innerAlias)).entries.filter { !$0.hidden }.map(\.name)
                for n in names {
                    columns.append(DerivedColumn(name: n, expression: Expression(.column(ObjectName([Identifier(qual), Identifier(n)])), span: span)))
                }
            case let .expression(e, a):
                let row = LogParseSpec.isRowValued(e) ? try LogParseSpec.resolve(e) : nil
                columns.append(DerivedColumn(name: a?.value ?? outputName(e), expression: e, row: row))
            }
        }
        if let alias {
            if alias.columns.count > columns.count {
                throw PlanError.error(.invalidColumnReference,
                    "table \"\(alias.name.value)\" has \(columns.count) columns available but \(alias.columns.count) columns specified",
                    alias.columns[columns.count].span)
            }
            for (i, c) in alias.columns.enumerated() { columns[i].name = c.value }
        }
        return columns
    }

    /// The inner row's ROWTIME, qualified by the inner FROM item when it is a single name.
    private func rowtimeExpression(_ inner: Select) -> Expression {
        if case let .named(name, a, _)? = inner.from.first {
            return Expression(.column(ObjectName([Identifier(a?.name.value ?? name.last.value), Identifier("rowtime")])))
        }
        return Expression(.column(ObjectName([Identifier("rowtime")])))
    }
}
