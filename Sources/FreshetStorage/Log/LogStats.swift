// LogStats: what a shard log holds (durable, retained records), for system tables.

public struct LogStats: Sendable, Equatable {
    public var recordCount: Int
    /// Bytes of framed records (including the 32-byte frame overhead).
    public var byteCount: Int64
    public var segmentCount: Int
    /// nil when the log retains no record.
    public var firstSequence: UInt64?
    public var lastSequence: UInt64?
    public var firstRowtime: Int64?
    public var lastRowtime: Int64?
    /// The sequence number the next appended record will get.
    public var nextSequence: UInt64
}
