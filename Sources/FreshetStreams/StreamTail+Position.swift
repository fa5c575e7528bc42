import FreshetCore
import FreshetStorage

/// A live reader's position, as a pump checkpoints it: the next sequence to read per
/// shard index, the shards read to their end after they closed, and (for START AT
/// SEQUENCE) the shards the reader is confined to.
public struct TailPosition: Sendable, Equatable {
    public var next: [Int: UInt64]
    public var finished: Set<Int>
    public var included: Set<Int>?
    public init(next: [Int: UInt64] = [:], finished: Set<Int> = [], included: Set<Int>? = nil) {
        self.next = next
        self.finished = finished
        self.included = included
    }
}

extension StreamTail {
    /// Where the reader is now.
    public var position: TailPosition { TailPosition(next: positions, finished: finished, included: included) }

    /// A reader that continues at `position` (a checkpoint); shards it does not name are
    /// read from their beginning (they appeared later, by a reshard).
    public init(store: StreamStore, resume position: TailPosition, notBefore: Int64) throws {
        try self.init(store: store, start: .trimHorizon, notBefore: notBefore)
        positions = position.next
        finished = position.finished
        included = position.included
    }

    /// Re-read exactly the records between two positions of this reader (a pump's batch
    /// being recovered): each shard's records from `from` to `to`, merged in the reader's
    /// order (ROWTIME, shard index, sequence); the reader then stands at `to`.
    /// Deterministic: the same rows in the same order as the read that moved the reader
    /// from `from` to `to` (one `next` call hands on the merge of the ranges it consumed).
    public mutating func reread(from: TailPosition, to: TailPosition) throws -> [Row] {
        var out: [Row] = []
        let m = store.map
        var sources: [ShardReadAhead] = []
        var ranges: [(index: Int, end: UInt64, log: ShardLog)] = []
        for (pos, shard) in m.shards.enumerated() {
            guard let end = to.next[shard.index], let log = m.logs[pos] else { continue }
            let at = from.next[shard.index] ?? 0
            guard at < end else { continue }
            sources.append(ShardReadAhead(shard: shard, batch: try Self.read(log, from: at, end: end), end: end))
            ranges.append((shard.index, end, log))
        }
        try StreamTail.merge(&sources, bound: .none, maxRows: .max, notBefore: notBefore,
                             decoder: RowDecoder(schema: store.schema), store: store, systemColumns: systemColumns, to: &out) { source in
            guard let r = ranges.first(where: { $0.index == source.shard.index }) else { return false }
            // A batch cut at the end of the range has nothing more to give.
            guard source.usable == source.batch.count else { return false }
            let at = source.batch.nextSequence
            guard at < r.end else { return false }
            source.refill(try Self.read(r.log, from: at, end: r.end), end: r.end)
            return true
        }
        positions = to.next
        finished = to.finished
        included = to.included
        readAhead = []
        return out
    }

    /// Records of `log` from `at`, as many as the range [at, end) holds at most (from below
    /// the first retained sequence the batch can reach past `end`: `ShardReadAhead` cuts it).
    private static func read(_ log: ShardLog, from at: UInt64, end: UInt64) throws -> RecordBatch {
        do { return try log.read(from: at, maxRecords: Int(min(end - at, 65_536)), maxBytes: 4 << 20) } catch {
            throw StreamStore.map(error)
        }
    }
}

extension StreamStore {
    /// The user columns of every record tagged `tag`, in every shard from `starts[shard]`
    /// (the beginning for a shard not named) to its end: what a pump's interrupted output
    /// batch got into this stream before the server stopped.
    public func rows(taggedWith tag: ProducerTag, from starts: [Int: UInt64]) throws -> [Row] {
        var out: [Row] = []
        let m = map
        for (pos, shard) in m.shards.enumerated() {
            guard let log = m.logs[pos] else { continue }
            var at = starts[shard.index] ?? 0
            while true {
                let batch: RecordBatch
                do { batch = try log.read(from: at, maxRecords: 65_536, maxBytes: 4 << 20) } catch { throw StreamStore.map(error) }
                if batch.isEmpty { break }
                for i in 0..<batch.count where batch[i].producer == tag {
                    out.append(try batch[i].withPayload { try RowCodec.decode($0, schema: schema) })
                }
                at = batch.nextSequence
            }
        }
        return out
    }

    /// Each shard's next sequence number (where the next committed record will go).
    public func nextSequences() -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        let m = map
        for (pos, shard) in m.shards.enumerated() { if let log = m.logs[pos] { out[shard.index] = log.stats.nextSequence } }
        return out
    }
}

extension StreamStore {
    /// How far a reader at `position` is behind: records committed and not yet read
    /// (over the shards it reads), and the ROWTIME of the oldest of them (nil: none).
    public func lag(of position: TailPosition) -> (rows: Int64, oldestRowtime: Int64?) {
        var rows: Int64 = 0
        var oldest: Int64?
        let m = map
        for (pos, shard) in m.shards.enumerated() {
            guard let log = m.logs[pos], !position.finished.contains(shard.index) else { continue }
            if let inc = position.included, !inc.contains(shard.index) { continue }
            let at = position.next[shard.index] ?? 0
            let st = log.stats
            let first = max(at, st.firstSequence ?? st.nextSequence)
            guard st.nextSequence > first else { continue }
            rows += Int64(st.nextSequence - first)
            if let b = try? log.read(from: first, maxRecords: 1, maxBytes: 1 << 20), !b.isEmpty {
                let t = b.rowtime(at: 0)
                oldest = min(oldest ?? t, t)
            }
        }
        return (rows, oldest)
    }
}
