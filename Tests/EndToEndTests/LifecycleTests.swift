import Foundation
import FreshetTestSupport
import Testing

/// Process-level behaviour: graceful stop on SIGTERM, cancelling a running
/// statement with CancelRequest, and hostile bytes on the socket.
@Suite(.serialized) struct LifecycleTests {
    @Test func sigtermStopsGracefullyAndKeepsData() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM g (a INTEGER)")
        try c.exec("INSERT INTO g VALUES (1), (2)")
        let status = f.server.stop()
        #expect(status == 0)
        #expect(f.server.serverLog.contains("shutting down"))
        #expect(f.server.serverLog.contains("group commit:"))
        try f.server.start()
        let c2 = try LibPQConnection(port: f.port)
        #expect(try c2.exec("SELECT sum(a) FROM g").rows == [["3"]])
    }

    @Test func cancelStopsARunningQuery() throws {
        let f = try ServerFixture()
        let c = try LibPQConnection(port: f.port)
        try c.exec("CREATE STREAM big (a INTEGER, b TEXT) WITH (shards = 2, partition_key = 'a')")
        var input = ""
        for i in 0..<200_000 { input += "\(i)\tsome text for row \(i)\n" }
        let copy = try f.psql(["-v", "ON_ERROR_STOP=1", "-c", "COPY big FROM STDIN"], input: input)
        #expect(copy.status == 0, "\(copy.stderr)")
        // A query slow enough to be cancelled while it runs (repeat until a cancel lands mid-query).
        var cancelled = false
        for _ in 0..<5 where !cancelled {
            let handle = try #require(c.canceller())
            let canceller = Thread {
                Thread.sleep(forTimeInterval: 0.05)
                _ = handle.cancel()
            }
            canceller.start()
            do {
                _ = try c.exec("SELECT b, count(*) FROM big GROUP BY b ORDER BY 2, 1 LIMIT 1")
            } catch let e as LibPQConnection.Failure {
                #expect(e.sqlState == "57014")
                cancelled = true
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(cancelled)
        // The session is still usable.
        #expect(try c.exec("SELECT 1").rows == [["1"]])
    }

    @Test func hostileBytesDoNotDisturbOtherSessions() throws {
        let f = try ServerFixture()
        let good = try LibPQConnection(port: f.port)
        try good.exec("CREATE STREAM h (a INTEGER)")
        let payloads: [[UInt8]] = [
            [0, 0, 0, 3],                                        // startup length below the minimum
            [0x7F, 0xFF, 0xFF, 0xFF, 0, 3, 0, 0],                // 2 GiB startup message
            [0, 0, 0, 8, 0, 3, 0, 0] + [0x51, 0, 0, 0, 2],       // bad length after startup
            Array(repeating: 0xFF, count: 4096),                  // garbage
        ]
        for p in payloads {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(f.port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            #expect(rc == 0)
            _ = p.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var buf = [UInt8](repeating: 0, count: 1024)
            var tv = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let n = recv(fd, &buf, buf.count, 0)
            // Either an ErrorResponse ('E') or a closed connection; never a hang or a crash.
            #expect(n <= 0 || buf[0] == UInt8(ascii: "E"))
            close(fd)
        }
        try good.exec("INSERT INTO h VALUES (1)")
        #expect(try good.exec("SELECT count(*) FROM h").rows == [["1"]])
    }
}
