import Foundation
import FreshetTestSupport
import Testing

/// The README's walk-through, done with the real psql 15 against the real
/// server: CREATE STREAM, INSERT, \copy, a GROUP BY over _shard_id, the
/// meta-commands (\d, \d NAME, \dt, \l, \dn, \x, \timing), and errors with
/// SQLSTATE and caret.
@Suite(.serialized) struct PsqlTests {
    @Test func walkthrough() throws {
        let f = try ServerFixture()
        let dir = try TemporaryDirectory()
        var csv = ""
        for i in 0..<1000 { csv += "u\(i % 37),/p\(i % 5),\(Double(i) / 4)\n" }
        try csv.write(toFile: dir.path + "/clicks.csv", atomically: true, encoding: .utf8)
        let out = try f.psqlCommands([
            "CREATE STREAM clicks (user_id VARCHAR(64), url VARCHAR(2048), latency DOUBLE) WITH (shards = 4, partition_key = 'user_id', retention = '24 hours')",
            "INSERT INTO clicks VALUES ('u1', '/a', 12.5), ('u2', '/b', 700)",
            "\\copy clicks FROM '\(dir.path)/clicks.csv' WITH (FORMAT csv)",
            "SELECT count(*), sum(latency) FROM clicks",
        ], extra: ["-A", "-t"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains("COPY 1000"))
        // 1000 rows from the file plus the two inserted; sum = 712.5 + Σ i/4 for i < 1000
        #expect(lines.contains("1002|125587.5"))

        let grouped = try f.psqlCommands(["SELECT _shard_id, count(*) FROM clicks GROUP BY _shard_id ORDER BY 1"], extra: ["-A", "-t"])
        let counts = grouped.split(separator: "\n").map { $0.split(separator: "|") }
        #expect(counts.map { String($0[0]) } == (0..<4).map { "shardId-00000000000\($0)" })
        #expect(counts.map { Int($0[1])! }.reduce(0, +) == 1002)

        let described = try f.psqlCommands(["\\d clicks"])
        #expect(described.contains("Table \"public.clicks\""))
        #expect(described.contains("user_id | character varying(64)"))
        #expect(described.contains("url     | character varying(2048)"))
        #expect(described.contains("latency | double precision"))

        // Column widths follow the longest name (error_stream, the system stream every database has).
        func squeezed(_ s: String) -> String { s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let listed = squeezed(try f.psqlCommands(["\\dt"]))
        #expect(listed.contains("public | clicks | table") && listed.contains("public | error_stream | table"))
        let all = squeezed(try f.psqlCommands(["\\d"]))
        #expect(all.contains("public | clicks | table"))
        let none = try f.psql(["-c", "\\d nosuch"])
        #expect(none.stderr.contains("Did not find any relation named \"nosuch\""))
        let sys = try f.psqlCommands(["\\dt sys.*"])
        #expect(sys.contains("sys    | shards ") && sys.contains("sys    | streams ") && sys.contains("sys    | stream_metrics ") && sys.contains("sys    | pumps "))
        #expect(!sys.contains("clicks"))
        let sysShards = try f.psqlCommands(["\\d sys.shards"])
        #expect(sysShards.contains("Table \"sys.shards\"") && sysShards.contains("starting_hash_key"))
        let dbs = try f.psqlCommands(["\\l"])
        #expect(dbs.contains("freshet") && dbs.contains("UTF8"))
        let schemas = try f.psqlCommands(["\\dn"])
        #expect(schemas.contains("public") && schemas.contains("sys"))
        let expanded = try f.psqlCommands(["\\x on", "SELECT user_id, url FROM clicks WHERE user_id = 'u2' AND url = '/b'"])
        #expect(expanded.contains("-[ RECORD 1 ]") && expanded.contains("user_id | u2"))
        let timed = try f.psqlCommands(["\\timing on", "SELECT 1"])
        #expect(timed.contains("Time: "))
    }

    @Test func errorsCarrySQLStateAndCaret() throws {
        let f = try ServerFixture()
        let out = try f.psql(["-v", "VERBOSITY=verbose", "-c", "SELECT * FORM clicks"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("42601"))
        #expect(out.stderr.contains("LINE 1: SELECT * FORM clicks"))
        #expect(out.stderr.contains("^"))
        let missing = try f.psql(["-v", "VERBOSITY=verbose", "-c", "SELECT * FROM nosuch"])
        #expect(missing.stderr.contains("42P01"))
        #expect(missing.stderr.contains("relation \"nosuch\" does not exist"))
        // The server keeps serving after errors.
        let ok = try f.psqlCommands(["SELECT 41 + 1"], extra: ["-A", "-t"])
        #expect(ok.trimmingCharacters(in: .whitespacesAndNewlines) == "42")
    }

    @Test func copyFailureStoresNothingAndNamesTheLine() throws {
        let f = try ServerFixture()
        _ = try f.psqlCommands(["CREATE STREAM m (id INTEGER, v DOUBLE) WITH (shards = 2, partition_key = 'id')"])
        var input = ""
        for i in 1...10_000 { input += i == 9_999 ? "\(i)\tnot-a-number\n" : "\(i)\t\(i)\n" }
        let out = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY m FROM STDIN"], input: input)
        #expect(out.status != 0)
        #expect(out.stderr.contains("invalid input syntax for type double precision: \"not-a-number\""))
        #expect(out.stderr.contains("line 9999"))
        let count = try f.psqlCommands(["SELECT count(*) FROM m"], extra: ["-A", "-t"])
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // COPY TO STDOUT, CSV with header, round-trips what was stored.
        _ = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY m FROM STDIN WITH (FORMAT csv, HEADER)"], input: "id,v\n1,1.5\n2,\n")
        let copied = try f.psqlCommands(["COPY (SELECT id, v FROM m ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)"])
        #expect(copied == "id,v\n1,1.5\n2,\n")
    }
}
