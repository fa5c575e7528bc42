import FreshetCore
import FreshetSQL

extension Binder {
    /// Bind INSERT INTO target [(cols)] VALUES … | SELECT … [RETURNING …].
    public func bindInsert(_ insert: Insert) throws -> InsertPlan {
        let target = try resolveRelation(insert.target)
        guard target.kind != .systemTable else {
            throw PlanError.error(.wrongObjectType, "cannot insert into system table \"\(target.name)\"", insert.target.span)
        }
        let userColumns = Array(target.columns.prefix(target.userColumnCount))
        // Which target column each written position feeds.
        var targetIndices: [Int] = []
        if insert.columns.isEmpty {
            targetIndices = Array(0..<userColumns.count)
        } else {
            for c in insert.columns {
                guard let i = userColumns.firstIndex(where: { $0.name == c.value }) else {
                    if target.columns.contains(where: { $0.name.lowercased() == c.value.lowercased() }) {
                        throw PlanError.error(.invalidColumnReference, "cannot insert into system column \"\(c.value)\"", c.span,
                                              hint: "System columns (ROWTIME, _shard_id, _sequence_number, _partition_key) are assigned by the server.")
                    }
                    throw PlanError.error(.undefinedColumn, "column \"\(c.value)\" of relation \"\(target.name)\" does not exist", c.span)
                }
                if targetIndices.contains(i) {
                    throw PlanError.error(.duplicateColumn, "column \"\(c.value)\" specified more than once", c.span)
                }
                targetIndices.append(i)
            }
        }
        let source: InsertPlan.Source
        var columnMap = [Int?](repeating: nil, count: userColumns.count)
        if case .values(let rows) = insert.source.body, insert.source.orderBy.isEmpty, insert.source.limit == nil {
            var boundRows: [[BoundExpression]] = []
            boundRows.reserveCapacity(rows.count)
            let empty = Scope()
            if let width = rows.first?.count, let bad = rows.first(where: { $0.count != width }) {
                throw PlanError.error(.syntaxError, "VALUES lists must all be the same length", bad.first?.span ?? insert.source.span)
            }
            for (rowNumber, row) in rows.enumerated() {
                if row.count > targetIndices.count {
                    throw PlanError.error(.syntaxError, "INSERT has more expressions than target columns", row[targetIndices.count].span,
                                          detail: "Row \(rowNumber + 1) has \(row.count) values; \"\(target.name)\" takes \(targetIndices.count).")
                }
                if row.count < targetIndices.count && !insert.columns.isEmpty {
                    throw PlanError.error(.syntaxError, "INSERT has more target columns than expressions", insert.columns[row.count].span,
                                          detail: "Row \(rowNumber + 1) has \(row.count) values for \(targetIndices.count) columns.")
                }
                var out = [BoundExpression](repeating: .literal(.null, .unknown), count: userColumns.count)
                for i in userColumns.indices { out[i] = .literal(.null, userColumns[i].type) }
                for (pos, expr) in row.enumerated() {
                    let col = userColumns[targetIndices[pos]]
                    let b = try bind(expr, empty, expected: col.type)
                    out[targetIndices[pos]] = try assignmentCast(b, to: col, span: expr.span, row: rowNumber + 1)
                }
                boundRows.append(out)
            }
            source = .values(boundRows)
        } else {
            let plan = try bindQuery(insert.source)
            guard plan.outputColumns.count <= targetIndices.count else {
                throw PlanError.error(.syntaxError, "INSERT has more expressions than target columns", insert.source.span)
            }
            for (pos, oc) in plan.outputColumns.enumerated() {
                let col = userColumns[targetIndices[pos]]
                guard TypeCoercion.assignable(oc.type, to: col.type) else {
                    throw PlanError.error(.datatypeMismatch, "column \"\(col.name)\" is of type \(col.type.sqlName) but expression is of type \(oc.type.sqlName)",
                                          insert.source.span, hint: "You will need to rewrite or cast the expression.")
                }
                columnMap[targetIndices[pos]] = pos
            }
            source = .query(plan)
        }
        // RETURNING sees the stored row: user columns then system columns.
        var returning: [BoundExpression] = []
        var returningColumns: [OutputColumn] = []
        if !insert.returning.isEmpty {
            let scope = try self.scope(for: target, alias: nil)
            for item in insert.returning {
                switch item {
                case .wildcard:
                    for (i, c) in userColumns.enumerated() {
                        returning.append(.column(i, c.type))
                        returningColumns.append(OutputColumn(name: c.name, type: c.type, tableOID: target.oid, columnNumber: Int16(i + 1)))
                    }
                case let .expression(e, alias):
                    let b = try bind(e, scope)
                    returning.append(b)
                    returningColumns.append(OutputColumn(name: alias?.value ?? outputName(e), type: b.type == .unknown ? .text : b.type))
                }
            }
        }
        return InsertPlan(target: target, source: source, columnMap: columnMap, returning: returning, returningColumns: returningColumns)
    }

    /// Cast a value for storing into `column`, with PostgreSQL's assignment rules and messages.
    func assignmentCast(_ b: BoundExpression, to column: Column, span: SourceSpan, row: Int) throws -> BoundExpression {
        guard TypeCoercion.assignable(b.type, to: column.type) else {
            throw PlanError.error(.datatypeMismatch,
                                  "column \"\(column.name)\" is of type \(column.type.sqlName) but expression is of type \(b.type.sqlName)", span,
                                  hint: "You will need to rewrite or cast the expression.")
        }
        do {
            return try castExpression(b, to: column.type, span: span, explicit: true, assignment: true)
        } catch var e as FreshetError {
            if e.detail == nil { e.detail = "Row \(row), column \"\(column.name)\"." }
            throw e
        }
    }
}
