import FreshetCore
import FreshetStorage

extension StreamStore {
    /// Read every retained row of every shard (parents before children, shard by shard),
    /// skipping rows older than `notBefore` (retention is enforced on reads too, not
    /// only when whole segments are deleted). Rows are user columns then system columns.
    /// `body` returns false to stop.
    public func scan(notBefore: Int64, batchRecords: Int = 4096, _ body: ([Row]) throws -> Bool) throws {
        let schema = definition.schema
        for (pos, log) in logs.enumerated() {
            let shard = definition.shards[pos]
            let shardName = Value.string(ShardID.name(shard.index))
            var next: UInt64 = 0
            if let first = try log.firstSequence(atOrAfter: notBefore) { next = first } else { continue }
            while true {
                let batch: RecordBatch
                do { batch = try log.read(from: next, maxRecords: batchRecords, maxBytes: 4 << 20) } catch { throw StreamStore.map(error) }
                if batch.isEmpty { break }
                var rows: [Row] = []
                rows.reserveCapacity(batch.count)
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
                    rows.append(row)
                }
                next = batch.nextSequence
                if !rows.isEmpty, try !body(rows) { return }
            }
        }
    }
}
