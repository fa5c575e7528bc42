import Testing
@testable import FreshetCore

/// COPY field encoding; expected bytes are what PostgreSQL 15's `COPY … TO STDOUT`
/// wrote for the same rows (text and CSV formats).
@Suite struct CopyFormatTests {
    static let rows: [[Value]] = [
        [.string("tab\there\nnew\\back\rcr"), .bytes([0, 255]), .null],
        [.string(""), .bytes([]), .int(1)],
        [.string("a,b\"c"), .null, .int(2)],
        [.string("\\."), .null, .int(3)],
    ]
    static let types: [DataType] = [.text, .bytea, .integer]

    static func lines(_ format: (Value, DataType, inout [UInt8]) -> Void, separator: UInt8) -> String {
        var out: [UInt8] = []
        for row in rows {
            for (i, v) in row.enumerated() {
                if i > 0 { out.append(separator) }
                format(v, types[i], &out)
            }
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func textFormatMatchesPostgres() {
        let text = Self.lines({ CopyFormat.appendCopyText($0, as: $1, to: &$2) }, separator: 0x09)
        #expect(text == "tab\\there\\nnew\\\\back\\rcr\t\\\\x00ff\t\\N\n\t\\\\x\t1\na,b\"c\t\\N\t2\n\\\\.\t\\N\t3\n")
    }

    @Test func csvFormatMatchesPostgres() {
        let csv = Self.lines({ CopyFormat.appendCSV($0, as: $1, to: &$2) }, separator: UInt8(ascii: ","))
        #expect(csv == "\"tab\there\nnew\\back\rcr\",\\x00ff,\n\"\",\\x,1\n\"a,b\"\"c\",,2\n\\.,,3\n")
        var single: [UInt8] = []
        CopyFormat.appendCSV(.string("\\."), as: .text, to: &single, singleColumn: true)
        #expect(single == Array("\"\\.\"".utf8))
    }

    @Test func otherEscapesAndDelimiters() {
        var b: [UInt8] = []
        CopyFormat.appendCopyText(.string("a|b\u{8}\u{C}\u{B}\u{1}"), as: .text, to: &b, delimiter: UInt8(ascii: "|"))
        #expect(b == Array("a\\|b\\b\\f\\v\u{1}".utf8))
        b.removeAll()
        CopyFormat.appendCopyText(.string("ab"), as: .char(4), to: &b)
        CopyFormat.appendCopyText(.double(1e20), as: .double, to: &b)
        #expect(String(decoding: b, as: UTF8.self) == "ab  1e+20")
    }

    static func unescape(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        Array(s.utf8).withUnsafeBytes { CopyFormat.unescapeText($0, into: &out) }
        return out
    }

    @Test func unescapingText() {
        #expect(Self.unescape("plain") == Array("plain".utf8))
        #expect(Self.unescape("tab\\there\\nnew\\\\back\\rcr") == Array("tab\there\nnew\\back\rcr".utf8))
        #expect(Self.unescape("\\b\\f\\v") == [8, 12, 11])
        #expect(Self.unescape("\\101\\7x\\08") == [65, 7, UInt8(ascii: "x"), 0, UInt8(ascii: "8")])
        #expect(Self.unescape("\\x41\\x4g\\xz") == [0x41, 4, UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "z")])
        #expect(Self.unescape("\\q\\") == [UInt8(ascii: "q"), UInt8(ascii: "\\")])
        #expect(Array("\\N".utf8).withUnsafeBytes { CopyFormat.isTextNull($0) })
        #expect(!Array("\\\\N".utf8).withUnsafeBytes { CopyFormat.isTextNull($0) })
        #expect(Array("a\\tb".utf8).withUnsafeBytes { CopyFormat.needsUnescaping($0) })
        #expect(!Array("a b".utf8).withUnsafeBytes { CopyFormat.needsUnescaping($0) })
    }

    @Test func escapeThenUnescapeIsIdentity() {
        let samples = ["", "x", "\\", "\t\n\r", "\\N", "multi\\\\slash", "日本語\ttab", String(decoding: (1...127).map { UInt8($0) }, as: UTF8.self)]
        for s in samples {
            var escaped: [UInt8] = []
            CopyFormat.appendCopyText(.string(s), as: .text, to: &escaped)
            #expect(!escaped.contains(0x0A) && !escaped.contains(0x09))
            var back: [UInt8] = []
            escaped.withUnsafeBytes { CopyFormat.unescapeText($0, into: &back) }
            #expect(back == Array(s.utf8))
        }
    }

    @Test func unquotingCSV() {
        func unquote(_ s: String) -> (String, Bool) {
            var out: [UInt8] = []
            let ok = Array(s.utf8).withUnsafeBytes { CopyFormat.unquoteCSV($0, into: &out) }
            return (String(decoding: out, as: UTF8.self), ok)
        }
        #expect(unquote("plain") == ("plain", true))
        #expect(unquote("\"a,b\"\"c\"") == ("a,b\"c", true))
        #expect(unquote("\"\"") == ("", true))
        #expect(unquote("x\"y\"z") == ("xyz", true))
        #expect(unquote("\"open") == ("open", false))
    }
}
