import FreshetCore
import FreshetSQL

extension Binder {
    /// Bind a subquery used in an expression: `(SELECT …)`, `EXISTS (…)`, `x [NOT] IN (…)`,
    /// `x op ANY|SOME|ALL (…)`. A subquery may refer to the columns of the query
    /// immediately enclosing it (correlated); it then runs once per row of that query.
    func bindSubqueryExpression(_ e: Expression, _ scope: Scope, grouping: GroupingContext?) throws -> BoundExpression {
        switch e.kind {
        case .scalarSubquery(let q):
            let (id, plan, correlated) = try registerSubquery(q, outer: scope, grouping: grouping)
            guard plan.outputColumns.count == 1 else {
                throw PlanError.error(.syntaxError, "subquery must return only one column", q.span)
            }
            let t = plan.outputColumns[0].type
            return .subquery(SubqueryTest(id: id, kind: .scalar, columnType: t, comparisonType: t, correlatedPlan: correlated ? plan : nil),
                             operand: nil, t)
        case let .exists(q, negated):
            let (id, plan, correlated) = try registerSubquery(q, outer: scope, grouping: grouping)
            let test = BoundExpression.subquery(SubqueryTest(id: id, kind: .exists, columnType: .boolean, comparisonType: .boolean,
                                                             correlatedPlan: correlated ? plan : nil),
                                                operand: nil, .boolean)
            return negated ? .not(test) : test
        case let .inSubquery(x, q, negated):
            let b = try compareWithSubquery(x, .equal, any: true, q, scope, grouping: grouping, span: e.span)
            return negated ? .not(b) : b
        case let .quantifiedSubquery(x, op, quantifier, q):
            return try compareWithSubquery(x, op, any: quantifier == .any, q, scope, grouping: grouping, span: e.span)
        default:
            throw PlanError.error(.internalError, "not a subquery expression", e.span)
        }
    }

    private func compareWithSubquery(_ x: Expression, _ op: BinaryOperator, any: Bool, _ q: Query, _ scope: Scope,
                                     grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression {
        let bop: BinaryOp
        switch op {
        case .equal: bop = .equal
        case .notEqual: bop = .notEqual
        case .less: bop = .less
        case .lessOrEqual: bop = .lessOrEqual
        case .greater: bop = .greater
        case .greaterOrEqual: bop = .greaterOrEqual
        default:
            throw PlanError.error(.featureNotSupported, "operator \(op.rawValue) with ANY/ALL is not supported; use =, <>, <, <=, > or >=", span)
        }
        let (id, plan, correlated) = try registerSubquery(q, outer: scope, grouping: grouping)
        guard plan.outputColumns.count == 1 else {
            throw PlanError.error(.syntaxError, plan.outputColumns.count > 1 ? "subquery has too many columns" : "subquery has too few columns", q.span)
        }
        let columnType = plan.outputColumns[0].type
        var bx = try bind(x, scope, grouping: grouping, expected: columnType == .unknown ? nil : columnType)
        guard var common = TypeCoercion.commonType(bx.type, columnType) else {
            throw PlanError.error(.undefinedFunction, "operator does not exist: \(bx.type.sqlName) \(op.rawValue) \(columnType.sqlName)", span,
                                  hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
        }
        if common == .unknown { common = .text }
        bx = try castExpression(bx, to: common, span: x.span, explicit: false)
        let test = SubqueryTest(id: id, kind: any ? .any(bop) : .all(bop), columnType: columnType, comparisonType: common,
                                correlatedPlan: correlated ? plan : nil)
        return .subquery(test, operand: bx, .boolean)
    }

    /// Bind `q` as a subquery of the current query level and record it there.
    private func registerSubquery(_ q: Query, outer: Scope, grouping: GroupingContext?) throws -> (Int, QueryPlan, correlated: Bool) {
        outerLevels.append(OuterLevel(scope: grouping?.sourceScope ?? outer, grouping: grouping))
        let plan: QueryPlan
        do { plan = try bindNestedQuery(q) } catch {
            outerLevels.removeLast()
            throw error
        }
        let correlated = outerLevels.removeLast().referenced
        let id = nextSubqueryID
        nextSubqueryID += 1
        if subqueryFrames.isEmpty { subqueryFrames.append([]) }
        subqueryFrames[subqueryFrames.count - 1].append(SubqueryPlan(id: id, query: plan, correlated: correlated))
        return (id, plan, correlated)
    }

    /// Run `body` (which binds one query level) collecting the subqueries its expressions use.
    func collectingSubqueries<T>(_ body: () throws -> T) rethrows -> (T, [SubqueryPlan]) {
        subqueryFrames.append([])
        do {
            let value = try body()
            return (value, subqueryFrames.removeLast())
        } catch {
            subqueryFrames.removeLast()
            throw error
        }
    }

    /// A reference to a column of an enclosing query (making the subqueries from there
    /// to here correlated), or nil when no enclosing query has the name. The nearest
    /// enclosing query that has the name wins.
    func outerReference(qualifier: String?, name: String, display: String, span: SourceSpan) throws -> BoundExpression? {
        for k in outerLevels.indices.reversed() {
            let level = outerLevels[k]
            switch level.scope.lookup(qualifier: qualifier, name: name) {
            case .found(let entry):
                guard k >= fromBoundary else {
                    throw PlanError.error(.featureNotSupported,
                        "a reference to an enclosing query's column (\"\(display)\") in FROM or JOIN … ON is not supported yet", span)
                }
                var index = entry.index, type = entry.type
                if let g = level.grouping {
                    // Over grouped rows only the GROUP BY columns exist (the grouped row is keys ++ aggregates).
                    guard let key = g.keyExpressions.firstIndex(where: { k in
                        if case .column(let kn) = k.kind { return kn.last.value == name || kn.last.value.lowercased() == entry.name }
                        return false
                    }) else {
                        throw PlanError.error(.groupingError,
                            "subquery uses ungrouped column \"\(display)\" from outer query", span,
                            hint: "Add it to the GROUP BY of the outer query, or use it inside an aggregate there.")
                    }
                    index = key
                    type = g.keyTypes[key]
                }
                // Every subquery between that query and here now runs per row of the one around it.
                for j in k..<outerLevels.count { outerLevels[j].referenced = true }
                return .outerColumn(level: outerLevels.count - k, index, type)
            case .ambiguous:
                throw PlanError.error(.ambiguousColumn, "column reference \"\(display)\" is ambiguous", span)
            case .notFound:
                continue
            }
        }
        return nil
    }
}
