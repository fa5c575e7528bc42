import Foundation
import FreshetTestSupport
import Testing

/// The server driven through libpq: extended protocol with text and binary
/// parameters and results, RETURNING, errors, CancelRequest.
@Suite(.serialized) struct LibPQTests {
    @Test func extendedProtocolParameters() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM ev (id BIGINT, name TEXT, score DOUBLE, ok BOOLEAN, at TIMESTAMP) WITH (shards = 2, partition_key = 'id')")
        // Text parameters with inferred types.
        let r = try c.execParams("INSERT INTO ev VALUES ($1, $2, $3, $4, $5) RETURNING _shard_id, _sequence_number",
                                 ["7", "seven", "7.5", "true", "2026-01-02 03:04:05.5"])
        #expect(r.rows.count == 1)
        #expect(r.rows[0][0]?.hasPrefix("shardId-") == true)
        // Binary parameters: int8 and float8 in network byte order, text as UTF-8.
        func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        _ = try c.execBinaryParams("INSERT INTO ev (id, name, score) VALUES ($1, $2, $3)",
                                   [(20, be(Int64(8))), (25, Array("eight".utf8)), (701, be((8.25).bitPattern))], binaryResults: false)
        // Binary results.
        let (res, raw) = try c.execBinaryParams("SELECT id, score FROM ev WHERE id = $1", [(20, be(Int64(8)))], binaryResults: true)
        #expect(res.rows.count == 1)
        #expect(raw[0][0] == be(Int64(8)))
        #expect(raw[0][1] == be((8.25).bitPattern))
        let texts = try c.execParams("SELECT name, ok, at FROM ev WHERE id = $1", ["7"])
        #expect(texts.rows == [["seven", "t", "2026-01-02 03:04:05.5"]])
        // Errors from the extended protocol, then the connection is still usable.
        #expect(throws: LibPQConnection.Failure.self) { try c.execParams("SELECT nope FROM ev WHERE id = $1", ["1"]) }
        do { try c.execParams("SELECT nope FROM ev", []) } catch let e as LibPQConnection.Failure {
            #expect(e.sqlState == "42703")
            #expect(e.position == 8)
        }
        #expect(try c.exec("SELECT count(*) FROM ev").rows == [["2"]])
    }

    @Test func cancelRequestIsAccepted() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        #expect(c.backendPID != 0)
        // Nothing runs: the server must accept the request and keep the session usable.
        #expect(c.cancel())
        #expect(try c.exec("SELECT 1").rows == [["1"]])
    }

    @Test func manyStatementsInOneQueryString() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        let r = try c.exec("CREATE STREAM a (x INTEGER); INSERT INTO a VALUES (1), (2); SELECT sum(x) FROM a")
        #expect(r.rows == [["3"]])
        #expect(try c.exec("").rows.isEmpty)
        // An error stops the rest of the string.
        #expect(throws: LibPQConnection.Failure.self) { try c.exec("INSERT INTO a VALUES (5); SELECT * FROM nosuch; INSERT INTO a VALUES (6)") }
        #expect(try c.exec("SELECT sum(x) FROM a").rows == [["8"]])
    }
}
