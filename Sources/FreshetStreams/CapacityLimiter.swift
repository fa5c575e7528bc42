import FreshetCore
import Foundation

/// Enforces a provisioned stream's per-shard throughput with token buckets, one set
/// per shard: records in (1,000/s), bytes in (1 MiB/s), bytes out (2 MiB/s).
///
/// A write is admitted whole or refused whole: if any shard it touches lacks the
/// tokens, nothing is taken and the statement fails with SQLSTATE 53400, naming the
/// shard and the limit — never a silent drop. Reads are paced instead of refused: a
/// read takes its bytes even into debt and is told how long to wait, so a bounded
/// SELECT over a provisioned stream runs at 2 MiB/s a shard (counted as throttled reads).
final class CapacityLimiter: @unchecked Sendable {
    private struct Buckets {
        var inRecords: TokenBucket
        var inBytes: TokenBucket
    }
    private let lock = NSLock()
    private var buckets: [Int: Buckets] = [:]
    /// Read buckets run on the monotonic clock (see `admitRead`), apart from the write ones.
    private var readBuckets: [Int: TokenBucket] = [:]

    /// One shard's share of a write.
    struct Demand {
        var shard: Int
        var records: Int
        var bytes: Int
    }

    private func bucketsFor(_ shard: Int, now: Int64) -> Buckets {
        if let b = buckets[shard] { return b }
        return Buckets(inRecords: TokenBucket(rate: Double(ProvisionedLimits.incomingRecordsPerSecond), now: now),
                       inBytes: TokenBucket(rate: Double(ProvisionedLimits.incomingBytesPerSecond), now: now))
    }

    /// Admit a write or return the error to refuse it with (and the shard refused).
    func admitWrite(_ demands: [Demand], now: Int64, stream: String) -> (error: FreshetError, shard: Int)? {
        lock.lock(); defer { lock.unlock() }
        var updated: [(Int, Buckets)] = []
        for d in demands {
            var b = bucketsFor(d.shard, now: now)
            b.inRecords.refill(now: now)
            b.inBytes.refill(now: now)
            let id = ShardID.name(d.shard)
            if d.records > ProvisionedLimits.incomingRecordsPerSecond || d.bytes > ProvisionedLimits.incomingBytesPerSecond {
                return (FreshetError(ProvisionedLimits.throughputExceeded,
                                     "write of \(d.records) rows (\(d.bytes) bytes) to \(id) of stream \"\(stream)\" exceeds the provisioned limit of a shard (1000 rows/s and 1 MiB/s); no row of this statement was stored",
                                     hint: "Write in smaller statements, add shards (ALTER STREAM \(stream) SET (shards = N)), or use capacity_mode = 'on_demand'."), d.shard)
            }
            guard b.inRecords.tokens >= Double(d.records), b.inBytes.tokens >= Double(d.bytes) else {
                return (FreshetError(ProvisionedLimits.throughputExceeded,
                                     "rate exceeded for \(id) of stream \"\(stream)\": provisioned throughput is 1000 rows/s and 1 MiB/s per shard; no row of this statement was stored",
                                     hint: "Retry after a short wait, spread rows over more partition keys or shards, or use capacity_mode = 'on_demand'."), d.shard)
            }
            updated.append((d.shard, b))
        }
        for (i, (shard, var b)) in updated.enumerated() {
            _ = b.inRecords.take(Double(demands[i].records))
            _ = b.inBytes.take(Double(demands[i].bytes))
            buckets[shard] = b
        }
        return nil
    }

    /// Microseconds of a monotonic clock, for pacing reads.
    static func monotonicMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// Account a read of `bytes` from `shard`; returns microseconds to wait before the next read.
    func admitRead(shard: Int, bytes: Int, now: Int64) -> Int64 {
        lock.lock(); defer { lock.unlock() }
        var b = readBuckets[shard] ?? TokenBucket(rate: Double(ProvisionedLimits.outgoingBytesPerSecond), now: now)
        b.refill(now: now)
        let wait = b.borrow(Double(bytes))
        readBuckets[shard] = b
        return wait
    }
}
