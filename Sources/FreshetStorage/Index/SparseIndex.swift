// SparseIndex: where records of one segment start, sampled every N bytes.
//
// One entry (sequence, rowtime, file offset) for the first record of a segment and then
// for the first record starting at or after each `interval`-byte boundary. A lookup
// finds the entry to start scanning from, so a read of sequence s or time t reads at
// most ~interval bytes it does not need. Kept in memory for every segment; persisted
// for sealed segments by SegmentIndexFile.

struct SparseIndex: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var sequence: UInt64
        var rowtime: Int64
        var offset: Int64
    }

    var entries: [Entry] = []

    /// The offset to scan from for the first record with sequence ≥ `sequence`: the
    /// last entry at or before it (0 when none).
    func offset(forSequence sequence: UInt64) -> Int64 {
        // Last entry with entry.sequence <= sequence.
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].sequence <= sequence { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : entries[lo - 1].offset
    }

    /// The offset to scan from for the first record with rowtime ≥ `rowtime`: the last
    /// entry whose rowtime is strictly below it (records at equal rowtimes may precede
    /// an entry with that rowtime), or 0.
    func offset(forRowtime rowtime: Int64) -> Int64 {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].rowtime < rowtime { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : entries[lo - 1].offset
    }
}
