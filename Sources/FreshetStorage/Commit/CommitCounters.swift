// CommitCounters: what a GroupCommitter has done, for "fsyncs per acknowledged batch".

public struct CommitCounters: Sendable, Equatable {
    /// Commit rounds run.
    public var rounds: Int = 0
    /// fsync/fdatasync calls made by rounds (one per dirty log per round, plus the
    /// rare ones of segment rolls and rollbacks).
    public var fsyncs: Int = 0
    /// Submissions acknowledged as durable.
    public var batches: Int = 0
    /// Records in acknowledged submissions.
    public var records: Int = 0
    /// Framed bytes in acknowledged submissions.
    public var bytes: Int64 = 0
    /// Submissions that got an error.
    public var failedBatches: Int = 0

    /// fsyncs per acknowledged batch (below 1 when writers share fsyncs).
    public var fsyncsPerBatch: Double { batches == 0 ? 0 : Double(fsyncs) / Double(batches) }
}
