import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.stream_metrics`: per stream, shard and minute, Kinesis's shard-level
    /// metrics — rows and bytes in (IncomingRecords/Bytes) and out (OutgoingRecords/Bytes:
    /// bounded SELECTs and continuous readers), writes refused and reads paced by
    /// provisioned limits (Write/ReadProvisionedThroughputExceeded), and the iterator age
    /// (GetRecords.IteratorAgeMilliseconds): the largest, over the shard's continuous
    /// readers, of how far behind the newest row each was when it read or was sampled in
    /// that minute (`StreamReaders`); NULL when no continuous reader read the shard; and
    /// the rows that arrived behind an event-time watermark (`late_rows`, sent to
    /// error_stream).
    /// Minutes with activity only, the last 60 per shard, kept in memory since the
    /// server started. Reading the table samples the current iterator ages first.
    static let streamMetrics = SystemTable(
        name: "stream_metrics", oid: 12_003,
        columns: [
            Column(name: "stream_name", type: .text, nullable: false),
            Column(name: "shard_id", type: .text, nullable: false),
            Column(name: "minute", type: .timestamp, nullable: false),
            Column(name: "incoming_rows", type: .bigint, nullable: false),
            Column(name: "incoming_bytes", type: .bigint, nullable: false),
            Column(name: "outgoing_rows", type: .bigint, nullable: false),
            Column(name: "outgoing_bytes", type: .bigint, nullable: false),
            Column(name: "throttled_writes", type: .bigint, nullable: false),
            Column(name: "throttled_reads", type: .bigint, nullable: false),
            Column(name: "iterator_age_ms", type: .bigint),
            Column(name: "late_rows", type: .bigint, nullable: false),
        ],
        rows: { engine in metricRows(engine) { _ in true } })

    /// The `sys.stream_metrics` rows of every stream whose minute start passes `minute`.
    static func metricRows(_ engine: Engine, sample: Bool = true, minute: (Int64) -> Bool) -> [Row] {
        var out: [Row] = []
        for (d, store) in engine.streamsWithStores() {
            guard let store else { continue }
            if sample { store.readers.sampleAges() }
            for (shard, minutes) in store.metrics.perMinute() {
                for m in minutes where minute(m.minute) {
                    out.append([
                        .string(d.name), .string(ShardID.name(shard)), .timestamp(m.minute),
                        .int(m.incomingRecords), .int(m.incomingBytes), .int(m.outgoingRecords), .int(m.outgoingBytes),
                        .int(m.throttledWrites), .int(m.throttledReads), m.iteratorAgeMs.map { .int($0) } ?? .null,
                        .int(m.lateRows),
                    ])
                }
            }
        }
        return out
    }
}
