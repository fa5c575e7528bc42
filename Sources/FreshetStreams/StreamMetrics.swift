import Foundation

/// Per-shard, per-minute counters of a stream, as Kinesis's shard-level CloudWatch
/// metrics: IncomingRecords/Bytes, OutgoingRecords/Bytes, WriteProvisionedThroughputExceeded,
/// ReadProvisionedThroughputExceeded, GetRecords.IteratorAgeMilliseconds. Updated once per commit or read batch (never per
/// row); the last `keptMinutes` minutes are kept per shard, plus running totals since
/// the server started (for Prometheus counters). In memory only: they restart at zero.
public final class StreamMetrics: @unchecked Sendable {
    public struct Counters: Sendable, Equatable {
        /// Start of the minute (microseconds since the epoch); 0 in totals.
        public var minute: Int64 = 0
        public var incomingRecords: Int64 = 0
        public var incomingBytes: Int64 = 0
        public var outgoingRecords: Int64 = 0
        public var outgoingBytes: Int64 = 0
        public var throttledWrites: Int64 = 0
        public var throttledReads: Int64 = 0
        /// Rows of the shard that reached a continuous query or pump behind its event-time
        /// watermark (sent to error_stream as LATE_ROW instead of being aggregated).
        public var lateRows: Int64 = 0
        /// The largest iterator age (milliseconds) a continuous reader of the shard
        /// reported or was sampled at in this minute (`StreamReaders`); nil: no reader.
        public var iteratorAgeMs: Int64?
        public init() {}
    }

    public static let keptMinutes = 60
    private let lock = NSLock()
    private var minutes: [Int: [Counters]] = [:]
    private var totals: [Int: Counters] = [:]

    public init() {}

    func record(shard: Int, now: Int64, _ update: (inout Counters) -> Void) {
        let minute = now - ((now % 60_000_000) + 60_000_000) % 60_000_000
        lock.lock(); defer { lock.unlock() }
        var list = minutes[shard] ?? []
        if list.last?.minute != minute {
            var c = Counters()
            c.minute = minute
            list.append(c)
            if list.count > StreamMetrics.keptMinutes { list.removeFirst(list.count - StreamMetrics.keptMinutes) }
        }
        update(&list[list.count - 1])
        minutes[shard] = list
        var t = totals[shard] ?? Counters()
        update(&t)
        t.minute = 0
        totals[shard] = t
    }

    /// Counts `count` late rows of `shard` in the minute of `now`.
    public func recordLateRows(shard: Int, now: Int64, count: Int64 = 1) {
        record(shard: shard, now: now) { $0.lateRows += count }
    }

    /// The kept minutes of every shard that had any activity, by shard index, oldest first.
    public func perMinute() -> [(shard: Int, minutes: [Counters])] {
        lock.withLock { minutes.keys.sorted().map { ($0, minutes[$0]!) } }
    }

    /// Running totals since start, by shard index.
    public func runningTotals() -> [(shard: Int, totals: Counters)] {
        lock.withLock { totals.keys.sorted().map { ($0, totals[$0]!) } }
    }
}
