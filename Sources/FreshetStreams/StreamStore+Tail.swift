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

/// A live reader's position in every shard of a stream: it returns rows as
/// they are committed, shard by shard, each shard in sequence order.
///
/// Resharding: the reader follows the stream's current shard map on every call. A
/// child shard is read only once each of its parents is finished — closed and read to
/// its end (a closed shard takes no more rows once the reshard that closed it has
/// returned, see `StreamStore.reshard`) — so a partition key's rows come out in the
/// order they were written across splits and merges, as Kinesis asks of consumers.
/// Children that appear after the reader started are read from their beginning.
public struct StreamTail {
    public let store: StreamStore
    let start: TailStart
    /// Next sequence to read, by shard index.
    var positions: [Int: UInt64] = [:]
    /// Shards read to their end after they were closed (or that never had a log).
    var finished: Set<Int> = []
    /// Rows older than this are skipped (retention).
    let notBefore: Int64
    /// For `.sequence`: the shards read (the one named and its descendants); nil: all.
    var included: Set<Int>?
    /// What the last `next` call returned, per shard it read rows from: the shard index
    /// and the ROWTIME of the first row returned (for the iterator age, `StreamReaders`).
    public private(set) var lastReads: [(shard: Int, firstRowtime: Int64)] = []

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

    /// The stream's watermark (see StreamStore.watermark()).
    public func watermark() -> Int64 { store.watermark() }

    /// The signal to wait on when `next` found nothing.
    public var signal: AppendSignal { store.signal }

    /// Up to `maxRows` rows committed since the last call (possibly none).
    public mutating func next(maxRows: Int) throws -> [Row] {
        var out: [Row] = []
        lastReads.removeAll(keepingCapacity: true)
        let m = store.map
        for (pos, shard) in m.shards.enumerated() where out.count < maxRows {
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
            if let p = shard.parent, !finished.contains(p), m.position(ofIndex: p) != nil { continue }
            if let p = shard.adjacentParent, !finished.contains(p), m.position(ofIndex: p) != nil { continue }
            let from: UInt64
            if let known = positions[shard.index] {
                from = known
            } else if case .timestamp(let t) = start {
                do { from = try log.firstSequence(atOrAfter: t) ?? 0 } catch { throw StreamStore.map(error) }
            } else {
                from = 0
            }
            let batch: RecordBatch
            do { batch = try log.read(from: from, maxRecords: maxRows - out.count, maxBytes: 4 << 20) } catch {
                // A closed shard removed after retention (its log closed) while we read it.
                if !shard.open && store.map.position(ofIndex: shard.index) == nil { finished.insert(shard.index); continue }
                throw StreamStore.map(error)
            }
            positions[shard.index] = batch.isEmpty ? from : batch.nextSequence
            if batch.isEmpty {
                // `m` was taken before this read: a shard closed in it has nothing more to come.
                if !shard.open { finished.insert(shard.index) }
                continue
            }
            let before = out.count
            try store.appendRows(of: batch, shard: shard, notBefore: notBefore, to: &out)
            if out.count > before, case .timestamp(let t) = out[before][store.schema.columns.count] {
                lastReads.append((shard.index, t))
            }
            store.metrics.record(shard: shard.index, now: store.clock.nowMicros()) { [n = out.count - before, bytes = batch.bytes.count] in
                $0.outgoingRecords += Int64(n)
                $0.outgoingBytes += Int64(bytes)
            }
        }
        return out
    }
}

extension StreamTail {
    /// For each shard this reader still reads: the ROWTIME of the first record it has
    /// not read yet (at least `notBefore`), or nil when it has read all the shard holds.
    /// One one-record read per shard that is behind; nothing for a caught-up reader.
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
            guard let batch = try? log.read(from: from, maxRecords: 1, maxBytes: 1 << 20), !batch.isEmpty else {
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
        // One decoder per batch (not per row), and each row allocated once with room for
        // the system columns appended below.
        let decoder = RowDecoder(schema: schema)
        let capacity = schema.count + 5
        var bytes = 0
        for i in 0..<batch.count {
            let rowtime = batch.rowtime(at: i)
            if rowtime < notBefore { continue }
            let record = batch[i]
            var row: Row = []
            row.reserveCapacity(capacity)
            try record.withPayload { p in
                bytes += p.count
                try decoder.decode(p, appendingTo: &row)
            }
            bytes += record.partitionKey.count
            row.append(.timestamp(rowtime))
            row.append(shardName)
            row.append(.string(SequenceNumber.string(shardIndex: shard.index, counter: record.sequence)))
            row.append(.string(String(decoding: record.partitionKey, as: UTF8.self)))
            row.append(record.explicitHashKey.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null)
            out.append(row)
        }
        return bytes
    }
}
