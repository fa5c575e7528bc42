import FreshetCore
import FreshetEngine
import NIOCore
import Testing
@testable import FreshetWire

@Suite("BackendMessageEncoder")
struct BackendMessageEncoderTests {
    func bytes(_ m: BackendMessage) -> [UInt8] {
        var b = ByteBuffer()
        BackendMessageEncoder.encode(m, into: &b)
        return Array(b.readableBytesView)
    }

    func s(_ string: String) -> [UInt8] { Array(string.utf8) + [0] }

    @Test func fixedMessages() {
        #expect(bytes(.authentication(.ok)) == [0x52, 0, 0, 0, 8, 0, 0, 0, 0])
        #expect(bytes(.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])))
                == [0x52, 0, 0, 0, 23, 0, 0, 0, 10] + s("SCRAM-SHA-256") + [0])
        #expect(bytes(.authentication(.saslContinue(data: [1, 2]))) == [0x52, 0, 0, 0, 10, 0, 0, 0, 11, 1, 2])
        #expect(bytes(.authentication(.saslFinal(data: [3]))) == [0x52, 0, 0, 0, 9, 0, 0, 0, 12, 3])
        #expect(bytes(.parameterStatus(name: "a", value: "b")) == [0x53, 0, 0, 0, 8] + s("a") + s("b"))
        #expect(bytes(.backendKeyData(processID: 1, secretKey: -1)) == [0x4B, 0, 0, 0, 12, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(bytes(.readyForQuery(.idle)) == [0x5A, 0, 0, 0, 5, 0x49])
        #expect(bytes(.readyForQuery(.failed)) == [0x5A, 0, 0, 0, 5, 0x45])
        #expect(bytes(.commandComplete("SELECT 1")) == [0x43, 0, 0, 0, 13] + s("SELECT 1"))
        #expect(bytes(.emptyQueryResponse) == [0x49, 0, 0, 0, 4])
        #expect(bytes(.parseComplete) == [0x31, 0, 0, 0, 4])
        #expect(bytes(.bindComplete) == [0x32, 0, 0, 0, 4])
        #expect(bytes(.closeComplete) == [0x33, 0, 0, 0, 4])
        #expect(bytes(.noData) == [0x6E, 0, 0, 0, 4])
        #expect(bytes(.portalSuspended) == [0x73, 0, 0, 0, 4])
        #expect(bytes(.copyDone) == [0x63, 0, 0, 0, 4])
        #expect(bytes(.copyData([9, 8])) == [0x64, 0, 0, 0, 6, 9, 8])
        #expect(bytes(.parameterDescription([23, 25])) == [0x74, 0, 0, 0, 14, 0, 2, 0, 0, 0, 23, 0, 0, 0, 25])
        #expect(bytes(.copyInResponse(.text(columnCount: 2))) == [0x47, 0, 0, 0, 11, 0, 0, 2, 0, 0, 0, 0])
        #expect(bytes(.copyOutResponse(CopyResponse(format: .binary, columnFormats: [.binary])))
                == [0x48, 0, 0, 0, 9, 1, 0, 1, 0, 1])
        #expect(bytes(.negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: ["_pq_.x"]))
                == [0x76, 0, 0, 0, 19, 0, 0, 0, 0, 0, 0, 0, 1] + s("_pq_.x"))
    }

    @Test func rowDescription() {
        let column = RowDescriptionColumn(ResultColumn(name: "n", type: .integer, tableOID: 7, columnNumber: 2), format: .binary)
        #expect(bytes(.rowDescription([column])) == [0x54, 0, 0, 0, 26, 0, 1] + s("n")
                + [0, 0, 0, 7, 0, 2, 0, 0, 0, 23, 0, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1])
        let varchar = RowDescriptionColumn(ResultColumn(name: "v", type: .varchar(10)), format: .text)
        #expect(Array(bytes(.rowDescription([varchar]))[9...]) == [0, 0, 0, 0, 0, 0, 0, 0, 4, 0x13, 0xFF, 0xFF, 0, 0, 0, 14, 0, 0])
    }

    @Test func errorAndNoticeFields() {
        let error = ErrorResponse(FreshetError(.syntaxError, "bad", detail: "d", hint: "h", position: 12))
        #expect(bytes(.errorResponse(error)) == [0x45, 0, 0, 0, 41] + [0x53] + s("ERROR") + [0x56] + s("ERROR")
                + [0x43] + s("42601") + [0x4D] + s("bad") + [0x44] + s("d") + [0x48] + s("h") + [0x50] + s("12") + [0])
        let notice = ErrorResponse(severity: "NOTICE", code: "00000", message: "m")
        #expect(bytes(.noticeResponse(notice)) == [0x4E, 0, 0, 0, 31] + [0x53] + s("NOTICE") + [0x56] + s("NOTICE")
                + [0x43] + s("00000") + [0x4D] + s("m") + [0])
    }

    @Test func errorMapping() {
        let fatal = ErrorResponse(FreshetError(.adminShutdown, "bye", severity: .fatal))
        #expect(fatal.severity == "FATAL")
        #expect(fatal.code == "57P01")
        struct Oops: Error {}
        let other = ErrorResponse(anyError: Oops())
        #expect(other.code == "XX000")
        #expect(other.message.contains("Oops"))
        #expect(ErrorResponse(anyError: WireProtocolError("x")).code == "08P01")
    }

    @Test func dataRowTextAndBinaryAndNull() throws {
        var encoder = BackendMessageEncoder()
        var b = ByteBuffer()
        try encoder.writeDataRow([.int(-12), .null, .string("hé"), .bool(true), .int(5)],
                                 types: [.integer, .text, .text, .boolean, .smallint],
                                 formats: [.text, .text, .text, .text, .binary], into: &b)
        let expected: [UInt8] = [0x44, 0, 0, 0, 35, 0, 5,
                                 0, 0, 0, 3] + Array("-12".utf8) + [0xFF, 0xFF, 0xFF, 0xFF,
                                 0, 0, 0, 3] + Array("hé".utf8) + [0, 0, 0, 1, 0x74,
                                 0, 0, 0, 2, 0, 5]
        #expect(Array(b.readableBytesView) == expected)
    }

    @Test func dataRowEncodingErrorLeavesNothingBehind() {
        var encoder = BackendMessageEncoder()
        var b = ByteBuffer()
        b.writeInteger(UInt8(7))
        #expect(throws: FreshetError.self) {
            try encoder.writeDataRow([.int(1), .string("x")], types: [.integer, .bigint], formats: [.text, .binary], into: &b)
        }
        #expect(Array(b.readableBytesView) == [7])
    }
}
