import FreshetCore
import FreshetStorage

extension StreamStore {
    /// Read every retained row of every shard, shard by shard in index order — parents
    /// before their children, so that a partition key's rows come out in the order they
    /// were written across splits and merges — skipping rows older than `notBefore`
    /// (retention is enforced on reads too, not only when whole segments are deleted).
    /// Rows are user columns then system columns. `body` returns false to stop.
    /// On a provisioned stream, reads are paced at 2 MiB/s per shard.
    public func scan(notBefore: Int64, batchRecords: Int = 4096, _ body: ([Row]) throws -> Bool) async throws {
        let m = map
        let provisioned = options.capacityMode == .provisioned
        let maxBytes = provisioned ? 256 << 10 : 4 << 20
        for (pos, log) in m.logs.enumerated() {
            guard let log else { continue }
            let shard = m.shards[pos]
            var next: UInt64 = 0
            let first: UInt64?
            do { first = try log.firstSequence(atOrAfter: notBefore) } catch {
                if !shard.open && map.position(ofIndex: shard.index) == nil { continue }
                throw StreamStore.map(error)
            }
            guard let first else { continue }
            next = first
            while true {
                let batch: RecordBatch
                do { batch = try log.read(from: next, maxRecords: batchRecords, maxBytes: maxBytes) } catch {
                    // A closed shard removed after retention while we read it: none of its rows is readable.
                    if !shard.open && map.position(ofIndex: shard.index) == nil { break }
                    throw StreamStore.map(error)
                }
                if batch.isEmpty { break }
                var rows: [Row] = []
                rows.reserveCapacity(batch.count)
                let bytes = try appendRows(of: batch, shard: shard, notBefore: notBefore, to: &rows)
                next = batch.nextSequence
                let now = clock.nowMicros()
                if !rows.isEmpty {
                    metrics.record(shard: shard.index, now: now) { [n = rows.count, bytes] in
                        $0.outgoingRecords += Int64(n)
                        $0.outgoingBytes += Int64(bytes)
                    }
                }
                if provisioned {
                    // Pacing is real time (a ManualClock in tests does not move while we sleep).
                    let wait = limiter.admitRead(shard: shard.index, bytes: bytes, now: CapacityLimiter.monotonicMicros())
                    if wait > 0 {
                        metrics.record(shard: shard.index, now: now) { $0.throttledReads += 1 }
                        try await Task.sleep(nanoseconds: UInt64(wait) * 1000)
                    }
                }
                if !rows.isEmpty, try !body(rows) { return }
            }
        }
    }
}
