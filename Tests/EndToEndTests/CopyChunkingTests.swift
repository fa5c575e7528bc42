import CLibPQ
import Foundation
import FreshetTestSupport
import Testing

/// COPY FROM STDIN data split into CopyData messages at every possible place: lines
/// are parsed straight from each message and only an incomplete last line is carried
/// over to the next (CopyInReceiver), so a split inside a line, inside a CSV quoted
/// field (also one spanning lines), between CR and LF or inside `\.` must not change
/// what is stored.
@Suite(.serialized) struct CopyChunkingTests {
    /// Sends `input` as CopyData messages of `chunk` bytes; returns the command status or the error.
    func copy(_ c: LibPQConnection, _ sql: String, _ input: [UInt8], chunk: Int) -> String {
        guard let start = PQexec(c.raw, sql) else { return "no result" }
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_IN else { return String(cString: PQresultErrorMessage(start)) }
        var offset = 0
        while offset < input.count {
            let n = min(chunk, input.count - offset)
            let sent = input[offset..<offset + n].withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: n) { PQputCopyData(c.raw, $0, Int32(n)) }
            }
            if sent != 1 { return "PQputCopyData failed" }
            offset += n
        }
        guard PQputCopyEnd(c.raw, nil) == 1 else { return "PQputCopyEnd failed" }
        var status = ""
        while let r = PQgetResult(c.raw) {
            if PQresultStatus(r) == PGRES_COMMAND_OK { status = String(cString: PQcmdStatus(r)) }
            else { status = String(cString: PQresultErrorMessage(r)) }
            PQclear(r)
        }
        return status
    }

    @Test func csvSplitAtEveryChunkSizeStoresTheSameRows() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        var lines: [String] = []
        var expected: [[String?]] = []
        for i in 0..<40 {
            switch i % 5 {
            case 0: lines.append("\(i),plain \(i)\r\n"); expected.append(["\(i)", "plain \(i)"])
            case 1: lines.append("\(i),\"two\nlines, \"\"quoted\"\" \(i)\"\n"); expected.append(["\(i)", "two\nlines, \"quoted\" \(i)"])
            case 2: lines.append("\(i),\n"); expected.append(["\(i)", nil])
            case 3: lines.append("\(i),\"\"\n"); expected.append(["\(i)", ""])
            default: lines.append("\(i),\(String(repeating: "é", count: i))\n"); expected.append(["\(i)", String(repeating: "é", count: i)])
            }
        }
        let input = Array((lines.joined() + "\\.\n").utf8)
        var checked = 0
        for chunk in [1, 2, 3, 5, 7, 8, 13, 64, 100, input.count] {
            let name = "cc\(chunk)"
            _ = try c.exec("CREATE STREAM \(name) (id INTEGER, s TEXT) WITH (shards = 3, partition_key = 'id')")
            let status = copy(c, "COPY \(name) FROM STDIN WITH (FORMAT csv)", input, chunk: chunk)
            #expect(status == "COPY 40", "chunk \(chunk): \(status)")
            let rows = try c.exec("SELECT id, s FROM \(name) ORDER BY id").rows
            #expect(rows == expected, "chunk \(chunk)")
            checked += 1
        }
        #expect(checked == 10)
    }

    @Test func textFormatSplitsAndAnErrorOnALaterLineStoresNothing() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        let good = Array("1\ta\\tb\n2\t\\N\n3\tc\n".utf8)
        let bad = Array("1\tx\n2\ty\nnot a number\tz\n".utf8)
        for chunk in [1, 2, 4, 9, 100] {
            let name = "tc\(chunk)"
            _ = try c.exec("CREATE STREAM \(name) (id INTEGER, s TEXT) WITH (shards = 2, partition_key = 'id')")
            #expect(copy(c, "COPY \(name) FROM STDIN", good, chunk: chunk) == "COPY 3", "chunk \(chunk)")
            #expect(try c.exec("SELECT id, s FROM \(name) ORDER BY id").rows == [["1", "a\tb"], ["2", nil], ["3", "c"]])
            let err = copy(c, "COPY \(name) FROM STDIN", bad, chunk: chunk)
            #expect(err.contains("line 3"), "chunk \(chunk): \(err)")
            #expect(try c.exec("SELECT count(*) FROM \(name)").rows == [["3"]], "chunk \(chunk)")
        }
    }
}
