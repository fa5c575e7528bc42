import Foundation
import FreshetTestSupport
import Testing

/// Rows go to the shard MD5 of their partition key picks, compared with MD5
/// computed independently by Python's hashlib.
@Suite(.serialized) struct RoutingTests {
    @Test func shardsMatchHashlib() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        let shards = 7
        try c.exec("CREATE STREAM r (k TEXT) WITH (shards = \(shards), partition_key = 'k')")
        let keys = (0..<500).map { "key-\($0)-\(String(repeating: "é", count: $0 % 4))" }
        try c.exec("INSERT INTO r VALUES " + keys.map { "('\($0)')" }.joined(separator: ", "))
        let rows = try c.exec("SELECT k, _shard_id FROM r").rows
        var got: [String: String] = [:]
        for r in rows { got[r[0]!] = r[1]! }
        // Python: shard i covers [i*step, (i+1)*step-1], step = 2**128 // n, the last to 2**128-1.
        let script = """
        import hashlib, sys
        n = \(shards)
        step = 2**128 // n
        for line in sys.stdin.read().split("\\n"):
            if not line: continue
            h = int.from_bytes(hashlib.md5(line.encode("utf-8")).digest(), "big")
            print(line + "\\t" + "shardId-%012d" % min(h // step, n - 1))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        try p.run()
        inp.fileHandleForWriting.write(Data(keys.joined(separator: "\n").utf8))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        var expected: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            expected[String(parts[0])] = String(parts[1])
        }
        #expect(expected.count == keys.count)
        #expect(got == expected)
    }
}
