// RecoveryReport: what ShardLog.open found and repaired, for the engine to log.

public struct RecoveryReport: Sendable, Equatable {
    public var directory: String
    public var segmentCount: Int
    public var recordCount: Int
    /// The sequence the next record will get, and the newest rowtime on disk (feed it to
    /// `MonotonicTimestamps.observe` so ROWTIME never goes back after a restart).
    public var nextSequence: UInt64
    public var lastRowtime: Int64?
    /// Non-zero bytes after the last valid record of the last segment that were zeroed
    /// (a torn write from a crash); 0 when the log was clean.
    public var bytesDropped: Int64
    /// The file and offset where the torn tail started, when there was one.
    public var tornFile: String?
    public var tornOffset: Int64?
    public var tornReason: String?
    /// Sealed segments whose `.idx` file was missing or bad and was rebuilt by scanning.
    public var indexesRebuilt: Int

    public var wasClean: Bool { bytesDropped == 0 }
}
