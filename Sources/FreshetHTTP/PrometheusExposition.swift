import FreshetEngine

/// Renders `EngineMetrics` in the Prometheus text exposition format (version 0.0.4:
/// https://prometheus.io/docs/instrumenting/exposition_formats/): a `# HELP` and a
/// `# TYPE` line per metric family, then one `name{labels} value` line per series.
/// Label values escape backslash, double quote and newline.
///
/// Per shard (labels `stream`, `shard`), as Kinesis's shard-level metrics:
/// incoming/outgoing rows and bytes and throttled writes/reads as counters since the
/// server started; retained rows and bytes and whether the shard is open as gauges.
/// `freshet_stream_iterator_age_milliseconds` is a gauge of how far the shard's
/// furthest-behind continuous reader (live SELECT STREAM, cursor; later pumps and
/// delivery streams) is behind now; shards no continuous reader reads have no sample.
enum PrometheusExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private struct Family: Sendable {
        let name: String
        let help: String
        let type: String
        /// nil: no sample for this shard.
        let value: @Sendable (EngineMetrics.Shard) -> Int64?
    }

    private static let families: [Family] = [
        Family(name: "freshet_stream_incoming_rows_total", help: "Rows written to the shard (Kinesis IncomingRecords).", type: "counter") { $0.incomingRows },
        Family(name: "freshet_stream_incoming_bytes_total", help: "Bytes written to the shard: partition keys and encoded rows (Kinesis IncomingBytes).", type: "counter") { $0.incomingBytes },
        Family(name: "freshet_stream_outgoing_rows_total", help: "Rows read from the shard (Kinesis GetRecords.Records).", type: "counter") { $0.outgoingRows },
        Family(name: "freshet_stream_outgoing_bytes_total", help: "Bytes read from the shard (Kinesis GetRecords.Bytes).", type: "counter") { $0.outgoingBytes },
        Family(name: "freshet_stream_throttled_writes_total", help: "Writes refused by the shard's provisioned limits (Kinesis WriteProvisionedThroughputExceeded).", type: "counter") { $0.throttledWrites },
        Family(name: "freshet_stream_throttled_reads_total", help: "Reads paced by the shard's provisioned limit (Kinesis ReadProvisionedThroughputExceeded).", type: "counter") { $0.throttledReads },
        Family(name: "freshet_stream_late_rows_total", help: "Rows that reached a continuous query or pump behind its event-time watermark (sent to error_stream as LATE_ROW).", type: "counter") { $0.lateRows },
        Family(name: "freshet_stream_retained_rows", help: "Rows the shard's log retains now.", type: "gauge") { $0.retainedRows },
        Family(name: "freshet_stream_retained_bytes", help: "Bytes the shard's log retains now (with 32 bytes of framing per row).", type: "gauge") { $0.retainedBytes },
        Family(name: "freshet_stream_shard_open", help: "1 while the shard takes writes, 0 once a reshard closed it.", type: "gauge") { $0.open ? 1 : 0 },
        Family(name: "freshet_stream_iterator_age_milliseconds",
               help: "How far the shard's furthest-behind continuous reader is behind its newest row, in milliseconds (Kinesis GetRecords.IteratorAgeMilliseconds).",
               type: "gauge") { $0.iteratorAgeMs },
    ]

    static func render(_ m: EngineMetrics) -> String {
        var out = ""
        out.reserveCapacity(256 + m.shards.count * families.count * 96)
        for f in families {
            out += "# HELP \(f.name) \(f.help)\n# TYPE \(f.name) \(f.type)\n"
            for s in m.shards {
                guard let v = f.value(s) else { continue }
                out += "\(f.name){stream=\"\(escape(s.stream))\",shard=\"\(escape(s.shardID))\"} \(v)\n"
            }
        }
        let totals: [(String, String, Int64)] = [
            ("freshet_commit_rounds_total", "Group commit rounds.", m.commitRounds),
            ("freshet_commit_fsyncs_total", "fdatasync calls made by group commit.", m.commitFsyncs),
            ("freshet_committed_records_total", "Records made durable by group commit.", m.committedRecords),
        ]
        for (name, help, value) in totals {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
