@testable import FreshetCore
import Testing

/// COPY's fast path for plain decimals (`Value.shortDecimal`) must give exactly the
/// Double that the general path (strtod through `Double(String)`) gives, and must
/// leave everything else to that path.
@Suite struct ShortDecimalTests {
    func fast(_ s: String) -> Double? {
        Array(s.utf8).withUnsafeBytes { Value.shortDecimal($0) }
    }

    @Test func plainDecimalsMatchStrtodBitForBit() {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<200_000 {
            let intDigits = Int.random(in: 0...15, using: &rng)
            let fracDigits = Int.random(in: 0...(15 - intDigits), using: &rng)
            if intDigits + fracDigits == 0 { continue }
            var s = Bool.random(using: &rng) ? "-" : ""
            for _ in 0..<intDigits { s.append(Character(String(Int.random(in: 0...9, using: &rng)))) }
            if fracDigits > 0 || Bool.random(using: &rng) { s += "." }
            for _ in 0..<fracDigits { s.append(Character(String(Int.random(in: 0...9, using: &rng)))) }
            guard let expected = Double(s) else { continue }
            let got = fast(s)
            #expect(got?.bitPattern == expected.bitPattern, "\(s): \(String(describing: got)) vs \(expected)")
            checked += 1
        }
        #expect(checked > 150_000)
        for s in ["0.1", "0.3", "123.456", "999999999999999", "0.00000000000001", "-0", "-0.0", "+5", ".5", "5."] {
            #expect(fast(s)?.bitPattern == Double(s)!.bitPattern, "\(s)")
        }
    }

    @Test func anythingElseTakesTheGeneralPath() {
        for s in ["", "-", ".", "1e5", "1.2.3", "1234567890123456", "0.1234567890123456", "NaN", "inf", "0x1p3", " 1", "1 ", "--1", "1-"] {
            #expect(fast(s) == nil, "\(s)")
        }
    }

    @Test func parseDoubleStillRefusesWhatItRefused() throws {
        for s in [".", "-", "1.2.3", "abc"] {
            #expect(throws: FreshetError.self) { try Array(s.utf8).withUnsafeBytes { try Value.parseDouble($0) } }
        }
        #expect(try Array(" 12.5 ".utf8).withUnsafeBytes { try Value.parseDouble($0) } == 12.5)
    }
}
