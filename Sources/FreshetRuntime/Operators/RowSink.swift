import FreshetCore

/// A push-based operator input: batches of rows, then `finish` once.
/// Bounded queries are chains of these; the last one collects the result.
public protocol RowSink: AnyObject {
    func push(_ rows: [Row]) throws
    func finish() throws
}

/// Collects every row it receives (the end of a bounded query).
public final class CollectingSink: RowSink {
    public private(set) var rows: [Row] = []
    public private(set) var finished = false
    public init() {}
    public func push(_ rows: [Row]) throws { self.rows.append(contentsOf: rows) }
    public func finish() throws { finished = true }
    /// Hand over the rows collected so far (continuous queries drain after each push).
    public func take() -> [Row] {
        defer { rows = [] }
        return rows
    }
}
