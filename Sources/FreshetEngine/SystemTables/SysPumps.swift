import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.pumps`: one row per pump — its source and target, state (RUNNING,
    /// STOPPED, FAILED: an error stopped it and it retries from its checkpoint), read
    /// position per source shard (`shard-000000:42` = next sequence counter to read),
    /// rows read and written, rows sent to error_stream, how far behind the source it
    /// is (rows committed and not yet read; milliseconds since the oldest of them was
    /// committed), the last error, and the bytes of window state it holds. A pump
    /// joining two streams reads two: `source_stream`, `position`, `lag_rows`, `lag_ms`
    /// are its left stream's, the `right_…` columns its right stream's (NULL for a
    /// pump reading one stream; after the others so that their ordinals stay).
    static let pumps = SystemTable(
        name: "pumps", oid: 12_004,
        columns: [
            Column(name: "pump_name", type: .text, nullable: false),
            Column(name: "source_stream", type: .text),
            Column(name: "target_stream", type: .text),
            Column(name: "state", type: .text, nullable: false),
            Column(name: "position", type: .text, nullable: false),
            Column(name: "rows_in", type: .bigint, nullable: false),
            Column(name: "rows_out", type: .bigint, nullable: false),
            Column(name: "error_rows", type: .bigint, nullable: false),
            Column(name: "lag_rows", type: .bigint, nullable: false),
            Column(name: "lag_ms", type: .bigint, nullable: false),
            Column(name: "last_error", type: .text),
            Column(name: "state_bytes", type: .bigint, nullable: false),
            Column(name: "definition", type: .text, nullable: false),
            Column(name: "right_source_stream", type: .text),
            Column(name: "right_position", type: .text),
            Column(name: "right_lag_rows", type: .bigint),
            Column(name: "right_lag_ms", type: .bigint),
        ],
        rows: { engine in
            let names = Dictionary(engine.streamDefinitions().map { ($0.oid, $0.name) }, uniquingKeysWith: { a, _ in a })
            let now = engine.configuration.clock.nowMicros()
            return engine.pumpsWithRunners().map { def, runner in
                let st = runner?.stats ?? PumpRunner.Stats()
                // Per source (input order): its position as text and its lag (rows, milliseconds).
                let sources = def.sourceOIDs.enumerated().map { i, oid -> (position: String, rows: Int64, millis: Int64) in
                    let p = i < st.positions.count ? st.positions[i] : TailPosition()
                    let text = p.next.keys.sorted().map { "\(ShardID.name($0)):\(p.next[$0]!)" }.joined(separator: ",")
                    guard let store = try? engine.store(for: oid) else { return (text, 0, 0) }
                    let lag = store.lag(of: p)
                    return (text, lag.rows, lag.oldestRowtime.map { max(0, now - $0) / 1000 } ?? 0)
                }
                let right = sources.count > 1 ? sources[1] : nil
                return [
                    .string(def.name), Row.text(names[def.sourceOID]), Row.text(names[def.targetOID]),
                    .string(def.running ? (st.status == .stopped ? "STOPPED" : st.status.rawValue) : "STOPPED"),
                    .string(sources[0].position), .int(st.rowsIn), .int(st.rowsOut), .int(st.errors), .int(sources[0].rows), .int(sources[0].millis),
                    Row.text(st.lastError), .int(Int64(st.stateBytes)), .string(def.sql),
                    Row.text(def.rightSourceOID.flatMap { names[$0] }), Row.text(right?.position),
                    right.map { .int($0.rows) } ?? .null, right.map { .int($0.millis) } ?? .null,
                ]
            }
        })
}
