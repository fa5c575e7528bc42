import FreshetCore
import FreshetPlanner

/// ORDER BY over a bounded input: buffers, sorts stably at finish.
final class SortOperator: RowSink {
    let keys: [SortKey]
    let next: RowSink
    var buffer: [Row] = []
    init(keys: [SortKey], next: RowSink) {
        self.keys = keys
        self.next = next
    }
    func push(_ rows: [Row]) throws { buffer.append(contentsOf: rows) }
    func finish() throws {
        let keys = self.keys
        let indexed = buffer.enumerated().sorted { a, b in
            for k in keys {
                let x = a.element[k.column], y = b.element[k.column]
                if x.isNull || y.isNull {
                    if x.isNull && y.isNull { continue }
                    return x.isNull == k.nullsFirst
                }
                let c = Value.sortCompare(x, y)
                if c != 0 { return k.ascending ? c < 0 : c > 0 }
            }
            return a.offset < b.offset
        }
        buffer = []
        if !indexed.isEmpty { try next.push(indexed.map(\.element)) }
        try next.finish()
    }
}
