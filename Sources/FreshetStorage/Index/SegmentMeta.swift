// SegmentMeta: the summary of one segment's records (counts, sequence and time range).
//
// Kept in memory for every segment, persisted in the segment's `.idx` file when it is
// sealed, and rebuilt by scanning when that file is missing or bad.

struct SegmentMeta: Sendable, Equatable {
    /// The sequence number the segment file is named after (its first record's, or the
    /// next sequence to be assigned when it was created empty).
    var baseSequence: UInt64
    var recordCount: Int = 0
    /// Bytes of valid frames from offset 0: the end of the data.
    var dataBytes: Int64 = 0
    var firstSequence: UInt64 = 0
    var lastSequence: UInt64 = 0
    var firstRowtime: Int64 = 0
    var lastRowtime: Int64 = 0

    init(baseSequence: UInt64) { self.baseSequence = baseSequence }

    /// Account for one record appended at the end.
    @inline(__always)
    mutating func add(sequence: UInt64, rowtime: Int64, length: Int) {
        if recordCount == 0 { firstSequence = sequence; firstRowtime = rowtime }
        lastSequence = sequence
        lastRowtime = rowtime
        recordCount += 1
        dataBytes += Int64(length)
    }
}
