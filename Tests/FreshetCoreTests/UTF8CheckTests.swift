@testable import FreshetCore
import Testing

/// UTF8Check.characterCount (with its 8-bytes-at-a-time ASCII path) against the
/// standard library's UTF-8 validation: same verdict and the same character count.
@Suite struct UTF8CheckTests {
    static func reference(_ bytes: [UInt8]) -> Int? {
        guard !bytes.contains(0), let s = String(validating: bytes, as: UTF8.self) else { return nil }
        return s.unicodeScalars.count
    }

    static func check(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { UTF8Check.characterCount($0) }
    }

    @Test func asciiWithAndWithoutNULAtEveryPosition() {
        for length in 0..<40 {
            let ascii = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            #expect(Self.check(ascii) == length)
            for p in 0..<length {
                var withNUL = ascii
                withNUL[p] = 0
                #expect(Self.check(withNUL) == nil, "NUL at \(p) of \(length)")
                var high = ascii
                high[p] = 0x80   // a lone continuation byte
                #expect(Self.check(high) == nil, "0x80 at \(p) of \(length)")
            }
        }
    }

    @Test func multibyteAndInvalidSequencesAgreeWithTheStandardLibrary() {
        let pieces: [[UInt8]] = [
            Array("abcdefgh".utf8), Array("é".utf8), Array("€".utf8), Array("𝄞".utf8), Array("x".utf8),
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xC3], [0],
        ]
        var rng = SystemRandomNumberGenerator()
        var invalid = 0, valid = 0
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                // Mostly valid pieces, so that long valid runs cross 8-byte boundaries.
                let i = Int.random(in: 0..<100, using: &rng) < 90 ? Int.random(in: 0..<5, using: &rng)
                                                                   : Int.random(in: 5..<pieces.count, using: &rng)
                bytes += pieces[i]
            }
            let expected = Self.reference(bytes)
            #expect(Self.check(bytes) == expected, "\(bytes)")
            if expected == nil { invalid += 1 } else { valid += 1 }
        }
        #expect(invalid > 100 && valid > 100)
    }
}
