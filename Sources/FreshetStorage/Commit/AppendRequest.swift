// AppendRequest / AppendResult / RowtimeSource: what a GroupCommitter submission
// carries and returns.

import FreshetCore

/// Where a part's ROWTIME comes from. It is asked inside the commit round, in commit
/// order, so ROWTIME is non-decreasing in each log and across the logs of a stream
/// that share one source.
public enum RowtimeSource: Sendable {
    /// The stream's monotonic clock. Before it is asked, it is told the log's newest
    /// rowtime (`observe`), so it never goes back, even after a restart.
    case monotonic(MonotonicTimestamps)
    /// Any provider; the log raises a value below its newest rowtime to that rowtime.
    case provider(@Sendable () -> Int64)
}

/// Records for one log, as part of one (possibly multi-log) submission.
public struct AppendRequest: Sendable {
    public var log: ShardLog
    public var records: RecordInputs
    public var rowtime: RowtimeSource

    public init(log: ShardLog, records: RecordInputs, rowtime: RowtimeSource) {
        self.log = log
        self.records = records
        self.rowtime = rowtime
    }
}

/// What one part got: consecutive sequence numbers `firstSequence ..< firstSequence + count`,
/// all with the same `rowtime`.
public struct AppendResult: Sendable, Equatable {
    public var firstSequence: UInt64
    public var count: Int
    public var rowtime: Int64
    /// The last sequence assigned (nil for an empty part).
    public var lastSequence: UInt64? { count == 0 ? nil : firstSequence + UInt64(count - 1) }
}
