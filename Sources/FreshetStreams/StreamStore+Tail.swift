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
}

/// A live reader's position in every shard of a stream: it returns rows as
/// they are committed, shard by shard, each shard in sequence order.
public struct StreamTail {
    let store: StreamStore
    /// Next sequence to read, per shard position.
    var positions: [UInt64]
    /// Rows older than this are skipped (retention).
    let notBefore: Int64

    public init(store: StreamStore, start: TailStart, notBefore: Int64) throws {
        self.store = store
        self.notBefore = notBefore
        var positions: [UInt64] = []
        for log in store.logs {
            switch start {
            case .latest: positions.append(log.stats.nextSequence)
            case .trimHorizon: positions.append(0)
            case .timestamp(let t):
                do { positions.append(try log.firstSequence(atOrAfter: t) ?? log.stats.nextSequence) } catch { throw StreamStore.map(error) }
            }
        }
        self.positions = positions
    }

    /// The stream's watermark (see StreamStore.watermark()).
    public func watermark() -> Int64 { store.watermark() }

    /// The signal to wait on when `next` found nothing.
    public var signal: AppendSignal { store.signal }

    /// Up to `maxRows` rows committed since the last call (possibly none).
    public mutating func next(maxRows: Int) throws -> [Row] {
        var out: [Row] = []
        for pos in positions.indices where out.count < maxRows {
            let batch: RecordBatch
            do { batch = try store.logs[pos].read(from: positions[pos], maxRecords: maxRows - out.count, maxBytes: 4 << 20) } catch {
                throw StreamStore.map(error)
            }
            if batch.isEmpty { continue }
            try store.appendRows(of: batch, shardPosition: pos, notBefore: notBefore, to: &out)
            positions[pos] = batch.nextSequence
        }
        return out
    }
}

extension StreamStore {
    /// Decode a batch of records into rows (user columns then system columns).
    func appendRows(of batch: RecordBatch, shardPosition pos: Int, notBefore: Int64, to out: inout [Row]) throws {
        let schema = definition.schema
        let shard = definition.shards[pos]
        let shardName = Value.string(ShardID.name(shard.index))
        for i in 0..<batch.count {
            let rowtime = batch.rowtime(at: i)
            if rowtime < notBefore { continue }
            let record = batch[i]
            var row = try record.withPayload { try RowCodec.decode($0, schema: schema) }
            row.append(.timestamp(rowtime))
            row.append(shardName)
            row.append(.string(SequenceNumber.string(shardIndex: shard.index, counter: record.sequence)))
            row.append(.string(String(decoding: record.partitionKey, as: UTF8.self)))
            row.append(record.explicitHashKey.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null)
            out.append(row)
        }
    }
}
