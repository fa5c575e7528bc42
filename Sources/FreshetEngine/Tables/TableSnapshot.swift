import FreshetCore

/// A reference table's rows at one moment. Copy-on-write arrays: taking a
/// snapshot costs a reference count, and later changes to the table never
/// change a snapshot already taken. This is what a join reads, so a
/// continuous stream–table join sees "the table as it is when each stream
/// row arrives" by taking a snapshot per batch.
public struct TableSnapshot: Sendable {
    /// The rows, in insertion order (an UPDATE moves the changed rows to the end).
    public let rows: [Row]
    /// A stable id per row (same order as `rows`), used by the change log.
    let ids: [Int64]
    /// Bumped by every change: equal versions mean equal contents.
    public let version: UInt64

    static let empty = TableSnapshot(rows: [], ids: [], version: 0)
}
