import FreshetCore
import FreshetSQL

extension Binder {
    /// `UPDATE table [AS alias] SET col = expr, … [WHERE …] [RETURNING …]` (reference tables only).
    public func bindUpdate(_ u: Update) throws -> ModifyPlan {
        let (target, scope) = try modifiableTable(u.target, alias: u.alias, verb: "UPDATE")
        var ((assignments, filter, returning), subqueries) = try collectingSubqueries {
            () throws -> ([(column: Int, value: BoundExpression)], BoundExpression?, ([BoundExpression], [OutputColumn])) in
            var assignments: [(column: Int, value: BoundExpression)] = []
            for a in u.assignments {
                guard let i = target.columns.firstIndex(where: { $0.name == a.column.value }) else {
                    throw PlanError.error(.undefinedColumn, "column \"\(a.column.value)\" of relation \"\(target.name)\" does not exist", a.column.span)
                }
                if assignments.contains(where: { $0.column == i }) {
                    throw PlanError.error(SQLState("42601"), "multiple assignments to same column \"\(a.column.value)\"", a.column.span)
                }
                let col = target.columns[i]
                let value: BoundExpression
                if case .defaultValue = a.value.kind {
                    value = .literal(.null, col.type)
                } else {
                    if containsAggregate(a.value) {
                        throw PlanError.error(.groupingError, "aggregate functions are not allowed in UPDATE", a.value.span)
                    }
                    value = try assignmentCast(try bind(a.value, scope, expected: col.type), to: col, span: a.value.span, row: 1)
                }
                assignments.append((i, value))
            }
            let filter = try u.whereClause.map { try coerceBoolean(try bind($0, scope, expected: .boolean), $0.span, "WHERE") }
            return (assignments, filter, try bindReturning(u.returning, target: target, scope: scope))
        }
        _ = subqueries
        return ModifyPlan(target: target, action: .update(assignments), filter: filter, subqueries: subqueries,
                          returning: returning.0, returningColumns: returning.1)
    }

    /// `DELETE FROM table [AS alias] [WHERE …] [RETURNING …]` (reference tables only).
    public func bindDelete(_ d: Delete) throws -> ModifyPlan {
        let (target, scope) = try modifiableTable(d.target, alias: d.alias, verb: "DELETE FROM")
        let ((filter, returning), subqueries) = try collectingSubqueries { () throws -> (BoundExpression?, ([BoundExpression], [OutputColumn])) in
            let filter = try d.whereClause.map { try coerceBoolean(try bind($0, scope, expected: .boolean), $0.span, "WHERE") }
            return (filter, try bindReturning(d.returning, target: target, scope: scope))
        }
        return ModifyPlan(target: target, action: .delete, filter: filter, subqueries: subqueries,
                          returning: returning.0, returningColumns: returning.1)
    }

    private func modifiableTable(_ name: ObjectName, alias: Identifier?, verb: String) throws -> (RelationDescriptor, Scope) {
        let target = try resolveRelation(name)
        switch target.kind {
        case .table: break
        case .stream:
            throw PlanError.error(.wrongObjectType, "cannot \(verb) stream \"\(target.name)\": streams are append-only", name.span,
                                  hint: "Only reference tables (CREATE TABLE) can be updated or deleted from; a stream's rows expire by retention.")
        case .systemTable:
            throw PlanError.error(.wrongObjectType, "cannot \(verb) system table \"\(target.name)\"", name.span)
        }
        return (target, try scope(for: target, alias: alias.map { TableAlias(name: $0) }))
    }

    private func bindReturning(_ items: [SelectItem], target: RelationDescriptor, scope: Scope) throws -> ([BoundExpression], [OutputColumn]) {
        var out: [BoundExpression] = []
        var cols: [OutputColumn] = []
        for item in items {
            switch item {
            case .wildcard:
                for (i, c) in target.columns.enumerated() {
                    out.append(.column(i, c.type))
                    cols.append(OutputColumn(name: c.name, type: c.type, tableOID: target.oid, columnNumber: Int16(i + 1)))
                }
            case let .expression(e, alias):
                var b = try bind(e, scope)
                if b.type == .unknown { b = try castExpression(b, to: .text, span: e.span, explicit: false) }
                out.append(b)
                cols.append(OutputColumn(name: alias?.value ?? outputName(e), type: b.type))
            }
        }
        return (out, cols)
    }
}
