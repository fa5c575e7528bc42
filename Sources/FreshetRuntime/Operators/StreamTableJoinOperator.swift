import FreshetCore
import FreshetPlanner

/// The current contents of a reference table: a version that changes with
/// every change, and the rows (a copy-on-write array: taking it is cheap).
public typealias TableContents = (version: UInt64, rows: [Row])

/// A continuous stream–table join (`SELECT STREAM … FROM trades t [LEFT] JOIN
/// companies c ON …`): each arriving batch of stream rows is joined with the
/// table as it is when the batch arrives (SQL.md "Joins"), so a change to the
/// table applies to the stream rows that come after it.
///
/// The table side is hashed on the equi-join keys once per table version and
/// reused for every batch until the table changes; without equi-keys each
/// stream row is checked against every table row. A LEFT join passes on
/// stream rows without a match, padded with NULLs. The output row is the
/// stream row, then the table row, then merged USING columns, as in
/// `JoinExecutor`; the stream's columns keep their positions, so ROWTIME
/// windows work on joined rows as on the stream's own.
final class StreamTableJoinOperator: RowSink {
    let plan: JoinPlan
    let streamKeys: [CompiledExpression]
    let tableKeys: [CompiledExpression]
    let residual: CompiledExpression?
    let merged: [CompiledExpression]
    let table: () throws -> TableContents
    let next: RowSink
    private var version: UInt64?
    private var rows: [Row] = []
    private var index: [[Value]: [Int]] = [:]
    private let nullTable: Row

    init(plan: JoinPlan, compiler: ExpressionCompiler, table: @escaping () throws -> TableContents, next: RowSink) throws {
        precondition(plan.kind == .inner || plan.kind == .left || plan.kind == .cross, "the binder allows only INNER, LEFT and CROSS here")
        self.plan = plan
        streamKeys = try plan.leftKeys.map(compiler.compile)
        tableKeys = try plan.rightKeys.map(compiler.compile)
        residual = try plan.residual.map(compiler.compile)
        merged = try plan.merged.map(compiler.compile)
        self.table = table
        self.next = next
        nullTable = Row(repeating: .null, count: plan.rightWidth)
    }

    /// Take the table's current contents; rebuild the hash index when it changed.
    private func refresh() throws {
        let contents = try table()
        guard contents.version != version else { return }
        version = contents.version
        rows = contents.rows
        index = [:]
        guard !tableKeys.isEmpty else { return }
        index.reserveCapacity(rows.count)
        var key: [Value] = []
        rows: for (i, r) in rows.enumerated() {
            key.removeAll(keepingCapacity: true)
            for k in tableKeys {
                let v = try k(r)
                if v.isNull { continue rows }
                key.append(v)
            }
            index[key, default: []].append(i)
        }
    }

    func push(_ batch: [Row]) throws {
        try refresh()
        var out: [Row] = []
        out.reserveCapacity(batch.count)
        var key: [Value] = []
        for s in batch {
            var matched = false
            if tableKeys.isEmpty {
                for t in rows where try emit(s, t, into: &out) { matched = true }
            } else {
                key.removeAll(keepingCapacity: true)
                var hasNull = false
                for k in streamKeys {
                    let v = try k(s)
                    if v.isNull { hasNull = true; break }
                    key.append(v)
                }
                if !hasNull, let candidates = index[key] {
                    for i in candidates where try emit(s, rows[i], into: &out) { matched = true }
                }
            }
            if !matched && plan.kind == .left { _ = try emit(s, nullTable, into: &out, unconditionally: true) }
        }
        if !out.isEmpty { try next.push(out) }
    }

    /// Append the joined row when the residual condition holds; returns whether it did.
    private func emit(_ s: Row, _ t: Row, into out: inout [Row], unconditionally: Bool = false) throws -> Bool {
        var row = s
        row.reserveCapacity(plan.width)
        row.append(contentsOf: t)
        if !unconditionally, let residual {
            guard case .bool(true) = try residual(row) else { return false }
        }
        if !merged.isEmpty {
            let base = row
            for m in merged { row.append(try m(base)) }
        }
        out.append(row)
        return true
    }

    func finish() throws { try next.finish() }
}
