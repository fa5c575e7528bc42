// LogOptions: how a ShardLog lays out its files.

public struct LogOptions: Sendable {
    /// A segment rolls when the next record would take it past this size (a segment
    /// always holds at least one record, so one huge record may exceed it).
    public var segmentBytes: Int = 64 << 20
    /// One sparse-index entry per this many bytes of records.
    public var indexIntervalBytes: Int = 64 << 10
    /// Pre-zero segment files in the background, so that appends overwrite allocated
    /// blocks instead of growing the file (fdatasync is ~2.5× cheaper then).
    public var preallocate: Bool = true
    /// The sequence number of the first record of a new, empty log.
    public var initialSequence: UInt64 = 1
    /// Check each record's CRC when reading (recovery always checks).
    public var verifyChecksumsOnRead: Bool = true

    public init(segmentBytes: Int = 64 << 20, indexIntervalBytes: Int = 64 << 10, preallocate: Bool = true,
                initialSequence: UInt64 = 1, verifyChecksumsOnRead: Bool = true) {
        self.segmentBytes = max(segmentBytes, 4096)
        self.indexIntervalBytes = max(indexIntervalBytes, 256)
        self.preallocate = preallocate
        self.initialSequence = initialSequence
        self.verifyChecksumsOnRead = verifyChecksumsOnRead
    }
}
