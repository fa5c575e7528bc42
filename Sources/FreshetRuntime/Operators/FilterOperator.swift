import FreshetCore

/// Passes on the rows for which the predicate is TRUE (not FALSE, not NULL).
final class FilterOperator: RowSink {
    let predicate: CompiledExpression
    let next: RowSink
    init(predicate: @escaping CompiledExpression, next: RowSink) {
        self.predicate = predicate
        self.next = next
    }
    func push(_ rows: [Row]) throws {
        var out: [Row] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            if case .bool(true) = try predicate(r) { out.append(r) }
        }
        if !out.isEmpty { try next.push(out) }
    }
    func finish() throws { try next.finish() }
}
