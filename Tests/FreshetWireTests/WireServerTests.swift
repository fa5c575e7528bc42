import FreshetCore
import FreshetEngine
import NIOCore
import Testing
@testable import FreshetWire

@Suite("WireServer over loopback")
struct WireServerTests {
    @Test func startupWithRealEngineThenQueryErrorThenReadyForQuery() async throws {
        try await withTestServer { server in
            #expect(server.localPort > 0)
            let client = try await WireTestClient(port: server.localPort)
            let greeting = try await client.startup()
            #expect(greeting.first?.type == "R")
            #expect(greeting.first.flatMap { m -> Int32? in var b = m.body; return b.readInteger(as: Int32.self) } == 0)
            let statuses = greeting.filter { $0.type == "S" }.map(\.string)
            #expect(statuses.contains("server_version"))
            #expect(greeting.contains { $0.type == "K" })
            #expect(greeting.last?.type == "Z")
            try await client.send(FrontendBytes.query("select * from nosuch"))
            let reply = try await client.read(until: "Z")
            // The real Engine: an unknown relation is an ErrorResponse with its SQLSTATE and position.
            let error = try #require(reply.first { $0.type == "E" })
            #expect(error.field("S") == "ERROR")
            #expect(error.field("V") == "ERROR")
            #expect(error.field("C") == "42P01")
            #expect(error.field("P") == "15")
            #expect(reply.last?.type == "Z")
            #expect(reply.last.flatMap { m -> UInt8? in var b = m.body; return b.readInteger(as: UInt8.self) } == UInt8(ascii: "I"))
            try await client.send(FrontendBytes.terminate)
            #expect(try await client.read() == nil)
        }
    }

    @Test func sslAndGSSRequestsAreRefusedThenStartupContinues() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            try await client.send(FrontendBytes.untyped(code: 80877103))
            #expect(try await client.readBytes(1) == [UInt8(ascii: "N")])
            try await client.send(FrontendBytes.untyped(code: 80877104))
            #expect(try await client.readBytes(1) == [UInt8(ascii: "N")])
            let greeting = try await client.startup()
            #expect(greeting.last?.type == "Z")
        }
    }

    @Test(arguments: [UInt32(2 << 16), UInt32(4 << 16 | 1)])
    func otherProtocolVersionsAreRefused(version: UInt32) async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            try await client.send(FrontendBytes.startup([("user", "a")], version: version))
            let error = try #require(try await client.read())
            #expect(error.type == "E")
            #expect(error.field("S") == "FATAL")
            #expect(error.field("C") == "0A000")
            #expect(error.field("M")?.contains("server supports 3.0 to 3.0") == true)
            #expect(try await client.read() == nil)
        }
    }

    @Test func newerMinorVersionGetsNegotiateProtocolVersion() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            try await client.send(FrontendBytes.startup([("user", "a"), ("_pq_.thing", "1")], version: 3 << 16 | 2))
            let messages = try await client.read(until: "Z")
            let negotiate = try #require(messages.first)
            #expect(negotiate.type == "v")
            var body = negotiate.body
            #expect(body.readInteger(as: Int32.self) == 0)
            #expect(body.readInteger(as: Int32.self) == 1)
            #expect(body.readNullTerminatedString() == "_pq_.thing")
        }
    }

    @Test func simpleQueryRowsErrorsAndParameterStatus() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(provider: provider, rowBatchSize: 3) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.query("rows 5; set; fail; rows 1"))
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["T", "D", "D", "D", "D", "D", "C", "C", "S", "E", "Z"])
            #expect(reply[1].dataRow == ["0", "row 0"])
            #expect(reply[5].dataRow == ["4", "row 4"])
            #expect(reply[6].string == "SELECT 5")
            #expect(reply[8].string == "application_name")
            #expect(reply[9].field("C") == "42P01")
            #expect(reply[9].field("P") == "1")
            #expect(reply[9].field("H") == "Create it first.")
            #expect(!provider.log.all.contains("execute rows 1"))
            #expect(provider.log.all.contains("statementFailed"))

            try await client.send(FrontendBytes.query(""))
            #expect(try await client.read(until: "Z").map(\.type) == ["I", "Z"])

            try await client.send(FrontendBytes.query("badsyntax x"))
            let syntax = try await client.read(until: "Z")
            #expect(syntax.first?.field("C") == "42601")
            #expect(syntax.first?.field("P") == "5")
        }
    }

    @Test func transactionStatusComesFromTheSession() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            func status(_ sql: String) async throws -> Character? {
                try await client.send(FrontendBytes.query(sql))
                let z = try await client.read(until: "Z").last
                return z.map { var b = $0.body; return Character(UnicodeScalar(b.readInteger(as: UInt8.self)!)) }
            }
            #expect(try await status("begin") == "T")
            #expect(try await status("fail") == "E")
            #expect(try await status("commit") == "I")
        }
    }

    @Test func extendedQueryWithPortalSuspension() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.parse("s1", "rows 5"), FrontendBytes.describe("S", "s1"),
                                  FrontendBytes.bind(portal: "p", statement: "s1"),
                                  FrontendBytes.describe("P", "p"),
                                  FrontendBytes.execute("p", maxRows: 2), FrontendBytes.execute("p", maxRows: 2),
                                  FrontendBytes.execute("p", maxRows: 2), FrontendBytes.sync)
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["1", "t", "T", "2", "T", "D", "D", "s", "D", "D", "s", "D", "C", "Z"])
            #expect(reply[12].string == "SELECT 5")
            #expect(reply[11].dataRow == ["4", "row 4"])
            // After Sync the portal is gone, the named statement is not.
            try await client.send(FrontendBytes.execute("p"), FrontendBytes.sync)
            let gone = try await client.read(until: "Z")
            #expect(gone.first?.field("C") == "34000")
            try await client.send(FrontendBytes.bind(statement: "s1"), FrontendBytes.execute(), FrontendBytes.sync)
            #expect(try await client.read(until: "Z").map(\.type) == ["2", "D", "D", "D", "D", "D", "C", "Z"])
        }
    }

    @Test func extendedQueryErrorSkipsUntilSync() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(provider: provider) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.parse("", "fail"), FrontendBytes.bind(), FrontendBytes.execute(),
                                  FrontendBytes.parse("", "rows 1"), FrontendBytes.bind(), FrontendBytes.execute(),
                                  FrontendBytes.sync)
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["1", "2", "E", "Z"])
            #expect(!provider.log.all.contains("execute rows 1"))
            // Parse with two statements.
            try await client.send(FrontendBytes.parse("", "rows 1; rows 2"), FrontendBytes.sync)
            let multi = try await client.read(until: "Z")
            #expect(multi.first?.field("C") == "42601")
            #expect(multi.first?.field("M") == "cannot insert multiple commands into a prepared statement")
            // Named statement twice.
            try await client.send(FrontendBytes.parse("x", "rows 1"), FrontendBytes.parse("x", "rows 1"), FrontendBytes.sync)
            let dup = try await client.read(until: "Z")
            #expect(dup.map(\.type) == ["1", "E", "Z"])
            #expect(dup[1].field("C") == "42P05")
        }
    }

    @Test func bindParametersTextAndBinaryAndResultFormats() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            // $1 int4 in binary, $2 int8 in text, $3 NULL.
            try await client.send(FrontendBytes.parse("", "echo", [23, 20, 23]),
                                  FrontendBytes.bind(formats: [1, 0, 0], params: [[0, 0, 1, 0], Array("42".utf8), nil],
                                                     resultFormats: [0, 1, 0]),
                                  FrontendBytes.execute(), FrontendBytes.sync)
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["1", "2", "D", "C", "Z"])
            var row = reply[2].body
            #expect(row.readInteger(as: Int16.self) == 3)
            #expect(row.readInteger(as: Int32.self) == 3)
            #expect(row.readString(length: 3) == "256")
            #expect(row.readInteger(as: Int32.self) == 8)
            #expect(row.readInteger(as: Int64.self) == 42)
            #expect(row.readInteger(as: Int32.self) == -1)

            // Wrong parameter count, bad binary length, bad text.
            try await client.send(FrontendBytes.parse("", "echo", [23]), FrontendBytes.bind(params: []), FrontendBytes.sync)
            #expect(try await client.read(until: "Z").first { $0.type == "E" }?.field("C") == "08P01")
            try await client.send(FrontendBytes.parse("", "echo", [23]), FrontendBytes.bind(formats: [1], params: [[1, 2]]),
                                  FrontendBytes.sync)
            #expect(try await client.read(until: "Z").first { $0.type == "E" }?.field("C") == "22P03")
            try await client.send(FrontendBytes.parse("", "echo", [23]), FrontendBytes.bind(params: [Array("x1".utf8)]),
                                  FrontendBytes.sync)
            #expect(try await client.read(until: "Z").first { $0.type == "E" }?.field("C") == "22P02")
        }
    }

    @Test func copyFromStdinFeedsDataInChunksAndReportsTag() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(provider: provider) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.query("copyin; rows 1"))
            let response = try #require(try await client.read())
            #expect(response.type == "G")
            var lines = ByteBuffer()
            let lineCount = 20_000
            for i in 0..<lineCount {
                var frame = FrontendBytes.copyData("\(i)\tx\n")
                lines.writeBuffer(&frame)
            }
            try await client.send(lines, FrontendBytes.copyDone)
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["C", "T", "D", "C", "Z"])
            #expect(reply[0].string == "COPY \(lineCount)")
            let finished = try #require(provider.log.all.first { $0.hasPrefix("copy finished") })
            let chunks = Int(finished.split(separator: " ")[6])!
            // Frames arriving together are merged: far fewer receive calls than lines.
            #expect(chunks < lineCount / 10)
        }
    }

    @Test func copyFailAndCopyErrors() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(provider: provider) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.query("copyin"))
            #expect(try await client.read()?.type == "G")
            try await client.send(FrontendBytes.copyData("1\n"), FrontendBytes.copyFail("user said no"))
            let failed = try await client.read(until: "Z")
            #expect(failed.map(\.type) == ["E", "Z"])
            #expect(failed[0].field("C") == "57014")
            #expect(failed[0].field("M") == "COPY from stdin failed: user said no")
            #expect(provider.log.all.contains("copy aborted: user said no"))

            // An error from the Engine: data is ignored until CopyDone, then ReadyForQuery.
            try await client.send(FrontendBytes.query("copyin"))
            #expect(try await client.read()?.type == "G")
            try await client.send(FrontendBytes.copyData("BAD\n"))
            let error = try #require(try await client.read())
            #expect(error.type == "E")
            #expect(error.field("C") == "22P04")
            try await client.send(FrontendBytes.copyData("more\n"), FrontendBytes.copyDone)
            #expect(try await client.read(until: "Z").map(\.type) == ["Z"])
            // The session is still usable.
            try await client.send(FrontendBytes.query("rows 1"))
            #expect(try await client.read(until: "Z").map(\.type) == ["T", "D", "C", "Z"])
        }
    }

    @Test func extendedCopyIgnoresSyncInsideCopy() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            // libpq sends Sync right after Execute, before any copy data.
            try await client.send(FrontendBytes.parse("", "copyin"), FrontendBytes.bind(), FrontendBytes.execute(),
                                  FrontendBytes.sync)
            #expect(try await client.read(until: "G").map(\.type) == ["1", "2", "G"])
            try await client.send(FrontendBytes.copyData("a\nb\n"), FrontendBytes.copyDone, FrontendBytes.sync)
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["C", "Z"])
            #expect(reply[0].string == "COPY 2")
        }
    }

    @Test func copyOut() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.query("copyout"))
            let reply = try await client.read(until: "Z")
            #expect(reply.map(\.type) == ["H", "d", "d", "d", "c", "C", "Z"])
            #expect(reply[1].body.getString(at: reply[1].body.readerIndex, length: 4) == "1\ta\n")
        }
    }

    @Test func hostileInputIsAnsweredAndOtherSessionsAreUndisturbed() async throws {
        try await withTestServer(provider: ScriptedProvider(), maxMessageSize: 1000) { server in
            let bystander = try await WireTestClient(port: server.localPort)
            _ = try await bystander.startup()

            // Unknown message type: FATAL 08P01 and close.
            let a = try await WireTestClient(port: server.localPort)
            _ = try await a.startup()
            try await a.send(FrontendBytes.typed("!") { $0.writeInteger(UInt8(1)) })
            let unknown = try #require(try await a.read())
            #expect(unknown.field("S") == "FATAL")
            #expect(unknown.field("C") == "08P01")
            #expect(unknown.field("M")?.contains("invalid frontend message type") == true)
            #expect(try await a.read() == nil)

            // A length below 4.
            let b = try await WireTestClient(port: server.localPort)
            _ = try await b.startup()
            var bad = ByteBuffer()
            bad.writeInteger(UInt8(ascii: "Q"))
            bad.writeInteger(Int32(2))
            try await b.send(bad)
            let badLength = try #require(try await b.read())
            #expect(badLength.field("C") == "08P01")
            #expect(badLength.field("M")?.contains("invalid message length") == true)
            #expect(try await b.read() == nil)

            // Oversized message.
            let c = try await WireTestClient(port: server.localPort)
            _ = try await c.startup()
            try await c.send(FrontendBytes.query(String(repeating: "x", count: 2000)))
            let oversized = try #require(try await c.read())
            #expect(oversized.field("C") == "08P01")
            #expect(oversized.field("M")?.contains("exceeds the limit") == true)
            #expect(try await c.read() == nil)

            // Invalid UTF-8 in query text: an ERROR, the session goes on.
            let d = try await WireTestClient(port: server.localPort)
            _ = try await d.startup()
            try await d.send(FrontendBytes.typed("Q") { $0.writeBytes([0x72, 0xFF, 0xFE, 0]) })
            let utf8 = try await d.read(until: "Z")
            #expect(utf8.map(\.type) == ["E", "Z"])
            #expect(utf8[0].field("C") == "22021")
            // A truncated string inside a complete frame: an ERROR, the session goes on.
            try await d.send(FrontendBytes.typed("Q") { $0.writeString("rows 1") })
            let truncated = try await d.read(until: "Z")
            #expect(truncated[0].field("C") == "08P01")
            try await d.send(FrontendBytes.query("rows 1"))
            #expect(try await d.read(until: "Z").map(\.type) == ["T", "D", "C", "Z"])

            // Invalid UTF-8 in a startup parameter.
            let e = try await WireTestClient(port: server.localPort)
            var startup = ByteBuffer()
            startup.writeInteger(Int32(4 + 4 + 5 + 4 + 1))
            startup.writeInteger(UInt32(196608))
            startup.writeBytes(Array("user".utf8) + [0, 0xC3, 0x28, 0xFF, 0, 0])
            try await e.send(startup)
            let badStartup = try #require(try await e.read())
            #expect(badStartup.field("C") == "08P01")
            #expect(badStartup.field("M")?.contains("UTF-8") == true)

            // A truncated frame followed by a disconnect: nothing breaks.
            let f = try await WireTestClient(port: server.localPort)
            _ = try await f.startup()
            var partial = ByteBuffer()
            partial.writeInteger(UInt8(ascii: "Q"))
            partial.writeInteger(Int32(100))
            partial.writeString("rows")
            try await f.send(partial)
            await f.close()

            try await bystander.send(FrontendBytes.query("rows 2"))
            #expect(try await bystander.read(until: "Z").map(\.type) == ["T", "D", "D", "C", "Z"])
        }
    }

    @Test func cancelRequestStopsAnEndlessStatementOfAnotherConnection() async throws {
        try await withTestServer(provider: ScriptedProvider(), rowBatchSize: 4) { server in
            let client = try await WireTestClient(port: server.localPort)
            let greeting = try await client.startup()
            var key = try #require(greeting.first { $0.type == "K" }).body
            let pid = key.readInteger(as: Int32.self)!
            let secret = key.readInteger(as: Int32.self)!
            try await client.send(FrontendBytes.query("endless"))
            #expect(try await client.read()?.type == "T")
            #expect(try await client.read()?.type == "D")

            let wrong = try await WireTestClient(port: server.localPort)
            try await wrong.send(FrontendBytes.untyped(code: 80877102, extra: [pid, secret &+ 1]))
            #expect(try await wrong.read() == nil)

            let canceller = try await WireTestClient(port: server.localPort)
            try await canceller.send(FrontendBytes.untyped(code: 80877102, extra: [pid, secret]))
            #expect(try await canceller.read() == nil)
            let rest = try await client.read(until: "Z")
            let error = try #require(rest.first { $0.type == "E" })
            #expect(error.field("C") == "57014")
            #expect(rest.last?.type == "Z")
        }
    }

    @Test func connectionClosedMidStatementClosesTheSession() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(provider: provider, rowBatchSize: 4) { server in
            let client = try await WireTestClient(port: server.localPort)
            _ = try await client.startup()
            try await client.send(FrontendBytes.query("endless"))
            #expect(try await client.read()?.type == "T")
            await client.close()
            for _ in 0..<500 where !provider.log.all.contains("close") {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(provider.log.all.contains("close"))
            #expect(server.registry.count == 0)
        }
    }
}
