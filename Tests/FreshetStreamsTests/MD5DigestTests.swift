import Crypto
import Testing
@testable import FreshetStreams

/// The hand-written MD5 behind partition keys gives swift-crypto's digest for every length
/// around the block and padding boundaries, and RFC 1321's test vectors.
@Suite struct MD5DigestTests {
    static func reference(_ bytes: [UInt8]) -> UInt128 {
        Insecure.MD5.hash(data: bytes).withUnsafeBytes { d in
            var v: UInt128 = 0
            for b in d { v = v << 8 | UInt128(b) }
            return v
        }
    }

    static func ours(_ bytes: [UInt8]) -> UInt128 { bytes.withUnsafeBytes { MD5Digest.hashKey($0) } }

    @Test func rfc1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, hex) in vectors {
            #expect(String(Self.ours(Array(input.utf8)), radix: 16).leftPadded(to: 32) == hex, "MD5(\"\(input)\")")
        }
    }

    @Test func matchesSwiftCryptoOnEveryLengthUpTo300() {
        var rng = SystemRandomNumberGenerator()
        for length in 0...300 {
            for _ in 0..<4 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                #expect(Self.ours(bytes) == Self.reference(bytes), "length \(length)")
            }
        }
    }

    @Test func partitionHashUsesIt() {
        let key = Array("user-42".utf8)
        #expect(PartitionHash.hashKey(key) == Self.reference(key))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
