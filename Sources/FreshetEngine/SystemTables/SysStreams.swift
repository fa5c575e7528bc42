import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.streams`: one row per stream (Kinesis's DescribeStreamSummary).
    /// `status` is ACTIVE, or UPDATING while a reshard is in progress (CREATE and DROP
    /// are atomic, so CREATING is never seen; DELETING appears only in the change feed,
    /// as the last row of a dropped stream). `rows` and `bytes` are what the shard logs
    /// retain (bytes include the 32-byte frame of each record); rows past the retention
    /// but still in a segment that is not yet deleted are counted.
    /// `watermark` is the event-time watermark (`event_time - 00:00:05`), `late_rows` the
    /// rows continuous queries received behind it since the server started.
    static let streams = SystemTable(
        name: "streams", oid: 12_001,
        columns: [
            Column(name: "name", type: .text, nullable: false),
            Column(name: "status", type: .text, nullable: false),
            Column(name: "open_shards", type: .integer, nullable: false),
            Column(name: "closed_shards", type: .integer, nullable: false),
            Column(name: "retention_hours", type: .integer, nullable: false),
            Column(name: "capacity_mode", type: .text, nullable: false),
            Column(name: "partition_key", type: .text),
            Column(name: "max_record_size", type: .integer, nullable: false),
            Column(name: "created", type: .timestamp, nullable: false),
            Column(name: "columns", type: .text, nullable: false),
            Column(name: "rows", type: .bigint, nullable: false),
            Column(name: "bytes", type: .bigint, nullable: false),
            Column(name: "description", type: .text),
            Column(name: "watermark", type: .text),
            Column(name: "late_rows", type: .bigint, nullable: false),
        ],
        rows: { engine in engine.streamsWithStores().map { streamRow(engine, $0, $1) } })

    /// The `sys.streams` row of one stream; `status` overrides the computed one.
    static func streamRow(_ engine: Engine, _ d: StreamDefinition, _ store: StreamStore?, status: String? = nil) -> Row {
        let stats = store?.shardStats() ?? []
        let rows = stats.reduce(Int64(0)) { $0 + Int64($1.stats?.recordCount ?? 0) }
        let bytes = stats.reduce(Int64(0)) { $0 + ($1.stats?.byteCount ?? 0) }
        let open = d.shards.filter(\.open).count
        let columns = d.userSchema.columns.map { "\($0.name) \($0.type.sqlName)" }.joined(separator: ", ")
        return [
            .string(d.name), .string(status ?? (store?.isResharding == true ? "UPDATING" : "ACTIVE")),
            .int(Int64(open)), .int(Int64(d.shards.count - open)), .int(Int64(d.retentionHours)),
            .string(d.capacityMode.rawValue), Row.text(d.partitionKey),
            .int(Int64(d.maxRecordBytes ?? StreamStore.Options.defaultMaxRecordBytes)),
            .timestamp(d.createdMicros), .string(columns), .int(rows), .int(bytes), Row.text(d.description),
            Row.text(d.watermark.map { "\($0.column) - \(Value.interval(Interval(months: 0, days: 0, microseconds: $0.delayMicros)).pgText(as: .interval))" }),
            .int(engine.lateRowCount(stream: d.name)),
        ]
    }
}
