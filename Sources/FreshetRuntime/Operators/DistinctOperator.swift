import FreshetCore

/// SELECT DISTINCT: passes each distinct row once.
final class DistinctOperator: RowSink {
    var seen: Set<Row> = []
    let next: RowSink
    init(next: RowSink) { self.next = next }
    func push(_ rows: [Row]) throws {
        var out: [Row] = []
        for r in rows where seen.insert(r).inserted { out.append(r) }
        if !out.isEmpty { try next.push(out) }
    }
    func finish() throws { try next.finish() }
}
