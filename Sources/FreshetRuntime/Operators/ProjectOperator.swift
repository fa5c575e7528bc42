import FreshetCore

/// Computes the output expressions of each row.
final class ProjectOperator: RowSink {
    let expressions: [CompiledExpression]
    let next: RowSink
    init(expressions: [CompiledExpression], next: RowSink) {
        self.expressions = expressions
        self.next = next
    }
    func push(_ rows: [Row]) throws {
        var out: [Row] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            var o: Row = []
            o.reserveCapacity(expressions.count)
            for e in expressions { o.append(try e(r)) }
            out.append(o)
        }
        try next.push(out)
    }
    func finish() throws { try next.finish() }
}
