import FreshetCore
import FreshetStorage

/// Where a live reader starts in each shard (Kinesis iterator types).
public enum TailStart: Sendable {
    /// Only rows committed after the reader starts (LATEST, the default).
    case latest
    /// Everything retained (TRIM_HORIZON).
    case trimHorizon
    /// Rows whose ROWTIME is at or after this time (AT_TIMESTAMP).
    case timestamp(Int64)
    /// AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER: in the shard the sequence number
    /// encodes (and, after reshards, that shard's descendants) only, from that record on.
    case sequence(shardIndex: Int, counter: UInt64, after: Bool)
}

/// A live reader's position in every shard of a stream: it returns rows as they are
/// committed, across shards in ROWTIME order — within one ROWTIME, by shard index, then
/// by sequence number — so a backlog (TRIM_HORIZON, a pump catching up) comes out as the
/// rows were committed in time, not one shard after another.
///
/// How: a k-way merge of per-shard read-ahead batches (`ShardReadAhead`). Each call reads
/// a chunk from every shard whose read-ahead is used up, then hands on, in merge order,
/// every read-ahead row up to the smallest "last ROWTIME read" among the shards that have
/// more committed rows than they read ahead. A shard read up to its committed end does not
/// hold the merge back: the rows committed to it later get ROWTIMEs from the stream's one
/// monotonic clock (`MonotonicTimestamps`, never below any ROWTIME handed out before), so
/// they are not older than what is already committed — with one exception of a few
/// microseconds: a group-commit round publishes its shards one after another, so a reader
/// can see one shard's part of a round before another's, and the latter (staged earlier
/// in the same round) may be older by less than the round. Such rows come in the next call.
/// Each call's output is the merge of the per-shard ranges it consumed, so re-reading
/// those ranges (`reread`) gives the same rows in the same order.
///
/// Resharding: the reader follows the stream's current shard map on every call. A
/// child shard is read only once each of its parents is finished — closed and read to
/// its end (a closed shard takes no more rows once the reshard that closed it has
/// returned, see `StreamStore.reshard`) — so a partition key's rows come out in the
/// order they were written across splits and merges, as Kinesis asks of consumers.
/// A child's rows are committed after the reshard, so their ROWTIMEs are at least its
/// parents' (same clock): the merge keeps them after the parents' rows.
/// Children that appear after the reader started are read from their beginning.
public struct StreamTail {
    public let store: StreamStore
    let start: TailStart
    /// Next sequence to hand on, by shard index (rows read ahead but not handed on are
    /// not counted as read: this is what a pump checkpoints).
    var positions: [Int: UInt64] = [:]
    /// Shards read to their end after they were closed (or that never had a log).
    var finished: Set<Int> = []
    /// Rows older than this are skipped (retention).
    let notBefore: Int64
    /// For `.sequence`: the shards read (the one named and its descendants); nil: all.
    var included: Set<Int>?
    /// Rows read from the logs and not handed on yet, by shard (in shard-index order).
    /// Not part of the position: a reader resumed from `position` reads them again.
    var readAhead: [ShardReadAhead] = []
    /// What the last `next` call returned, per shard it read rows from: the shard index
    /// and the ROWTIME of the first row returned (for the iterator age, `StreamReaders`).
    public private(set) var lastReads: [(shard: Int, firstRowtime: Int64)] = []
    /// The text system columns this reader fills in (the others are NULL); see
    /// SystemColumnSelection. All unless the reader's owner says what its query reads.
    public var systemColumns: SystemColumnSelection = .all

    /// Records read ahead per shard and call (at most; fewer when `maxRows` is smaller).
    static let readAheadRecords = 8_192
    static let readAheadBytes = 2 << 20

    public init(store: StreamStore, start: TailStart, notBefore: Int64) throws {
        self.store = store
        self.start = start
        self.notBefore = notBefore
        let m = store.map
        if case let .sequence(index, counter, _) = start {
            guard let pos = m.shards.firstIndex(where: { $0.index == index }), let log = m.logs[pos],
                  counter >= 1, counter < log.stats.nextSequence else {
                throw FreshetError(.invalidParameterValue,
                                   "sequence number \(SequenceNumber.string(shardIndex: index, counter: counter)) does not belong to stream \"\(store.name)\"",
                                   hint: "Use a _sequence_number of this stream.")
            }
            included = [index]
        }
        for (pos, shard) in m.shards.enumerated() {
            guard let log = m.logs[pos] else { finished.insert(shard.index); continue }
            switch start {
            case let .sequence(index, counter, after):
                if shard.index == index { positions[shard.index] = after ? counter + 1 : counter }
            case .latest: positions[shard.index] = log.stats.nextSequence
            case .trimHorizon: positions[shard.index] = 0
            case .timestamp(let t):
                do { positions[shard.index] = try log.firstSequence(atOrAfter: t) ?? log.stats.nextSequence } catch { throw StreamStore.map(error) }
            }
        }
    }

    /// How far a reader catching up may move its query's time after a read that handed on
    /// `rows` (this tail's last `next`): the ROWTIME of the last row, since the merge hands
    /// rows on in ROWTIME order — every row older than it has been handed on, rows as old
    /// may still come — capped by `watermark` (the stream's, read before the read). With
    /// no rows the shards were at their end: `watermark` itself. A pump or live query
    /// working through a backlog thus closes ROWTIME windows (and evicts join and sliding
    /// state) as it goes, instead of holding every window of the backlog until it catches up.
    public func readThrough(_ rows: [Row], watermark: Int64) -> Int64 {
        guard let last = rows.last, case .timestamp(let t) = last[store.schema.count] else { return watermark }
        return min(t, watermark)
    }

    /// The stream's watermark (see StreamStore.watermark()).
    public func watermark() -> Int64 { store.watermark() }

    /// The signal to wait on when `next` found nothing.
    public var signal: AppendSignal { store.signal }

    /// Up to `maxRows` rows committed since the last call (possibly none), in ROWTIME
    /// order across shards (see the type's comment). Returns none only when every shard
    /// is read to its committed end.
    public mutating func next(maxRows: Int) throws -> [Row] {
        var out: [Row] = []
        lastReads.removeAll(keepingCapacity: true)
        guard maxRows > 0 else { return out }
        let decoder = RowDecoder(schema: store.schema)
        // Rows passed over for retention hand nothing on: go on until something is
        // handed on or every shard is at its end (each round consumes at least one
        // record unless all are at their end).
        while out.isEmpty {
            let before = positions
            try round(maxRows: maxRows, decoder: decoder, into: &out)
            if out.isEmpty && positions == before { break }
        }
        for i in readAhead.indices where readAhead[i].emitted > 0 {
            let r = readAhead[i]
            lastReads.append((r.shard.index, r.firstEmitted))
            store.metrics.record(shard: r.shard.index, now: store.clock.nowMicros()) { [n = r.emitted, bytes = r.emittedBytes] in
                $0.outgoingRecords += Int64(n)
                $0.outgoingBytes += Int64(bytes)
            }
            readAhead[i].emitted = 0
            readAhead[i].emittedBytes = 0
        }
        return out
    }

    /// One merge round: refill used-up read-aheads, then hand on the rows up to the bound.
    private mutating func round(maxRows: Int, decoder: RowDecoder, into out: inout [Row]) throws {
        let m = store.map
        var sources: [ShardReadAhead] = []
        var bound = MergeBound.none
        // Read-aheads of shards waiting for their parents: kept, not merged yet.
        var waiting: [ShardReadAhead] = []
        let chunk = min(max(maxRows, 1_024), StreamTail.readAheadRecords)
        for (pos, shard) in m.shards.enumerated() {
            if finished.contains(shard.index) { continue }
            if var inc = included, !inc.contains(shard.index) {
                // A descendant of a read shard is read too; any other shard is not.
                guard [shard.parent, shard.adjacentParent].contains(where: { $0.map { inc.contains($0) } ?? false }) else { continue }
                inc.insert(shard.index)
                included = inc
            }
            guard let log = m.logs[pos] else { finished.insert(shard.index); continue }
            // Parents first: they have lower indices, so this pass has already tried them.
            // A parent no longer in the map was removed after retention: nothing to read.
            let waits = [shard.parent, shard.adjacentParent].contains { p in
                p.map { !finished.contains($0) && m.position(ofIndex: $0) != nil } ?? false
            }
            var source: ShardReadAhead
            if let k = readAhead.firstIndex(where: { $0.shard.index == shard.index }), !readAhead[k].exhausted {
                source = readAhead[k]
            } else {
                let from: UInt64
                if let known = positions[shard.index] {
                    from = known
                } else if case .timestamp(let t) = start {
                    do { from = try log.firstSequence(atOrAfter: t) ?? 0 } catch { throw StreamStore.map(error) }
                } else {
                    from = 0
                }
                let batch: RecordBatch
                do { batch = try log.read(from: from, maxRecords: chunk, maxBytes: StreamTail.readAheadBytes) } catch {
                    // A closed shard removed after retention (its log closed) while we read it.
                    if !shard.open && store.map.position(ofIndex: shard.index) == nil { finished.insert(shard.index); continue }
                    throw StreamStore.map(error)
                }
                if batch.isEmpty {
                    positions[shard.index] = from
                    // `m` was taken before this read: a shard closed in it has nothing more to come.
                    if !shard.open { finished.insert(shard.index) }
                    continue
                }
                source = ShardReadAhead(shard: shard, batch: batch)
            }
            if waits {
                // A child waiting for its parents holds the merge back before its first
                // row: the other shards' rows after it must wait for it.
                bound.lower(source.head, shard.index - 1)
                waiting.append(source)
                continue
            }
            // A shard with more committed rows than it read ahead holds the merge back at
            // its last row read: its next rows may be older than other shards' read-ahead
            // (or as old, and then they come before those of higher shard indices).
            if source.batch.nextSequence < log.stats.nextSequence { bound.lower(source.lastRowtime, shard.index) }
            sources.append(source)
        }
        try StreamTail.merge(&sources, bound: bound, maxRows: maxRows, notBefore: notBefore,
                             decoder: decoder, store: store, systemColumns: systemColumns, to: &out)
        for s in sources { positions[s.shard.index] = s.position }
        // Keep the read-ahead of the shards merged this round (used-up ones are refilled
        // next time); `next` collects the emitted counts.
        readAhead = sources + waiting
    }
}

extension StreamTail {
    /// For each shard this reader still reads: the ROWTIME of the first record it has
    /// not read yet (at least `notBefore`), or nil when it has read all the shard holds.
    /// A shard with rows read ahead but not handed on answers from its read-ahead (no I/O:
    /// a backlog reader asks after every batch); otherwise one one-record read per shard
    /// that is behind; nothing for a caught-up reader.
    public func unreadOldest() -> [(shard: Int, oldestUnread: Int64?)] {
        let m = store.map
        var out: [(shard: Int, oldestUnread: Int64?)] = []
        for (pos, shard) in m.shards.enumerated() where !finished.contains(shard.index) {
            if let inc = included, !inc.contains(shard.index) { continue }
            guard let log = m.logs[pos] else { continue }
            let from = positions[shard.index] ?? 0
            if from >= log.stats.nextSequence {
                out.append((shard.index, nil))
                continue
            }
            if let ahead = readAhead.first(where: { $0.shard.index == shard.index }), !ahead.exhausted, ahead.position == from {
                out.append((shard.index, max(ahead.head, notBefore)))
                continue
            }
            guard let batch = try? log.read(from: from, maxRecords: 1, maxBytes: 1), !batch.isEmpty else {
                out.append((shard.index, nil))
                continue
            }
            out.append((shard.index, max(batch.rowtime(at: 0), notBefore)))
        }
        return out
    }
}

extension StreamStore {
    /// Decode a batch of records into rows (user columns then system columns), skipping
    /// rows past retention; returns the bytes read (payloads and partition keys, for metrics).
    @discardableResult
    func appendRows(of batch: RecordBatch, shard: Shard, notBefore: Int64, to out: inout [Row]) throws -> Int {
        let shardName = Value.string(ShardID.name(shard.index))
        // One decoder per batch (not per row).
        let decoder = RowDecoder(schema: schema)
        var bytes = 0
        for i in 0..<batch.count {
            let rowtime = batch.rowtime(at: i)
            if rowtime < notBefore { continue }
            bytes += try appendRow(batch[i], rowtime: rowtime, shardIndex: shard.index, shardName: shardName,
                                   decoder: decoder, to: &out)
        }
        return bytes
    }

    /// Decode one record into a row (user columns then system columns), allocated once
    /// with room for the system columns; the text system columns not in `systemColumns`
    /// are NULL. Returns its payload and partition key bytes.
    @inline(__always)
    func appendRow(_ record: Record, rowtime: Int64, shardIndex: Int, shardName: Value,
                   decoder: RowDecoder, systemColumns: SystemColumnSelection = .all, to out: inout [Row]) throws -> Int {
        var row: Row = []
        row.reserveCapacity(schema.count + 5)
        let bytes = try record.withFields { payload, partitionKey, hashKey in
            try decoder.decode(payload, appendingTo: &row)
            row.append(.timestamp(rowtime))
            row.append(shardName)
            row.append(systemColumns.contains(.sequenceNumber)
                       ? .string(SequenceNumber.string(shardIndex: shardIndex, counter: record.sequence)) : .null)
            row.append(systemColumns.contains(.partitionKey) ? .string(String(decoding: partitionKey, as: UTF8.self)) : .null)
            row.append(systemColumns.contains(.explicitHashKey) ? hashKey.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null : .null)
            return payload.count + partitionKey.count
        }
        out.append(row)
        return bytes
    }

    /// `appendRow` for record `i` of `batch`, read in place (the merge's per-row path).
    @inline(__always)
    func appendRow(_ batch: RecordBatch, at i: Int, rowtime: Int64, shardIndex: Int, shardName: Value,
                   decoder: RowDecoder, systemColumns: SystemColumnSelection, to out: inout [Row]) throws -> Int {
        var row: Row = []
        row.reserveCapacity(schema.count + 5)
        let bytes = try batch.withFields(at: i) { payload, partitionKey, hashKey, sequence in
            try decoder.decode(payload, appendingTo: &row)
            row.append(.timestamp(rowtime))
            row.append(shardName)
            row.append(systemColumns.contains(.sequenceNumber)
                       ? .string(SequenceNumber.string(shardIndex: shardIndex, counter: sequence)) : .null)
            row.append(systemColumns.contains(.partitionKey) ? .string(String(decoding: partitionKey, as: UTF8.self)) : .null)
            row.append(systemColumns.contains(.explicitHashKey) ? hashKey.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null : .null)
            return payload.count + partitionKey.count
        }
        out.append(row)
        return bytes
    }
}
