import FreshetCore
import FreshetSQL

extension Binder {
    /// Bind a query: SELECT [STREAM], VALUES, set operations, parenthesised queries, WITH.
    public func bindQuery(_ query: Query) throws -> QueryPlan {
        if !query.with.isEmpty {
            var frame: [CTEBinding] = []
            for cte in query.with {
                if frame.contains(where: { $0.name == cte.name.value }) {
                    throw PlanError.error(SQLState("42712"), "WITH query name \"\(cte.name.value)\" specified more than once", cte.name.span)
                }
                frame.append(CTEBinding(name: cte.name.value, columns: cte.columns, query: cte.query, environment: cteFrames + [frame]))
            }
            cteFrames.append(frame)
            defer { cteFrames.removeLast() }
            var body = query
            body.with = []
            return try bindQuery(body)
        }
        switch query.body {
        case .select(let select):
            var (plan, subqueries) = try collectingSubqueries { try bindSelect(select, query: query) }
            plan.subqueries = subqueries
            return plan
        case .values(let rows):
            var (plan, subqueries) = try collectingSubqueries { try bindValuesQuery(rows, query: query) }
            plan.subqueries = subqueries
            return plan
        case .nested(let inner):
            if query.orderBy.isEmpty && query.limit == nil && query.offset == nil { return try bindQuery(inner) }
            return try wrapQuery(try bindNestedQuery(inner), query: query)
        case let .setOperation(op, all, l, r):
            return try bindSetOperation(op, all: all, l, r, query: query)
        }
    }

    /// `inner` as the input of a query level that only orders and limits it
    /// (`(SELECT …) ORDER BY …`, a set operation's ORDER BY/LIMIT).
    func wrapQuery(_ inner: QueryPlan, query: Query, source: PlanSource? = nil) throws -> QueryPlan {
        let cols = inner.outputColumns
        // This level's ORDER BY names output columns: no window functions of its own.
        let enclosingWindowFunctions = windowFunctions
        windowFunctions = nil
        defer { windowFunctions = enclosingWindowFunctions }
        var (plan, subqueries) = try collectingSubqueries { () throws -> QueryPlan in
            var plan = QueryPlan(source: source ?? .subquery(inner), projections: cols.enumerated().map { .column($0.offset, $0.element.type) },
                                 outputColumns: cols)
            let scope = outputScope(cols, qualifier: nil, columnNames: [])
            let items: [(Expression, String?)] = cols.map { (Expression(.column(ObjectName([Identifier($0.name)])), span: query.span), $0.name) }
            try bindOrderAndLimit(query, plan: &plan, scope: scope, grouping: nil, selectItems: items)
            return plan
        }
        plan.subqueries = subqueries
        return plan
    }

    /// UNION / INTERSECT / EXCEPT [ALL]: column counts must agree; each column's type is
    /// the common type of both sides (each side is cast to it); names come from the left.
    func bindSetOperation(_ op: SetOperator, all: Bool, _ l: QueryBody, _ r: QueryBody, query: Query) throws -> QueryPlan {
        var lp = try bindNestedQuery(Query(body: l, span: query.span))
        var rp = try bindNestedQuery(Query(body: r, span: query.span))
        guard lp.outputColumns.count == rp.outputColumns.count else {
            throw PlanError.error(.syntaxError, "each \(op.rawValue) query must have the same number of columns", query.span)
        }
        var types: [DataType] = []
        for (a, b) in zip(lp.outputColumns, rp.outputColumns) {
            if a.untypedLiteral != b.untypedLiteral {
                types.append(a.untypedLiteral ? b.type : a.type)
                continue
            }
            guard var t = TypeCoercion.commonType(a.type, b.type) else {
                throw PlanError.error(.datatypeMismatch, "\(op.rawValue) types \(a.type.sqlName) and \(b.type.sqlName) cannot be matched", query.span)
            }
            if t == .unknown { t = .text }
            types.append(t)
        }
        func conform(_ p: QueryPlan) throws -> QueryPlan {
            if p.outputColumns.map(\.type) == types { return p }
            let casts = try p.outputColumns.enumerated().map {
                try castExpression(.column($0.offset, $0.element.type), to: types[$0.offset], span: query.span, explicit: $0.element.untypedLiteral)
            }
            var cols = p.outputColumns
            for i in cols.indices { cols[i].type = types[i] }
            return QueryPlan(source: .subquery(p), projections: casts, outputColumns: cols)
        }
        lp = try conform(lp)
        rp = try conform(rp)
        let kind: SetOperationPlan.Operator = op == .union ? .union : op == .intersect ? .intersect : .except
        var cols = lp.outputColumns
        for i in cols.indices {
            cols[i].tableOID = 0
            cols[i].columnNumber = 0
            cols[i].untypedLiteral = lp.outputColumns[i].untypedLiteral && rp.outputColumns[i].untypedLiteral
        }
        lp.outputColumns = cols
        let setPlan = SetOperationPlan(op: kind, all: all, left: lp, right: rp)
        return try wrapQuery(lp, query: query, source: .setOperation(setPlan))
    }

    /// Bind VALUES rows with no input columns; each column's type is the common type of its rows.
    public func bindValuesRows(_ rows: [[Expression]], span: SourceSpan) throws -> (rows: [[BoundExpression]], types: [DataType]) {
        guard let width = rows.first?.count else { return ([], []) }
        var bound: [[BoundExpression]] = []
        bound.reserveCapacity(rows.count)
        let empty = Scope()
        for row in rows {
            guard row.count == width else {
                throw PlanError.error(.syntaxError, "VALUES lists must all be the same length", row.first?.span ?? span)
            }
            bound.append(try row.map { try bind($0, empty) })
        }
        var types = [DataType](repeating: .unknown, count: width)
        for row in bound {
            for (i, e) in row.enumerated() {
                guard let c = TypeCoercion.commonType(types[i], e.type) else {
                    throw PlanError.error(.datatypeMismatch, "VALUES types \(types[i].sqlName) and \(e.type.sqlName) cannot be matched", span)
                }
                types[i] = c
            }
        }
        return (bound, types)
    }

    func bindValuesQuery(_ rows: [[Expression]], query: Query) throws -> QueryPlan {
        var (bound, types) = try bindValuesRows(rows, span: query.span)
        let untyped = types.map { $0 == .unknown }
        types = types.map { $0 == .unknown ? .text : $0 }
        bound = try bound.map { row in try row.enumerated().map { try castExpression($1, to: types[$0], span: query.span, explicit: false) } }
        var columns = types.enumerated().map { OutputColumn(name: "column\($0.offset + 1)", type: $0.element) }
        for i in columns.indices { columns[i].untypedLiteral = untyped[i] }
        let projections = types.enumerated().map { BoundExpression.column($0.offset, $0.element) }
        var plan = QueryPlan(source: .values(bound), projections: projections, outputColumns: columns)
        try bindOrderAndLimit(query, plan: &plan, scope: nil, grouping: nil, selectItems: [])
        return plan
    }

    func scope(for relation: RelationDescriptor, alias: TableAlias?) throws -> Scope {
        var scope = Scope()
        let qualifier = alias?.name.value ?? relation.name
        if let alias, alias.columns.count > relation.userColumnCount {
            throw PlanError.error(.invalidColumnReference,
                "table \"\(alias.name.value)\" has \(relation.userColumnCount) columns available but \(alias.columns.count) columns specified", alias.name.span)
        }
        for (i, c) in relation.columns.enumerated() {
            var name = c.name
            if let alias, i < alias.columns.count { name = alias.columns[i].value }
            scope.entries.append(Scope.Entry(qualifier: qualifier, name: name, index: i, type: c.type,
                                             hidden: i >= relation.userColumnCount, tableOID: relation.oid,
                                             columnNumber: Int16(i + 1)))
        }
        return scope
    }

    func bindSelect(_ select: Select, query: Query) throws -> QueryPlan {
        if let (flat, flatQuery) = try flattenDerivedTable(select, query: query) {
            return try bindSelect(flat, query: flatQuery)
        }
        if select.startAt != nil && !select.isStream {
            throw PlanError.error(.syntaxError, "START AT is only valid with SELECT STREAM", select.span)
        }
        if select.isStream {
            try checkContinuous(select, query: query)
        }
        // Window functions (OVER) of a bounded SELECT (a SELECT STREAM's are set up below, after FROM).
        let windowFunctions = select.isStream ? nil : try makeWindowFunctionContext(select)
        let enclosingWindowFunctions = self.windowFunctions
        self.windowFunctions = windowFunctions
        defer { self.windowFunctions = enclosingWindowFunctions }
        if let first = select.distinctOn.first {
            throw PlanError.error(.featureNotSupported, "DISTINCT ON is not supported yet", first.span)
        }
        var staggerRange: Int64?
        if let stagger = select.stagger { staggerRange = try bindStaggerRange(stagger, select) }
        // FROM
        var source: PlanSource = .singleRow
        var scope = Scope()
        var tableFunction: BoundTableFunction?
        var sourceWidth = 0
        var streamJoin: StreamJoinPlan?
        if select.isStream, select.from.count == 1, case .join(let j) = select.from[0], isWindowedStreamJoin(j) {
            let (from, plan) = try bindStreamJoin(j, span: select.span)
            source = from.source
            scope = from.scope
            sourceWidth = from.width
            streamJoin = plan
        } else if select.from.count == 1, case let .function(call, alias) = select.from[0] {
            let bound = try bindTableFunction(call, alias: alias, select: select, query: query)
            source = .relation(bound.relation)
            scope = bound.scope
            tableFunction = bound
        } else if let from = try bindFrom(select.from, span: select.span) {
            source = from.source
            scope = from.scope
            sourceWidth = from.width
        }
        // Window functions (OVER) of a SELECT STREAM: allowed in the select list only.
        var windowing: WindowingContext?
        if streamJoin != nil {
            windowing = nil
        } else if select.isStream, tableFunction == nil, case .relation(let r) = source, r.kind == .stream {
            windowing = try makeWindowingContext(select, relation: r)
        } else if select.isStream, case .join = source, let r = source.continuousStream, sourceWidth > r.columns.count {
            // A stream–table join: window functions read joined rows (the stream's columns first,
            // so ROWTIME keeps its position); their results go after the whole joined row.
            var joined = r
            joined.columns += Array(repeating: Column(name: "", type: .unknown), count: sourceWidth - r.columns.count)
            windowing = try makeWindowingContext(select, relation: joined)
        }
        let enclosingWindowing = self.windowing
        self.windowing = windowing
        defer { self.windowing = enclosingWindowing }
        let enclosingStreamJoin = inStreamJoin
        inStreamJoin = streamJoin != nil
        defer { inStreamJoin = enclosingStreamJoin }
        // WHERE
        windowFunctions?.clause = "WHERE"
        var filter: BoundExpression?
        if let w = select.whereClause {
            filter = try coerceBoolean(try bind(w, scope, expected: .boolean), w.span, "WHERE")
        }
        // Expand * into explicit items.
        // A `*` column is reached by its name when that is unambiguous, else directly by position.
        var items: [(expr: Expression, alias: String?, origin: Scope.Entry?, direct: Scope.Entry?)] = []
        for item in select.items {
            switch item {
            case let .wildcard(qualifier, span):
                let q = qualifier?.last.value
                let visible = scope.entries.filter { !$0.hidden && (q == nil ? !$0.qualifiedOnly : $0.qualifier == q) }
                if visible.isEmpty && q != nil {
                    throw PlanError.error(.undefinedTable, "missing FROM-clause entry for table \"\(q!)\"", span)
                }
                if select.from.isEmpty {
                    throw PlanError.error(.syntaxError, "SELECT * with no tables specified is not valid", span)
                }
                for e in visible {
                    let ref = Expression(.column(ObjectName((e.qualifier.map { [Identifier($0)] } ?? []) + [Identifier(e.name)])), span: span)
                    var unique = false
                    if case .found(let found) = scope.lookup(qualifier: e.qualifier, name: e.name), found.index == e.index { unique = true }
                    items.append((ref, e.name, e, unique ? nil : e))
                }
            case let .expression(expr, alias):
                var origin: Scope.Entry?
                if case .column(let n) = expr.kind, case .found(let entry) = scope.lookup(qualifier: n.parts.count > 1 ? n.parts[n.parts.count - 2].value : nil, name: n.last.value) {
                    origin = entry
                }
                items.append((expr, alias?.value, origin, nil))
            }
        }
        // GROUP BY / aggregates
        let hasAggregates = items.contains { containsAggregate($0.expr) } || (select.having.map(containsAggregate) ?? false)
            || query.orderBy.contains { containsAggregate($0.expression) }
        var grouping: GroupingContext?
        var groupKeys: [BoundExpression] = []
        var windowKeys: [GroupWindowKey] = []
        var groupKeySpans: [SourceSpan] = []
        if !select.groupBy.isEmpty || hasAggregates || select.stagger != nil {
            var keyExprs: [Expression] = []
            // A stagger window groups by its PARTITION BY expressions.
            for g in select.stagger?.partitionBy ?? select.groupBy {
                // GROUP BY 1 refers to the first select item; GROUP BY alias to an output name.
                if case .literal(.integer(let digits)) = g.kind, let n = Int(digits) {
                    guard n >= 1 && n <= items.count else {
                        throw PlanError.error(.invalidColumnReference, "GROUP BY position \(n) is not in select list", g.span)
                    }
                    keyExprs.append(items[n - 1].expr)
                    continue
                }
                if case .column(let name) = g.kind, name.parts.count == 1,
                   case .notFound = scope.lookup(qualifier: nil, name: name.last.value),
                   let item = items.first(where: { $0.alias == name.last.value }) {
                    keyExprs.append(item.expr)
                    continue
                }
                keyExprs.append(g)
            }
            windowing?.clause = "GROUP BY"
            windowFunctions?.clause = "GROUP BY"
            for k in keyExprs {
                if containsAggregate(k) { throw PlanError.error(.groupingError, "aggregate functions are not allowed in GROUP BY", k.span) }
                if select.isStream, let call = groupWindowCall(k), case .relation(let r) = source {
                    let (kind, column) = try bindGroupWindowCall(call, scope, r, span: k.span)
                    windowKeys.append(GroupWindowKey(keyIndex: groupKeys.count, kind: kind, timeColumn: column, span: k.span))
                    groupKeys.append(.literal(.null, .timestamp))   // filled with the window's start by the window operator
                    continue
                }
                groupKeys.append(try bind(k, scope))
            }
            // HOP_START(…)/HOP_END(…) and friends read hidden keys that hold the window's bounds.
            for (i, w) in windowKeys.enumerated() {
                guard let call = groupWindowCall(keyExprs[w.keyIndex]) else { continue }
                keyExprs.append(windowBoundExpression(call, "start"))
                windowKeys[i].startKeys.append(groupKeys.count)
                groupKeys.append(.literal(.null, .timestamp))
                keyExprs.append(windowBoundExpression(call, "end"))
                windowKeys[i].endKeys.append(groupKeys.count)
                groupKeys.append(.literal(.null, .timestamp))
            }
            grouping = GroupingContext(keyExpressions: keyExprs, keyTypes: groupKeys.map(\.type), sourceScope: scope)
            groupKeySpans = keyExprs.map(\.span)
        }
        // Projections
        var projections: [BoundExpression] = []
        var columns: [OutputColumn] = []
        windowing?.clause = nil
        windowFunctions?.clause = nil
        for item in items {
            var b: BoundExpression
            if let d = item.direct {
                if grouping != nil {
                    throw PlanError.error(.groupingError, "column \"\(d.name)\" must appear in the GROUP BY clause or be used in an aggregate function", item.expr.span)
                }
                b = .column(d.index, d.type)
            } else {
                b = try bind(item.expr, scope, grouping: grouping)
            }
            let untyped = b.type == .unknown
            if untyped { b = try castExpression(b, to: .text, span: item.expr.span, explicit: false) }
            projections.append(b)
            columns.append(OutputColumn(name: item.alias ?? outputName(item.expr), type: b.type,
                                        tableOID: item.origin?.tableOID ?? 0, columnNumber: item.origin?.columnNumber ?? 0))
            columns[columns.count - 1].untypedLiteral = untyped
        }
        windowing?.clause = "HAVING"
        windowFunctions?.clause = "HAVING"
        var having: BoundExpression?
        if let h = select.having {
            if grouping == nil { grouping = GroupingContext(keyExpressions: [], keyTypes: [], sourceScope: scope) }
            having = try coerceBoolean(try bind(h, scope, grouping: grouping), h.span, "HAVING")
        }
        var plan = QueryPlan(source: source, filter: filter, grouping: nil, having: having, projections: projections,
                             outputColumns: columns, distinct: select.distinct, isStream: select.isStream)
        if let streamJoin {
            plan.streamJoin = streamJoin
            plan.startAt = try bindStart(select.startAt)
        } else if select.isStream {
            try checkContinuousSource(source, span: select.span)
            plan.startAt = try bindStart(select.startAt)
            plan.slidingWindow = windowing?.plan
            if let tableFunction {
                plan.tableFunction = tableFunction.plan
                if select.startAt == nil { plan.startAt = tableFunction.startAt }
            }
        }
        windowing?.clause = "LIMIT"
        windowFunctions?.clause = nil
        try bindOrderAndLimit(query, plan: &plan, scope: scope, grouping: grouping, selectItems: items.map { ($0.expr, $0.alias) })
        if let g = grouping { plan.grouping = Grouping(keys: groupKeys, aggregates: g.aggregates) }
        if let windowFunctions, !windowFunctions.calls.isEmpty {
            // The window operator reads the grouped row, or the source row; its results follow that row.
            let width: Int
            if let g = plan.grouping {
                width = g.keys.count + g.aggregates.count
            } else if case .relation(let r) = source {
                width = r.columns.count
            } else {
                width = max(sourceWidth, (scope.entries.map(\.index).max() ?? -1) + 1)
            }
            plan.projections = plan.projections.map { WindowFunctionContext.placeResults($0, inputWidth: width) }
            plan.windowFunctions = windowFunctions.plan(inputWidth: width)
        }
        // The relation windows and ORDER BY look at: the stream, or a stream–stream join's joined row.
        let continuous = streamJoin?.joinedRelation ?? plan.source.continuousStream
        if plan.isStream, let g = plan.grouping, let r = continuous {
            if let staggerRange {
                plan.stagger = StaggerWindowPlan(rangeMicros: staggerRange, rowtimeIndex: r.userColumnCount)
            } else {
                try planGroupWindow(&plan, keys: g.keys, keySpans: groupKeySpans, calls: windowKeys, relation: r, span: select.span)
            }
        }
        if plan.isStream && !plan.orderBy.isEmpty, let r = continuous {
            plan.streamSort = try bindStreamSort(plan, query: query, relation: r)
        }
        return plan
    }

    /// The continuous-query forms supported so far: filters, projections and LIMIT over one stream.
    func checkContinuous(_ select: Select, query: Query) throws {
        if select.groupBy.isEmpty && select.stagger == nil && select.having != nil {
            throw PlanError.error(.groupingError, "HAVING in SELECT STREAM needs a GROUP BY with a window", select.span)
        }
        if select.distinct {
            throw PlanError.error(.featureNotSupported, "SELECT STREAM DISTINCT is not supported", select.span)
        }
        if select.from.isEmpty {
            throw PlanError.error(.wrongObjectType, "SELECT STREAM needs a stream in FROM", select.span)
        }
    }

    /// The width of a tumbling window key over ROWTIME, or nil when `k` is not one.
    func windowSize(of k: BoundExpression, rowtimeIndex: Int) throws -> Int64? {
        guard case let .function(f, args, _) = k, args.count == 2, f == .stepBy || f == .floorTo else { return nil }
        guard case .column(let c, _) = args[0], c == rowtimeIndex else { return nil }
        switch (f, args[1]) {
        case (.stepBy, .literal(.interval(let i), _)):
            guard i.months == 0 else {
                throw PlanError.error(.invalidParameterValue, "a window width in months or years has no fixed length; use days, hours, minutes or seconds", nil)
            }
            let micros = Int64(i.days) * 86_400_000_000 + i.microseconds
            guard micros > 0 else { throw PlanError.error(.invalidParameterValue, "a window width must be positive", nil) }
            return micros
        case (.floorTo, .literal(.string(let unit), _)):
            let sizes: [String: Int64] = ["second": 1_000_000, "minute": 60_000_000, "hour": 3_600_000_000, "day": 86_400_000_000]
            guard let size = sizes[unit] else {
                throw PlanError.error(.featureNotSupported, "FLOOR(ROWTIME TO \(unit.uppercased())) windows are not supported; use SECOND, MINUTE, HOUR or DAY", nil)
            }
            return size
        default:
            return nil
        }
    }

    func bindStart(_ start: StartPosition?) throws -> StreamStartPlan {
        switch start {
        case nil, .latest?: return .latest
        case .trimHorizon?: return .trimHorizon
        case .timestamp(let e)?:
            let b = try castExpression(try bind(e, Scope(), expected: .timestamp), to: .timestamp, span: e.span, explicit: false)
            return .timestamp(b)
        case .atSequence(let s)?:
            return .sequence(s, after: false)
        case .afterSequence(let s)?:
            return .sequence(s, after: true)
        }
    }

    func bindOrderAndLimit(_ query: Query, plan: inout QueryPlan, scope: Scope?, grouping: GroupingContext?,
                           selectItems: [(Expression, String?)]) throws {
        for item in query.orderBy {
            let asc = item.ascending ?? true
            let nullsFirst = item.nullsFirst ?? !asc
            var column: Int?
            if case .literal(.integer(let digits)) = item.expression.kind, let n = Int(digits) {
                guard n >= 1 && n <= plan.outputColumns.count else {
                    throw PlanError.error(.invalidColumnReference, "ORDER BY position \(n) is not in select list", item.expression.span)
                }
                column = n - 1
            } else if case .column(let name) = item.expression.kind, name.parts.count == 1,
                      let i = selectItems.firstIndex(where: { $0.1 == name.last.value }) {
                column = i
            } else if let i = selectItems.firstIndex(where: { $0.0 == item.expression }) {
                column = i
            }
            if column == nil {
                guard let scope else {
                    throw PlanError.error(.invalidColumnReference, "ORDER BY must name an output column here", item.expression.span)
                }
                if plan.distinct {
                    throw PlanError.error(.invalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list", item.expression.span)
                }
                let b = try bind(item.expression, scope, grouping: grouping)
                plan.projections.append(b)
                column = plan.projections.count - 1
            }
            plan.orderBy.append(SortKey(column: column!, ascending: asc, nullsFirst: nullsFirst))
        }
        let empty = Scope()
        let orderingClause = windowFunctions?.clause
        windowFunctions?.clause = "LIMIT"
        defer { windowFunctions?.clause = orderingClause }
        if let l = query.limit {
            plan.limit = try castExpression(try bind(l, empty, expected: .bigint), to: .bigint, span: l.span, explicit: false)
        }
        if let o = query.offset {
            plan.offset = try castExpression(try bind(o, empty, expected: .bigint), to: .bigint, span: o.span, explicit: false)
        }
    }

    /// PostgreSQL's default output column name for an expression.
    func outputName(_ e: Expression) -> String {
        switch e.kind {
        case .column(let n): return n.last.value
        case .function(let f): return f.name.last.value.lowercased()
        case .cast(let inner, let t, _):
            if case .column = inner.kind { return outputName(inner) }
            if case .function = inner.kind { return outputName(inner) }
            _ = t
            return outputName(inner)
        case .specialFunction(let name, _, _): return name.lowercased()
        case .extract: return "extract"
        case .caseWhen: return "case"
        case .floorCeilTo(_, _, let ceil): return ceil ? "ceil" : "floor"
        case .collate(let inner, _): return outputName(inner)
        default: return "?column?"
        }
    }

    func containsAggregate(_ e: Expression) -> Bool {
        switch e.kind {
        case .function(let f):
            if f.over == nil && Binder.aggregateNames.contains(f.name.last.value.lowercased()) { return true }
            return f.arguments.contains(where: containsAggregate)
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .collate(x, _), let .extract(_, x),
             let .floorCeilTo(x, _, _):
            return containsAggregate(x)
        case let .binary(_, a, b): return containsAggregate(a) || containsAggregate(b)
        case let .between(x, a, b, _): return containsAggregate(x) || containsAggregate(a) || containsAggregate(b)
        case let .inList(x, list, _): return containsAggregate(x) || list.contains(where: containsAggregate)
        case let .like(x, p, _, _, _): return containsAggregate(x) || containsAggregate(p)
        case let .caseWhen(op, branches, el):
            return (op.map(containsAggregate) ?? false) || branches.contains { containsAggregate($0.condition) || containsAggregate($0.result) }
                || (el.map(containsAggregate) ?? false)
        case let .specialFunction(_, args, _): return args.contains(where: containsAggregate)
        default: return false
        }
    }
}
