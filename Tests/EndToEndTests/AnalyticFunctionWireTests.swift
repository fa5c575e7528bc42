import Foundation
import FreshetTestSupport
import Testing

/// Analytic table functions over the wire: COPY (SELECT STREAM … FROM
/// TABLE(RANDOM_CUT_FOREST(CURSOR(…)))) TO STDOUT, WHERE on ANOMALY_SCORE, and
/// TOP_K_ITEMS_TUMBLING closing its window on the stream's time.
@Suite(.serialized) struct AnalyticFunctionWireTests {
    @Test func randomCutForestOverCopyAndWhere() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM pts (x DOUBLE PRECISION, y DOUBLE PRECISION, label TEXT) WITH (shards = 1)")
        // 300 points scattered over [0, 10)², then one far away.
        var values: [String] = []
        for i in 0..<300 { values.append("(\(Double(i * 37 % 100) / 10), \(Double(i * 53 % 97) / 10), 'p\(i)')") }
        try c.exec("INSERT INTO pts VALUES " + values.joined(separator: ", "))
        try c.exec("INSERT INTO pts VALUES (100, 100, 'outlier')")
        let query = """
            SELECT STREAM label, ANOMALY_SCORE FROM TABLE(RANDOM_CUT_FOREST(
              CURSOR(SELECT STREAM x, y, label FROM pts START AT TRIM_HORIZON), 50, 64))
            """
        var text = ""
        _ = try c.copyOut("COPY (\(query) LIMIT 301) TO STDOUT") { chunk in text += chunk; return true }
        let rows = text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count == 301)
        let scores = rows.map { Double($0[1])! }
        #expect(scores.prefix(64).allSatisfy { $0 == 0 })          // the forest fills first
        #expect(scores.dropFirst(64).allSatisfy { $0 > 0 })
        #expect(rows.last?[0] == "outlier")
        let normal = scores[64..<300]
        let maxNormal = normal.max()!, outlier = scores[300]
        #expect(outlier > 3 * normal.reduce(0, +) / Double(normal.count))
        #expect(outlier > maxNormal)
        // WHERE on the added column, around the table function; same seed, same scores.
        let r = try c.exec("\(query) WHERE ANOMALY_SCORE > \((maxNormal + outlier) / 2) LIMIT 1")
        #expect(r.rows == [["outlier", rows[300][1]]])
    }

    @Test func topKClosesItsWindowOnTheStreamTime() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM clicks (url TEXT) WITH (shards = 2, partition_key = 'url')")
        try c.exec("INSERT INTO clicks VALUES ('/a'), ('/b'), ('/a'), ('/c'), ('/a'), ('/b')")
        // One INSERT: one ROWTIME, one 1-second window, closed within a second.
        let r = try c.exec("""
            SELECT STREAM ITEM, ITEM_COUNT FROM TABLE(TOP_K_ITEMS_TUMBLING(
              CURSOR(SELECT STREAM * FROM clicks START AT TRIM_HORIZON), 'url', 2, 1)) LIMIT 2
            """)
        #expect(r.rows == [["/a", "3"], ["/b", "2"]])
    }
}
