import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.pumps`: one row per pump — its source and target, state (RUNNING,
    /// STOPPED, FAILED: an error stopped it and it retries from its checkpoint), read
    /// position per source shard (`shard-000000:42` = next sequence counter to read),
    /// rows read and written, rows sent to error_stream, how far behind the source it
    /// is (rows committed and not yet read; milliseconds since the oldest of them was
    /// committed), the last error, and the bytes of window state it holds.
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
        ],
        rows: { engine in
            let names = Dictionary(engine.streamDefinitions().map { ($0.oid, $0.name) }, uniquingKeysWith: { a, _ in a })
            let now = engine.configuration.clock.nowMicros()
            return engine.pumpsWithRunners().map { def, runner in
                let st = runner?.stats ?? PumpRunner.Stats()
                let position = st.position.next.keys.sorted().map { "\(ShardID.name($0)):\(st.position.next[$0]!)" }.joined(separator: ",")
                var lagRows: Int64 = 0, lagMillis: Int64 = 0
                if let store = try? engine.store(for: def.sourceOID) {
                    let lag = store.lag(of: st.position)
                    lagRows = lag.rows
                    lagMillis = lag.oldestRowtime.map { max(0, now - $0) / 1000 } ?? 0
                }
                return [
                    .string(def.name), Row.text(names[def.sourceOID]), Row.text(names[def.targetOID]),
                    .string(def.running ? (st.status == .stopped ? "STOPPED" : st.status.rawValue) : "STOPPED"),
                    .string(position), .int(st.rowsIn), .int(st.rowsOut), .int(st.errors), .int(lagRows), .int(lagMillis),
                    Row.text(st.lastError), .int(Int64(st.stateBytes)), .string(def.sql),
                ]
            }
        })
}
