import FreshetCore
import FreshetStorage

/// One shard's read-ahead in a live reader: a batch read from the shard's log and how
/// much of it has been handed on. The reader merges the read-aheads of all its shards
/// in ROWTIME order (`StreamTail.merge`); the records are decoded only when handed on,
/// and the merge compares the Int64 ROWTIMEs in the frames (no per-row allocation
/// besides the row itself).
struct ShardReadAhead {
    let shard: StreamStore.Shard
    /// `_shard_id` of every row (made once per read-ahead, not per row).
    let shardName: Value
    var batch: RecordBatch
    /// How many records of `batch` are used (the rest lie past the end of a re-read range).
    var usable: Int
    /// The next record of `batch` to hand on.
    var cursor: Int = 0
    /// ROWTIME of the record at `cursor` (valid while `cursor < batch.count`).
    var head: Int64 = .max
    /// Rows handed on (and payload + partition key bytes) in the current call, and the
    /// ROWTIME of the first of them (for metrics and the iterator age).
    var emitted = 0
    var emittedBytes = 0
    var firstEmitted: Int64 = 0

    init(shard: StreamStore.Shard, batch: RecordBatch) {
        self.shard = shard
        self.shardName = .string(ShardID.name(shard.index))
        self.batch = batch
        self.usable = batch.count
        if !batch.isEmpty { head = batch.rowtime(at: 0) }
    }

    /// A read-ahead of the records of `batch` before sequence `end`.
    init(shard: StreamStore.Shard, batch: RecordBatch, end: UInt64) {
        self.init(shard: shard, batch: batch)
        limit(to: end)
    }

    var exhausted: Bool { cursor >= usable }

    /// The next sequence number not handed on yet: this shard's reading position.
    var position: UInt64 {
        cursor < batch.count ? batch.sequence(at: cursor) : batch.nextSequence
    }

    /// ROWTIME of the last record read ahead (the batch must not be empty).
    var lastRowtime: Int64 { batch.rowtime(at: usable - 1) }

    /// Replace an exhausted batch with the next one read from the log.
    mutating func refill(_ next: RecordBatch, end: UInt64 = .max) {
        batch = next
        usable = next.count
        cursor = 0
        head = next.isEmpty ? .max : next.rowtime(at: 0)
        limit(to: end)
    }

    /// Use only the records before sequence `end` (a read from below the first retained
    /// sequence may return records past the range it was sized for).
    private mutating func limit(to end: UInt64) {
        while usable > 0 && batch.sequence(at: usable - 1) >= end { usable -= 1 }
        if usable == 0 { head = .max }
    }

    mutating func advance() {
        cursor += 1
        head = cursor < usable ? batch.rowtime(at: cursor) : .max
    }
}

extension StreamTail {
    /// Hand on the read-ahead rows of `sources` in (ROWTIME, shard index, sequence)
    /// order — `sources` is in shard-index order, so the first of equal heads wins —
    /// while the smallest (head, shard index) is at most `bound` (compared as pairs: at
    /// the bound's ROWTIME, only shards up to the bound's shard), up to `maxRows` rows. Rows older
    /// than `notBefore` (retention) are passed over without being handed on. Rows go in
    /// runs: the source with the smallest head hands on until its head passes the next
    /// smallest (or the bound), so the sources are compared once per run, not per row.
    ///
    /// `refill`, when given, is called for a source that ran out (it refills it and
    /// returns true, or returns false when the source has nothing more): every source is
    /// then compared with its next row, so the output is the full merge of what the
    /// sources can read. Without it, an exhausted source is simply left out (the caller
    /// chose `bound` so that this is safe).
    static func merge(_ sources: inout [ShardReadAhead], bound: MergeBound, maxRows: Int, notBefore: Int64,
                      decoder: RowDecoder, store: StreamStore, systemColumns: SystemColumnSelection = .all, to out: inout [Row],
                      refill: ((inout ShardReadAhead) throws -> Bool)? = nil) throws {
        var done = [Bool](repeating: false, count: sources.count)
        while out.count < maxRows {
            // The smallest head and the next smallest (of another source), by (ROWTIME, shard).
            var best = -1
            var bestT = Int64.max
            var limit = bound
            for j in sources.indices where !done[j] {
                if sources[j].exhausted {
                    guard let refill, try refill(&sources[j]), !sources[j].exhausted else { done[j] = true; continue }
                }
                let t = sources[j].head
                if t < bestT {
                    if best >= 0 { limit.lower(bestT, sources[best].shard.index) }
                    best = j
                    bestT = t
                } else {
                    limit.lower(t, sources[j].shard.index)
                }
            }
            if best < 0 { return }
            // Hand on a run of `best`: its rows up to the bound and before the next source's head.
            let index = sources[best].shard.index
            func within(_ t: Int64, _ l: MergeBound) -> Bool { t < l.rowtime || (t == l.rowtime && index <= l.shard) }
            if !within(bestT, bound) { return }
            // The run's batch and shard name, taken once per run (not retained per row).
            let batch = sources[best].batch
            let shardName = sources[best].shardName
            repeat {
                let t = sources[best].head
                if t >= notBefore {
                    let before = out.count
                    let bytes = try store.appendRow(batch, at: sources[best].cursor, rowtime: t, shardIndex: index, shardName: shardName,
                                                    decoder: decoder, systemColumns: systemColumns, to: &out)
                    if sources[best].emitted == 0 { sources[best].firstEmitted = t }
                    sources[best].emitted += out.count - before
                    sources[best].emittedBytes += bytes
                }
                sources[best].advance()
            } while out.count < maxRows && !sources[best].exhausted && within(sources[best].head, limit)
        }
    }
}

/// How far a merge round may go: rows with (ROWTIME, shard index) up to this pair.
struct MergeBound {
    var rowtime: Int64
    var shard: Int
    static let none = MergeBound(rowtime: .max, shard: .max)

    /// Lower the bound to (rowtime, shard) if that is below it.
    mutating func lower(_ rowtime: Int64, _ shard: Int) {
        if rowtime < self.rowtime || (rowtime == self.rowtime && shard < self.shard) {
            self.rowtime = rowtime
            self.shard = shard
        }
    }
}
