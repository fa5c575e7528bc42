import FreshetCore
import FreshetStreams

/// The figures the HTTP listener exposes at `/metrics` (and `sys.stream_metrics`
/// shows per minute): per-shard running totals since the server started, what
/// each shard retains now, and its continuous readers' iterator age now.
public struct EngineMetrics: Sendable {
    public struct Shard: Sendable {
        public var stream: String
        public var shardID: String
        public var open: Bool
        public var incomingRows: Int64
        public var incomingBytes: Int64
        public var outgoingRows: Int64
        public var outgoingBytes: Int64
        public var throttledWrites: Int64
        public var throttledReads: Int64
        /// Rows that reached a continuous query or pump behind its event-time watermark.
        public var lateRows: Int64
        public var retainedRows: Int64
        public var retainedBytes: Int64
        /// How far the shard's furthest-behind continuous reader is now, in milliseconds
        /// (Kinesis GetRecords.IteratorAgeMilliseconds); nil when no reader reads the shard.
        public var iteratorAgeMs: Int64?
    }
    public var shards: [Shard]
    /// Group commit counters (all streams).
    public var commitRounds: Int64
    public var commitFsyncs: Int64
    public var committedRecords: Int64
    public init(shards: [Shard], commitRounds: Int64, commitFsyncs: Int64, committedRecords: Int64) {
        self.shards = shards
        self.commitRounds = commitRounds
        self.commitFsyncs = commitFsyncs
        self.committedRecords = committedRecords
    }
}

extension Engine {
    /// A snapshot of every stream's shard metrics, in stream then shard order.
    public func metricsSnapshot() -> EngineMetrics {
        var shards: [EngineMetrics.Shard] = []
        for (d, store) in streamsWithStores() {
            guard let store else { continue }
            let ages = store.readers.sampleAges()
            let totals = Dictionary(uniqueKeysWithValues: store.metrics.runningTotals().map { ($0.shard, $0.totals) })
            for (shard, stats) in store.shardStats() {
                let t = totals[shard.index] ?? StreamMetrics.Counters()
                shards.append(EngineMetrics.Shard(
                    stream: d.name, shardID: shard.id, open: shard.open,
                    incomingRows: t.incomingRecords, incomingBytes: t.incomingBytes,
                    outgoingRows: t.outgoingRecords, outgoingBytes: t.outgoingBytes,
                    throttledWrites: t.throttledWrites, throttledReads: t.throttledReads, lateRows: t.lateRows,
                    retainedRows: Int64(stats?.recordCount ?? 0), retainedBytes: stats?.byteCount ?? 0,
                    iteratorAgeMs: ages[shard.index]))
            }
        }
        let c = committer.counters
        return EngineMetrics(shards: shards, commitRounds: Int64(c.rounds), commitFsyncs: Int64(c.fsyncs), committedRecords: Int64(c.records))
    }
}
