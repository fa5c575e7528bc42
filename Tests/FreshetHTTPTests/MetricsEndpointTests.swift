import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FreshetCore
import FreshetEngine
@testable import FreshetHTTP
import FreshetTestSupport
import Logging
import Testing

/// `/metrics` on the HTTP listener: Prometheus text that a strict reader of the
/// format accepts, with figures that follow what SQL statements did.
@Suite(.serialized) struct MetricsEndpointTests {
    func get(_ port: Int, _ path: String) async throws -> (Int, String, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        let http = response as! HTTPURLResponse
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
    }

    @Test func scrapeFollowsWritesReadsAndReshards() async throws {
        let dir = try TemporaryDirectory()
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", segmentBytes: 1 << 20))
        let server = HTTPServer(engine: engine, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
        let port = try await server.start()
        #expect(port > 0)
        let sql = EngineExecutor(session: engine.openSession(user: "t", database: "t"))
        func run(_ s: String) async throws {
            if case .error(let state, let message) = await sql.run(s) { throw FreshetError(SQLState(state), message) }
        }
        try await run("CREATE STREAM clicks (k TEXT, v INTEGER) WITH (shards = 2, partition_key = 'k')")
        try await run("CREATE STREAM \"we\"\"ird\" (a INTEGER)")
        // MD5('a') and MD5('c') fall in the lower half of the key space, MD5('b') in the upper.
        try await run("INSERT INTO clicks VALUES ('a', 1), ('b', 2), ('c', 3)")
        try await run("SELECT * FROM clicks")

        let (status, type, text) = try await get(port, "/metrics")
        #expect(status == 200)
        #expect(type == "text/plain; version=0.0.4; charset=utf-8")
        let m = try PrometheusText(parsing: text)
        #expect(m.types["freshet_stream_incoming_rows_total"] == "counter")
        #expect(m.types["freshet_stream_retained_rows"] == "gauge")
        let s0 = ["stream": "clicks", "shard": "shardId-000000000000"], s1 = ["stream": "clicks", "shard": "shardId-000000000001"]
        #expect(m.value("freshet_stream_incoming_rows_total", s0) == 2)
        #expect(m.value("freshet_stream_incoming_rows_total", s1) == 1)
        #expect(m.value("freshet_stream_outgoing_rows_total", s0) == 2)
        #expect(m.value("freshet_stream_retained_rows", s1) == 1)
        #expect(m.value("freshet_stream_shard_open", s0) == 1)
        #expect((m.value("freshet_stream_incoming_bytes_total", s0) ?? 0) > 2)
        #expect(m.value("freshet_stream_throttled_writes_total", s0) == 0)
        // A stream name with a double quote is escaped in the label value and read back intact.
        #expect(m.value("freshet_stream_retained_rows", ["stream": "we\"ird", "shard": "shardId-000000000000"]) == 0)
        #expect((m.value("freshet_committed_records_total") ?? 0) >= 3)
        // The same figures per minute in SQL.
        if case .rows(let rows) = await sql.run("SELECT shard_id, incoming_rows, outgoing_rows, iterator_age_ms FROM sys.stream_metrics WHERE stream_name = 'clicks' ORDER BY shard_id") {
            #expect(rows == [["shardId-000000000000", "2", "2", nil], ["shardId-000000000001", "1", "1", nil]])
        } else {
            Issue.record("sys.stream_metrics could not be read")
        }

        let (missing, _, _) = try await get(port, "/nope")
        #expect(missing == 404)
        await server.stop()
        await engine.shutdown()
    }

    /// The iterator age gauge: a live cursor that FETCHed 1 of 3 rows written 4 s ago is
    /// 4,000 ms behind (injected clock); a shard no continuous reader reads has no sample.
    @Test func iteratorAgeOfALiveCursor() async throws {
        let dir = try TemporaryDirectory()
        let clock = ManualClock()
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock))
        let server = HTTPServer(engine: engine, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
        let port = try await server.start()
        let sql = EngineExecutor(session: engine.openSession(user: "t", database: "t"))
        func run(_ s: String) async throws {
            if case .error(let state, let message) = await sql.run(s) { throw FreshetError(SQLState(state), message) }
        }
        try await run("CREATE STREAM ev (a INTEGER) WITH (shards = 1)")
        try await run("CREATE STREAM idle (a INTEGER)")
        try await run("INSERT INTO ev VALUES (1), (2), (3)")
        clock.advance(micros: 4_000_000)
        try await run("BEGIN")
        try await run("DECLARE c CURSOR FOR SELECT STREAM a FROM ev START AT TRIM_HORIZON")
        try await run("FETCH 1 FROM c")
        var m = try PrometheusText(parsing: try await get(port, "/metrics").2)
        #expect(m.types["freshet_stream_iterator_age_milliseconds"] == "gauge")
        let shard = ["stream": "ev", "shard": "shardId-000000000000"]
        #expect(m.value("freshet_stream_iterator_age_milliseconds", shard) == 4000)
        #expect(m.value("freshet_stream_iterator_age_milliseconds", ["stream": "idle", "shard": "shardId-000000000000"]) == nil)
        try await run("FETCH 2 FROM c")
        m = try PrometheusText(parsing: try await get(port, "/metrics").2)
        #expect(m.value("freshet_stream_iterator_age_milliseconds", shard) == 0)
        try await run("ROLLBACK")
        m = try PrometheusText(parsing: try await get(port, "/metrics").2)
        #expect(m.value("freshet_stream_iterator_age_milliseconds", shard) == nil)
        await server.stop()
        await engine.shutdown()
    }

    @Test func bindFailureIsReported() async throws {
        let dir = try TemporaryDirectory()
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data"))
        let first = HTTPServer(engine: engine, configuration: HTTPConfiguration(port: 0), logger: Logger(label: "test"))
        let port = try await first.start()
        let second = HTTPServer(engine: engine, configuration: HTTPConfiguration(port: port), logger: Logger(label: "test"))
        await #expect(throws: (any Error).self) { _ = try await second.start() }
        await first.stop()
        await engine.shutdown()
    }

    @Test func labelValuesAreEscaped() throws {
        #expect(PrometheusExposition.escape("a\\b\"c\nd") == "a\\\\b\\\"c\\nd")
        let text = PrometheusExposition.render(EngineMetrics(shards: [], commitRounds: 1, commitFsyncs: 2, committedRecords: 3))
        let m = try PrometheusText(parsing: text)
        #expect(m.value("freshet_commit_fsyncs_total") == 2)
        #expect(m.samples.count == 3)
    }

    @Test func theReaderRefusesMalformedText() {
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "x{a=\"b} 1\n") }
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "1x 1\n") }
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "x 1\ny 2\nx 3\n") }
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "x{a=\"\\q\"} 1\n") }
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "x 1") }
        #expect(throws: PrometheusText.Invalid.self) { try PrometheusText(parsing: "# TYPE x counter\nx -1\n") }
    }
}
