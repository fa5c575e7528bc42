import FreshetCore
import FreshetPlanner
import FreshetRuntime

/// Writes to reference tables. Each statement is its own transaction: it is
/// applied and fsynced before it returns (autocommit), and a statement that
/// fails changes nothing. Inside BEGIN … COMMIT table writes are refused
/// (25001) rather than half-honoured: rolling them back is not supported.
extension Session {
    func refuseTableWriteInTransaction(_ target: RelationDescriptor) throws {
        guard transactionStatus == .idle else {
            throw FreshetError(.activeSQLTransaction, "writes to table \"\(target.name)\" cannot run inside a transaction block",
                               hint: "Each INSERT, UPDATE, DELETE or COPY on a table commits on its own; run it outside BEGIN … COMMIT.")
        }
    }

    /// INSERT into a table: rows already cast to the columns' types.
    func insertIntoTable(_ plan: InsertPlan, rows: [Row], compiler: ExpressionCompiler) throws -> ExecutionResult {
        try refuseTableWriteInTransaction(plan.target)
        let table = try engine.table(for: plan.target.oid)
        try table.modify { _ in ReferenceTable.Change(deleted: [], inserted: rows) }
        let tag = "INSERT 0 \(rows.count)"
        if plan.returning.isEmpty { return .command(tag) }
        let returning = try plan.returning.map(compiler.compile)
        let out: [Row] = try rows.map { r in try returning.map { try $0(r) } }
        return .rows(MaterializedRowStream(columns: plan.returningColumns.map(ResultColumn.init), rows: out, tag: tag))
    }

    /// UPDATE / DELETE: find the rows WHERE is TRUE for in the current snapshot, then
    /// replace (UPDATE: remove and add the new versions) or remove them, in one durable step.
    func runModify(_ plan: ModifyPlan, parameters: [Value]) async throws -> ExecutionResult {
        try refuseTableWriteInTransaction(plan.target)
        let context = evaluationContext(parameters)
        try await runSubqueries(plan.subqueries, context: context, parameters: parameters)
        let compiler = ExpressionCompiler(context: context)
        let filter = try plan.filter.map(compiler.compile)
        let returning = try plan.returning.map(compiler.compile)
        let table = try engine.table(for: plan.target.oid)
        var assignments: [(Int, CompiledExpression)] = []
        if case .update(let a) = plan.action { assignments = try a.map { ($0.column, try compiler.compile($0.value)) } }
        let isUpdate: Bool
        if case .update = plan.action { isUpdate = true } else { isUpdate = false }
        var returned: [Row] = []
        let change = try table.modify { snapshot in
            var change = ReferenceTable.Change()
            for (i, r) in snapshot.rows.enumerated() {
                if let filter {
                    guard case .bool(true) = try filter(r) else { continue }
                }
                change.deleted.append(i)
                if isUpdate {
                    var n = r
                    for (c, e) in assignments { n[c] = try e(r) }
                    change.inserted.append(n)
                    if !returning.isEmpty { returned.append(try returning.map { try $0(n) }) }
                } else if !returning.isEmpty {
                    returned.append(try returning.map { try $0(r) })
                }
            }
            return change
        }
        let tag = "\(isUpdate ? "UPDATE" : "DELETE") \(change.deleted.count)"
        if plan.returning.isEmpty { return .command(tag) }
        return .rows(MaterializedRowStream(columns: plan.returningColumns.map(ResultColumn.init), rows: returned, tag: tag))
    }
}
