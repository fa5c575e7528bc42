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
        let sorted = buffer.sortedStably(by: keys)
        buffer = []
        if !sorted.isEmpty { try next.push(sorted) }
        try next.finish()
    }
}
