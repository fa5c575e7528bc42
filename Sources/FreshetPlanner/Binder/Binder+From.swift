import FreshetCore
import FreshetSQL

/// A bound FROM item: where its rows come from, the names its columns are
/// reached by, and the width of its rows.
struct BoundFrom {
    var source: PlanSource
    var scope: Scope
    var width: Int
}

extension Binder {
    /// Bind a FROM list; a comma list is a chain of cross joins (left to right).
    func bindFrom(_ refs: [TableReference], span: SourceSpan) throws -> BoundFrom? {
        guard let first = refs.first else { return nil }
        let boundary = fromBoundary
        fromBoundary = outerLevels.count
        defer { fromBoundary = boundary }
        var acc = try bindTableReference(first, span: span)
        for r in refs.dropFirst() {
            let right = try bindTableReference(r, span: span)
            acc = try joinRelations(.cross, acc, right, constraint: .none, span: span)
        }
        return acc
    }

    func bindTableReference(_ ref: TableReference, span: SourceSpan) throws -> BoundFrom {
        switch ref {
        case let .named(name, alias, window):
            if window != nil {
                throw PlanError.error(.featureNotSupported, "windowed stream joins (OVER on a FROM item) are not supported yet", name.span)
            }
            if name.parts.count == 1, let cte = lookupCTE(name.last.value) {
                let saved = cteFrames
                cteFrames = cte.environment
                defer { cteFrames = saved }
                let plan = try bindNestedQuery(cte.query)
                var columnNames = cte.columns
                if let a = alias, !a.columns.isEmpty { columnNames = a.columns }
                if columnNames.count > plan.outputColumns.count {
                    throw PlanError.error(.invalidColumnReference,
                        "WITH query \"\(cte.name)\" has \(plan.outputColumns.count) columns available but \(columnNames.count) columns specified",
                        columnNames[plan.outputColumns.count].span)
                }
                let scope = outputScope(plan.outputColumns, qualifier: alias?.name.value ?? cte.name, columnNames: columnNames)
                return BoundFrom(source: .subquery(plan), scope: scope, width: plan.outputColumns.count)
            }
            var relation = try resolveRelation(name)
            relation.alias = alias?.name.value
            return BoundFrom(source: .relation(relation), scope: try scope(for: relation, alias: alias), width: relation.columns.count)
        case let .subquery(q, alias, lateral):
            if lateral {
                throw PlanError.error(.featureNotSupported, "LATERAL subqueries are not supported yet", q.span)
            }
            let plan = try bindNestedQuery(q)
            if let a = alias, a.columns.count > plan.outputColumns.count {
                throw PlanError.error(.invalidColumnReference,
                    "table \"\(a.name.value)\" has \(plan.outputColumns.count) columns available but \(a.columns.count) columns specified",
                    a.columns[plan.outputColumns.count].span)
            }
            let scope = outputScope(plan.outputColumns, qualifier: alias?.name.value, columnNames: alias?.columns ?? [])
            return BoundFrom(source: .subquery(plan), scope: scope, width: plan.outputColumns.count)
        case let .function(call, _):
            throw PlanError.error(.featureNotSupported, "table functions are not supported yet", call.name.span)
        case let .join(j):
            let l = try bindTableReference(j.left, span: span)
            let r = try bindTableReference(j.right, span: span)
            return try joinRelations(JoinPlan.Kind(j.kind), l, r, constraint: j.constraint, span: span)
        }
    }

    /// A query used as a relation (FROM subquery, WITH query): bound on its own, without the
    /// enclosing query's window functions.
    func bindNestedQuery(_ q: Query) throws -> QueryPlan {
        let saved = windowing
        windowing = nil
        defer { windowing = saved }
        let plan = try bindQuery(q)
        if plan.isStream {
            throw PlanError.error(.featureNotSupported, "SELECT STREAM inside another query is not supported yet", q.span)
        }
        return plan
    }

    /// The scope of a subquery's output columns, optionally renamed.
    func outputScope(_ columns: [OutputColumn], qualifier: String?, columnNames: [Identifier]) -> Scope {
        var scope = Scope()
        for (i, c) in columns.enumerated() {
            scope.entries.append(Scope.Entry(qualifier: qualifier, name: i < columnNames.count ? columnNames[i].value : c.name,
                                             index: i, type: c.type, hidden: false, tableOID: c.tableOID, columnNumber: c.columnNumber))
        }
        return scope
    }

    func lookupCTE(_ name: String) -> CTEBinding? {
        for frame in cteFrames.reversed() {
            if let c = frame.last(where: { $0.name == name }) { return c }
        }
        return nil
    }

    /// Join two bound FROM items: the joined row is left ++ right ++ merged USING columns.
    func joinRelations(_ kind: JoinPlan.Kind, _ l: BoundFrom, _ r: BoundFrom, constraint: Join.Constraint, span: SourceSpan) throws -> BoundFrom {
        let duplicated = l.scope.qualifiers.intersection(r.scope.qualifiers)
        if let d = duplicated.sorted().first {
            throw PlanError.error(SQLState("42712"), "table name \"\(d)\" specified more than once", span,
                                  hint: "Give one of them an alias: FROM \(d) AS a JOIN \(d) AS b ON ….")
        }
        let lw = l.width, rw = r.width
        let right = r.scope.shifted(by: lw)
        var combined = Scope()
        combined.entries = l.scope.entries + right.entries
        var conditions: [BoundExpression] = []
        var merged: [BoundExpression] = []
        var mergedEntries: [Scope.Entry] = []

        func mergeColumn(_ name: String, at nameSpan: SourceSpan) throws {
            func find(_ s: Scope, _ side: String) throws -> Scope.Entry {
                switch s.lookup(qualifier: nil, name: name) {
                case .found(let e): return e
                case .ambiguous:
                    throw PlanError.error(.ambiguousColumn, "common column name \"\(name)\" appears more than once in \(side) table", nameSpan)
                case .notFound:
                    throw PlanError.error(.undefinedColumn, "column \"\(name)\" specified in USING clause does not exist in \(side) table", nameSpan)
                }
            }
            let le = try find(l.scope, "left"), re = try find(right, "right")
            guard var common = TypeCoercion.commonType(le.type, re.type) else {
                throw PlanError.error(.datatypeMismatch, "JOIN/USING types \(le.type.sqlName) and \(re.type.sqlName) cannot be matched", nameSpan)
            }
            if common == .unknown { common = .text }
            let lc = try castExpression(.column(le.index, le.type), to: common, span: nameSpan, explicit: false)
            let rc = try castExpression(.column(re.index, re.type), to: common, span: nameSpan, explicit: false)
            conditions.append(.binary(.equal, lc, rc, .boolean))
            switch kind {
            case .right: merged.append(rc)
            case .full: merged.append(.function(.coalesce, [lc, rc], common))
            default: merged.append(lc)
            }
            for (i, e) in combined.entries.enumerated() where e.index == le.index || e.index == re.index {
                combined.entries[i].qualifiedOnly = true
            }
            mergedEntries.append(Scope.Entry(qualifier: nil, name: name, index: lw + rw + mergedEntries.count, type: common,
                                             hidden: false, tableOID: 0, columnNumber: 0))
        }

        switch constraint {
        case .on(let e):
            if containsAggregate(e) {
                throw PlanError.error(.groupingError, "aggregate functions are not allowed in JOIN conditions", e.span)
            }
            let b = try coerceBoolean(try bind(e, combined, expected: .boolean), e.span, "JOIN/ON")
            conditions = conjuncts(b)
        case .using(let names):
            var seen = Set<String>()
            for n in names {
                guard seen.insert(n.value).inserted else {
                    throw PlanError.error(.duplicateColumn, "column \"\(n.value)\" appears more than once in USING clause", n.span)
                }
                try mergeColumn(n.value, at: n.span)
            }
        case .natural:
            let leftNames = l.scope.entries.filter { !$0.hidden && !$0.qualifiedOnly }.map(\.name)
            let rightNames = Set(r.scope.entries.filter { !$0.hidden && !$0.qualifiedOnly }.map(\.name))
            var seen = Set<String>()
            for n in leftNames where rightNames.contains(n) && seen.insert(n).inserted {
                try mergeColumn(n, at: span)
            }
        case .none:
            break
        }
        combined.entries = mergedEntries + combined.entries

        // Split the condition into equi-keys (left expr = right expr) and the rest.
        var leftKeys: [BoundExpression] = [], rightKeys: [BoundExpression] = [], rest: [BoundExpression] = []
        func side(_ e: BoundExpression) -> Int? {
            let cols = e.referencedColumns
            if cols.isEmpty { return nil }
            if cols.allSatisfy({ $0 < lw }) { return 0 }
            if cols.allSatisfy({ $0 >= lw && $0 < lw + rw }) { return 1 }
            return nil
        }
        for c in conditions {
            if case let .binary(.equal, a, b, _) = c {
                switch (side(a), side(b)) {
                case (0?, 1?):
                    leftKeys.append(a); rightKeys.append(b.mapColumns { .column($0 - lw, $1) })
                    continue
                case (1?, 0?):
                    leftKeys.append(b); rightKeys.append(a.mapColumns { .column($0 - lw, $1) })
                    continue
                default: break
                }
            }
            rest.append(c)
        }
        let residual: BoundExpression? = rest.isEmpty ? nil : (rest.count == 1 ? rest[0] : .and(rest))
        let plan = JoinPlan(kind: kind, left: l.source, right: r.source, leftWidth: lw, rightWidth: rw,
                            leftKeys: leftKeys, rightKeys: rightKeys, residual: residual, merged: merged)
        return BoundFrom(source: .join(plan), scope: combined, width: plan.width)
    }

    /// The AND-ed parts of a condition.
    func conjuncts(_ e: BoundExpression) -> [BoundExpression] {
        if case .and(let xs) = e { return xs.flatMap(conjuncts) }
        return [e]
    }
}
