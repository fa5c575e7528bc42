// LogOptions: how a ShardLog lays out its files.

public struct LogOptions: Sendable {
    /// A segment rolls when the next record would take it past this size (a segment
    /// always holds at least one record, so one huge record may exceed it).
    public var segmentBytes: Int = 64 << 20
    /// One sparse-index entry per this many bytes of records.
    public var indexIntervalBytes: Int = 64 << 10
    /// Keep zeros written ahead of the active segment's data (in the background), so
    /// that small appends overwrite written blocks instead of growing the file
    /// (fdatasync is ~2.5× cheaper then). See ZeroAhead.swift.
    public var preallocate: Bool = true
    /// How many bytes of zeros to keep ahead (when `preallocate`). Rounds larger than
    /// half of it just grow the file. A new log writes at most this many zeros.
    public var zeroAheadBytes: Int = 1 << 20
    /// The sequence number of the first record of a new, empty log.
    public var initialSequence: UInt64 = 1
    /// Check each record's CRC when reading (recovery always checks).
    public var verifyChecksumsOnRead: Bool = true

    public init(segmentBytes: Int = 64 << 20, indexIntervalBytes: Int = 64 << 10, preallocate: Bool = true,
                zeroAheadBytes: Int = 1 << 20, initialSequence: UInt64 = 1, verifyChecksumsOnRead: Bool = true) {
        self.segmentBytes = max(segmentBytes, 4096)
        self.indexIntervalBytes = max(indexIntervalBytes, 256)
        self.preallocate = preallocate
        self.zeroAheadBytes = max(zeroAheadBytes, 0)
        self.initialSequence = initialSequence
        self.verifyChecksumsOnRead = verifyChecksumsOnRead
    }
}
