import FreshetCore
import FreshetPlanner

extension ExpressionCompiler {
    /// A subquery test over the subquery's rows, which the caller ran before
    /// compiling (`EvaluationContext.subqueryResults`). The rows are turned
    /// into what the test needs once, here: a value, a flag, or a hash set.
    func compileSubquery(_ test: SubqueryTest, operand: CompiledExpression?) throws -> CompiledExpression {
        if let plan = test.correlatedPlan { return try compileCorrelated(test, plan: plan, operand: operand) }
        guard let rows = context.subqueryResults[test.id] else {
            throw FreshetError(.internalError, "subquery \(test.id) was not run before its query")
        }
        switch test.kind {
        case .exists:
            let v = Value.bool(!rows.isEmpty)
            return { _ in v }
        case .scalar:
            guard rows.count <= 1 else {
                throw FreshetError(SQLState("21000"), "more than one row returned by a subquery used as an expression")
            }
            let v = rows.first?.first ?? .null
            return { _ in v }
        case .any(let op), .all(let op):
            let isAll: Bool
            if case .all = test.kind { isAll = true } else { isAll = false }
            var values: [Value] = []
            values.reserveCapacity(rows.count)
            var sawNull = false
            for r in rows {
                let v = r[0]
                if v.isNull { sawNull = true; continue }
                values.append(test.columnType == test.comparisonType ? v : try v.cast(to: test.comparisonType, from: test.columnType, explicit: false))
            }
            guard let operand else { throw FreshetError(.internalError, "ANY/ALL without an operand") }
            let empty = rows.isEmpty
            if case .equal = op, !isAll {
                // x IN (…): a hash set; TRUE if found, else NULL if the set has a NULL (or x is NULL), else FALSE.
                let set = Set(values)
                return { row in
                    if empty { return .bool(false) }
                    let x = try operand(row)
                    if x.isNull { return .null }
                    if set.contains(x) { return .bool(true) }
                    return sawNull ? .null : .bool(false)
                }
            }
            let holds: (Int) -> Bool
            switch op {
            case .equal: holds = { $0 == 0 }
            case .notEqual: holds = { $0 != 0 }
            case .less: holds = { $0 < 0 }
            case .lessOrEqual: holds = { $0 <= 0 }
            case .greater: holds = { $0 > 0 }
            default: holds = { $0 >= 0 }
            }
            return { row in
                if empty { return .bool(isAll) }
                let x = try operand(row)
                if x.isNull { return .null }
                // ANY: TRUE if one comparison is TRUE; ALL: FALSE if one is FALSE; else NULL if a NULL was met.
                for v in values where holds(Value.sortCompare(x, v)) != isAll {
                    return .bool(!isAll)
                }
                return sawNull ? .null : .bool(isAll)
            }
        }
    }

    /// A correlated subquery: for each outer row, its plan runs over its source rows
    /// (materialised once by the caller) with the outer row visible to `.outerColumn`,
    /// and the test is applied to what it returns. A nested loop: O(outer × inner rows).
    func compileCorrelated(_ test: SubqueryTest, plan: QueryPlan, operand: CompiledExpression?) throws -> CompiledExpression {
        guard let source = context.correlatedSources[test.id] else {
            throw FreshetError(.internalError, "the source of correlated subquery \(test.id) was not read before its query")
        }
        let ctx = context
        return { row in
            ctx.outerRows.append(row)
            defer { ctx.outerRows.removeLast() }
            let x = try operand?(row)
            let pipeline = try BoundedPipeline(plan: plan, context: ctx)
            if !source.isEmpty { try pipeline.head.push(source) }
            try pipeline.head.finish()
            let rows = pipeline.sink.rows
            switch test.kind {
            case .exists:
                return .bool(!rows.isEmpty)
            case .scalar:
                guard rows.count <= 1 else {
                    throw FreshetError(SQLState("21000"), "more than one row returned by a subquery used as an expression")
                }
                return rows.first?.first ?? .null
            case .any(let op), .all(let op):
                var isAll = false
                if case .all = test.kind { isAll = true }
                if rows.isEmpty { return .bool(isAll) }
                guard let x, !x.isNull else { return .null }
                var sawNull = false
                for r in rows {
                    var v = r[0]
                    if v.isNull { sawNull = true; continue }
                    if test.columnType != test.comparisonType { v = try v.cast(to: test.comparisonType, from: test.columnType, explicit: false) }
                    if ExpressionCompiler.holds(op, Value.sortCompare(x, v)) != isAll { return .bool(!isAll) }
                }
                return sawNull ? .null : .bool(isAll)
            }
        }
    }

    static func holds(_ op: BinaryOp, _ c: Int) -> Bool {
        switch op {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        default: return c >= 0
        }
    }
}
