import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FreshetTestSupport
import Testing

/// The built `freshet serve` answers GET /metrics on --http-port with Prometheus
/// text whose figures follow what psql clients did.
@Suite(.serialized) struct MetricsTests {
    @Test func serveExposesMetricsOnTheHTTPPort() async throws {
        let f = try ServerFixture()
        #expect(f.server.httpPort > 0 && f.server.httpPort != f.port)
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM m (k TEXT) WITH (partition_key = 'k')")
        try c.exec("INSERT INTO m VALUES ('a'), ('b'), ('c'), ('d')")
        _ = try c.exec("SELECT count(*) FROM m")
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(f.server.httpPort)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let m = try PrometheusText(parsing: String(decoding: data, as: UTF8.self))
        let shard = ["stream": "m", "shard": "shardId-000000000000"]
        #expect(m.value("freshet_stream_incoming_rows_total", shard) == 4)
        #expect(m.value("freshet_stream_outgoing_rows_total", shard) == 4)
        #expect(m.value("freshet_stream_retained_rows", shard) == 4)
        #expect(m.help["freshet_stream_incoming_rows_total"]?.isEmpty == false)
    }
}
