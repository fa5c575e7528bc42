import NIOCore
import NIOTestUtils
import Testing
@testable import FreshetWire

@Suite("FrontendMessageDecoder")
struct FrontendMessageDecoderTests {
    func verifyTyped(_ pairs: [(ByteBuffer, [FrontendMessage])]) throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            FrontendMessageDecoder(expectsStartup: false)
        }
    }

    /// The verifier feeds one decoder the same input repeatedly, which does not fit
    /// a first message (it comes once) or CopyData (repeats merge); so these are
    /// checked here with a fresh decoder for every split point.
    func verifyEverySplit(_ input: ByteBuffer, _ output: FrontendMessage, expectsStartup: Bool = true) throws {
        for cut in 0...input.readableBytes {
            var decoder = FrontendMessageDecoder(expectsStartup: expectsStartup)
            var buffer = input.getSlice(at: input.readerIndex, length: cut)!
            var produced = try decoder.decode(buffer: &buffer)
            if cut < input.readableBytes {
                #expect(produced == nil)
                #expect(buffer.readableBytes == cut)
                var rest = input.getSlice(at: input.readerIndex + cut, length: input.readableBytes - cut)!
                buffer.writeBuffer(&rest)
                produced = try decoder.decode(buffer: &buffer)
            }
            #expect(produced == output)
            #expect(buffer.readableBytes == 0)
        }
    }

    func verifyStartup(_ input: ByteBuffer, _ output: FrontendMessage) throws {
        try verifyEverySplit(input, output)
    }

    @Test func untypedFirstMessages() throws {
        try verifyStartup(FrontendBytes.startup([("user", "alice"), ("database", "db"), ("application_name", "psql")]),
                          .startup(StartupMessage(parameters: ["user": "alice", "database": "db", "application_name": "psql"])))
        try verifyStartup(FrontendBytes.untyped(code: 80877103), .sslRequest)
        try verifyStartup(FrontendBytes.untyped(code: 80877104), .gssEncRequest)
        try verifyStartup(FrontendBytes.untyped(code: 80877102, extra: [42, -7]), .cancelRequest(CancelRequest(processID: 42, secretKey: -7)))
        try verifyStartup(FrontendBytes.untyped(code: 2 << 16), .unsupportedProtocolVersion(ProtocolVersion(major: 2, minor: 0)))
    }

    @Test func sslRequestKeepsTheDecoderInStartupMode() throws {
        var decoder = FrontendMessageDecoder()
        var buffer = FrontendBytes.untyped(code: 80877103) + FrontendBytes.startup([("user", "u")]) + FrontendBytes.sync
        #expect(try decoder.decode(buffer: &buffer) == .sslRequest)
        #expect(try decoder.decode(buffer: &buffer) == .startup(StartupMessage(parameters: ["user": "u"])))
        #expect(try decoder.decode(buffer: &buffer) == .sync)
    }

    @Test func typedMessages() throws {
        try verifyTyped([
            (FrontendBytes.query("select 1"), [.query("select 1")]),
            (FrontendBytes.parse("s", "select $1", [23]), [.parse(ParseMessage(statementName: "s", query: "select $1", parameterTypeOIDs: [23]))]),
            (FrontendBytes.bind(portal: "p", statement: "s", formats: [1], params: [[0, 0, 0, 1], nil], resultFormats: [0, 1]),
             [.bind(BindMessage(portalName: "p", statementName: "s", parameterFormats: [.binary],
                                parameters: [ByteBuffer(bytes: [0, 0, 0, 1]), nil], resultFormats: [.text, .binary]))]),
            (FrontendBytes.describe("S", "s"), [.describe(ObjectReference(kind: .statement, name: "s"))]),
            (FrontendBytes.describe("P"), [.describe(ObjectReference(kind: .portal, name: ""))]),
            (FrontendBytes.execute("p", maxRows: 10), [.execute(ExecuteMessage(portalName: "p", maxRows: 10))]),
            (FrontendBytes.close("P", "p"), [.close(ObjectReference(kind: .portal, name: "p"))]),
            (FrontendBytes.sync, [.sync]),
            (FrontendBytes.flush, [.flush]),
            (FrontendBytes.terminate, [.terminate]),
            (FrontendBytes.copyDone, [.copyDone]),
            (FrontendBytes.copyFail("oops"), [.copyFail("oops")]),
            (FrontendBytes.password([1, 2, 3]), [.password(ByteBuffer(bytes: [1, 2, 3]))]),
        ])
    }

    @Test func copyDataAloneAndMerged() throws {
        try verifyEverySplit(FrontendBytes.copyData("a\tb\n"), .copyData(ByteBuffer(string: "a\tb\n")), expectsStartup: false)
        var decoder = FrontendMessageDecoder(expectsStartup: false)
        var buffer = FrontendBytes.copyData("1\n") + FrontendBytes.copyData("2\n") + FrontendBytes.copyData("3\n")
            + FrontendBytes.copyDone + FrontendBytes.copyData("4\n")
        #expect(try decoder.decode(buffer: &buffer) == .copyData(ByteBuffer(string: "1\n2\n3\n")))
        #expect(try decoder.decode(buffer: &buffer) == .copyDone)
        #expect(try decoder.decode(buffer: &buffer) == .copyData(ByteBuffer(string: "4\n")))
        // A partial CopyData frame after a complete one is left for later.
        var partial = FrontendBytes.copyData("5\n") + FrontendBytes.copyData("6\n").getSlice(at: 0, length: 6)!
        #expect(try decoder.decode(buffer: &partial) == .copyData(ByteBuffer(string: "5\n")))
        #expect(partial.readableBytes == 6)
        #expect(try decoder.decode(buffer: &partial) == nil)
    }

    @Test func incompleteFramesAreNotConsumed() throws {
        var decoder = FrontendMessageDecoder(expectsStartup: false)
        let whole = FrontendBytes.query("select 1")
        for cut in 0..<whole.readableBytes {
            var part = whole.getSlice(at: 0, length: cut)!
            #expect(try decoder.decode(buffer: &part) == nil)
            #expect(part.readableBytes == cut)
        }
    }

    @Test func badLengthsAndTypesThrow() throws {
        var decoder = FrontendMessageDecoder(maxMessageSize: 100, expectsStartup: false)
        var short = ByteBuffer(bytes: [UInt8(ascii: "Q"), 0, 0, 0, 3])
        #expect(throws: WireProtocolError.self) { try decoder.decode(buffer: &short) }
        var negative = ByteBuffer(bytes: [UInt8(ascii: "S"), 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: WireProtocolError.self) { try decoder.decode(buffer: &negative) }
        var huge = ByteBuffer(bytes: [UInt8(ascii: "Q"), 0, 0, 1, 0])
        #expect(throws: WireProtocolError("message of 252 bytes exceeds the limit of 100 bytes")) { try decoder.decode(buffer: &huge) }
        var unknown = ByteBuffer(bytes: [UInt8(ascii: "!"), 0, 0, 0, 4])
        #expect(throws: WireProtocolError("invalid frontend message type 33")) { try decoder.decode(buffer: &unknown) }

        var startup = FrontendMessageDecoder()
        var tiny = ByteBuffer(bytes: [0, 0, 0, 4, 0, 0, 0, 0])
        #expect(throws: WireProtocolError.self) { try startup.decode(buffer: &tiny) }
        var big = ByteBuffer(bytes: [0, 0, 0x30, 0, 0, 3, 0, 0])
        #expect(throws: WireProtocolError.self) { try startup.decode(buffer: &big) }
        var noTerminator = ByteBuffer(bytes: [0, 0, 0, 13, 0, 3, 0, 0] + Array("user".utf8) + [0])
        #expect(throws: WireProtocolError.self) { try startup.decode(buffer: &noTerminator) }
    }

    @Test func invalidPayloadsDecodeToInvalid() throws {
        var decoder = FrontendMessageDecoder(expectsStartup: false)
        var noTerminator = FrontendBytes.typed("Q") { $0.writeString("select") }
        guard case .invalid(UInt8(ascii: "Q"), let e1) = try decoder.decode(buffer: &noTerminator) else { Issue.record(); return }
        #expect(e1.sqlState == "08P01")
        var badUTF8 = FrontendBytes.typed("Q") { $0.writeBytes([0xC3, 0x28, 0]) }
        guard case .invalid(_, let e2) = try decoder.decode(buffer: &badUTF8) else { Issue.record(); return }
        #expect(e2.sqlState == "22021")
        var trailing = FrontendBytes.typed("S") { $0.writeInteger(UInt8(1)) }
        guard case .invalid(UInt8(ascii: "S"), _) = try decoder.decode(buffer: &trailing) else { Issue.record(); return }
        var shortBind = FrontendBytes.typed("B") { b in
            FrontendBytes.cstring("", &b); FrontendBytes.cstring("", &b)
            b.writeInteger(Int16(0)); b.writeInteger(Int16(1)); b.writeInteger(Int32(10)); b.writeBytes([1, 2])
        }
        guard case .invalid(UInt8(ascii: "B"), let e3) = try decoder.decode(buffer: &shortBind) else { Issue.record(); return }
        #expect(e3.message == "insufficient data left in message")
        var badFormat = FrontendBytes.bind(formats: [7])
        guard case .invalid(_, let e4) = try decoder.decode(buffer: &badFormat) else { Issue.record(); return }
        #expect(e4.sqlState == "22023")
        // The stream stays in step: the next message decodes.
        var next = FrontendBytes.sync
        #expect(try decoder.decode(buffer: &next) == .sync)
    }
}
