import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.stream_metrics`: per stream, shard and minute, Kinesis's shard-level
    /// metrics — rows and bytes in (IncomingRecords/Bytes) and out (bounded SELECTs:
    /// OutgoingRecords/Bytes), writes refused and reads paced by provisioned limits
    /// (Write/ReadProvisionedThroughputExceeded). Minutes with activity only, the
    /// last 60 per shard, kept in memory since the server started.
    /// `iterator_age_ms` (GetRecords.IteratorAgeMilliseconds) is NULL: it measures
    /// continuous readers (SELECT STREAM, pumps, delivery streams), which do not exist yet.
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
        ],
        rows: { engine in
            var out: [Row] = []
            for (d, store) in engine.streamsWithStores() {
                guard let store else { continue }
                for (shard, minutes) in store.metrics.perMinute() {
                    for m in minutes {
                        out.append([
                            .string(d.name), .string(ShardID.name(shard)), .timestamp(m.minute),
                            .int(m.incomingRecords), .int(m.incomingBytes), .int(m.outgoingRecords), .int(m.outgoingBytes),
                            .int(m.throttledWrites), .int(m.throttledReads), .null,
                        ])
                    }
                }
            }
            return out
        })
}
