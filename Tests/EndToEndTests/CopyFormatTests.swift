import Foundation
import FreshetTestSupport
import Testing

/// COPY FROM STDIN in text and CSV formats, edge cases as PostgreSQL defines
/// them, checked by reading the rows back; and routing of COPY rows agrees
/// with routing of INSERTed rows for every key type.
@Suite(.serialized) struct CopyFormatTests {
    @Test func textFormatEscapesAndNulls() throws {
        let f = try ServerFixture()
        _ = try f.psqlCommands(["CREATE STREAM t (id INTEGER, s TEXT, b BYTEA) WITH (shards = 3, partition_key = 'id')"])
        let input = "1\ttab\\there\t\\\\x41\n2\tnew\\nline\t\\N\n3\t\\N\t\\\\x\n4\tback\\\\slash \\101\\x42\t\\\\x00ff\n\\.\n"
        let out = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY t FROM STDIN"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try LibPQConnection(port: f.port).exec("SELECT id, s, b FROM t ORDER BY id").rows
        #expect(rows == [["1", "tab\there", "\\x41"], ["2", "new\nline", nil], ["3", nil, "\\x"], ["4", "back\\slash AB", "\\x00ff"]])
    }

    @Test func csvQuotingHeaderAndColumnLists() throws {
        let f = try ServerFixture()
        _ = try f.psqlCommands(["CREATE STREAM c (k VARCHAR(10), v TEXT, n DOUBLE) WITH (shards = 2, partition_key = 'k')"])
        let input = "k,v\na,\"x, y\"\nb,\"say \"\"hi\"\"\"\nc,\"two\nlines\"\nd,\ne,\"\"\n"
        let out = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY c (k, v) FROM STDIN WITH (FORMAT csv, HEADER)"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try LibPQConnection(port: f.port).exec("SELECT k, v, n FROM c ORDER BY k").rows
        #expect(rows == [["a", "x, y", nil], ["b", "say \"hi\"", nil], ["c", "two\nlines", nil], ["d", nil, nil], ["e", "", nil]])
        // Errors name the line; nothing is stored.
        let bad = try f.psql(["-c", "COPY c FROM STDIN WITH (FORMAT csv)"], input: "z,1,2\ny,2\n")
        #expect(bad.stderr.contains("missing data for column \"n\""), "\(bad.stderr)")
        #expect(bad.stderr.contains("line 2"), "\(bad.stderr)")
        let long = try f.psql(["-c", "COPY c FROM STDIN WITH (FORMAT csv)"], input: "abcdefghijkl,1,2\n")
        #expect(long.stderr.contains("value too long for type character varying(10)"), "\(long.stderr)")
        #expect(try LibPQConnection(port: f.port).exec("SELECT count(*) FROM c").rows == [["5"]])
    }

    @Test func copyAndInsertRouteAlike() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        for (name, type, values) in [("i", "INTEGER", ["7", "-12", "007", "100000"]), ("d", "DOUBLE", ["1.5", "2", "1e3"]),
                                     ("t", "TEXT", ["u1", "ü", "x y"]), ("v", "VARCHAR(4)", ["ab", "abcd"])] {
            try c.exec("CREATE STREAM r_\(name) (k \(type), src TEXT) WITH (shards = 5, partition_key = 'k')")
            let copyInput = values.map { "\($0)\tcopy\n" }.joined()
            let out = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY r_\(name) FROM STDIN"], input: copyInput)
            #expect(out.status == 0, "\(out.stderr)")
            try c.exec("INSERT INTO r_\(name) VALUES " + values.map { "('\($0)', 'insert')" }.joined(separator: ", "))
            let rows = try c.exec("SELECT k, _partition_key, _shard_id, src FROM r_\(name) ORDER BY src").rows
            let copied = rows.filter { $0[3] == "copy" }, inserted = rows.filter { $0[3] == "insert" }
            #expect(copied.count == values.count && inserted.count == values.count)
            for row in copied {
                let twin = inserted.first { $0[0] == row[0] }
                #expect(twin?[1] == row[1] && twin?[2] == row[2], "\(name): COPY routed \(row) but INSERT \(String(describing: twin))")
            }
        }
    }
}
