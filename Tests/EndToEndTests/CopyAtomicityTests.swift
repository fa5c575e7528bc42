import CLibPQ
import Foundation
import FreshetTestSupport
import Testing

/// A large COPY is cut into chunks parsed in parallel (CopyInReceiver); it must still
/// store all of its rows or none: a bad row in the last chunk stores nothing, the
/// first bad line is the one reported, and a server killed in the middle of a COPY
/// has none of its rows after a restart.
@Suite(.serialized) struct CopyAtomicityTests {
    /// `n` CSV lines of about 100 bytes: id, key, text.
    func rows(_ range: Range<Int>) -> [UInt8] {
        var s = ""
        for i in range { s += "\(i),user-\(i % 977),some words to make the row about a hundred bytes long; row number \(i)\n" }
        return Array(s.utf8)
    }

    /// Start `COPY … FROM STDIN` and send `input` in 64 KiB CopyData messages; returns false on a send failure.
    func send(_ c: LibPQConnection, _ sql: String, _ input: [UInt8]) throws -> Bool {
        guard let start = PQexec(c.raw, sql) else { return false }
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            throw Failure(String(cString: PQresultErrorMessage(start)))
        }
        var offset = 0
        while offset < input.count {
            let n = min(65_536, input.count - offset)
            let sent = input[offset..<offset + n].withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: n) { PQputCopyData(c.raw, $0, Int32(n)) }
            }
            if sent != 1 { return false }
            offset += n
        }
        return PQflush(c.raw) == 0
    }

    /// End the COPY; returns the command status or the error message.
    func end(_ c: LibPQConnection) -> String {
        guard PQputCopyEnd(c.raw, nil) == 1 else { return "PQputCopyEnd failed" }
        var status = ""
        while let r = PQgetResult(c.raw) {
            if PQresultStatus(r) == PGRES_COMMAND_OK { status = String(cString: PQcmdStatus(r)) }
            else { status = String(cString: PQresultErrorMessage(r)) }
            PQclear(r)
        }
        return status
    }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    @Test func aBadRowInTheLastChunkStoresNothing() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        _ = try c.exec("CREATE STREAM ca (id INTEGER, k TEXT, s TEXT) WITH (shards = 4, partition_key = 'k')")
        // A good COPY first, so that "nothing" is measured against rows already there.
        #expect(try send(c, "COPY ca FROM STDIN WITH (FORMAT csv)", rows(0..<1_000)))
        #expect(end(c) == "COPY 1000")
        // About 6 MB: several chunks; the bad line is the very last one.
        let n = 60_000
        var input = rows(0..<n)
        input += Array("oops,user-1,not a number in the id column\n".utf8)
        #expect(try send(c, "COPY ca FROM STDIN WITH (FORMAT csv)", input))
        let err = end(c)
        #expect(err.contains("line \(n + 1)"), "\(err)")
        #expect(err.contains("integer"), "\(err)")
        #expect(try c.exec("SELECT count(*) FROM ca").rows == [["1000"]])
        // Two bad lines in different chunks: the first is reported.
        var two = rows(0..<n)
        two.insert(contentsOf: Array("x1,user-1,bad\n".utf8), at: two.count)
        let early = rows(0..<20_000) + Array("x2,user-2,bad\n".utf8)
        two = early + two
        #expect(try send(c, "COPY ca FROM STDIN WITH (FORMAT csv)", two))
        let err2 = end(c)
        #expect(err2.contains("line 20001"), "\(err2)")
        #expect(err2.contains("x2"), "\(err2)")
        #expect(try c.exec("SELECT count(*) FROM ca").rows == [["1000"]])
        // And the same rows without the bad line are all stored, in order within each key.
        #expect(try send(c, "COPY ca FROM STDIN WITH (FORMAT csv)", rows(0..<n)))
        #expect(end(c) == "COPY \(n)")
        #expect(try c.exec("SELECT count(*) FROM ca").rows == [["\(n + 1_000)"]])
        let key = try c.exec("SELECT id FROM ca WHERE k = 'user-5' AND id >= 1000").rows.map { Int($0[0]!)! }
        #expect(key == key.sorted() && key.count > 50)
    }

    @Test func sigkillDuringACopyLeavesNoneOfItsRows() throws {
        let dir = try TemporaryDirectory(prefix: "freshet-copykill")
        let server = ServerProcess(dataDirectory: dir.path + "/data")
        try server.start()
        defer { _ = server.stop() }
        do {
            let c = try LibPQConnection(port: server.port)
            _ = try c.exec("CREATE STREAM ck (id INTEGER, k TEXT, s TEXT) WITH (shards = 4, partition_key = 'k')")
            #expect(try send(c, "COPY ck FROM STDIN WITH (FORMAT csv)", rows(0..<500)))
            #expect(end(c) == "COPY 500")
        }
        let c = try LibPQConnection(port: server.port)
        // About 10 MB sent (many chunks parsed), then the server dies before CopyDone.
        #expect(try send(c, "COPY ck FROM STDIN WITH (FORMAT csv)", rows(500..<100_500)))
        Thread.sleep(forTimeInterval: 0.3)
        let t0 = Date()
        server.kill()
        try server.start()
        let c2 = try LibPQConnection(port: server.port)
        #expect(try c2.exec("SELECT count(*) FROM ck").rows == [["500"]])
        #expect(Date().timeIntervalSince(t0) < 30)
    }
}
