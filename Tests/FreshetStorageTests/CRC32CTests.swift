import Testing
@testable import FreshetStorage

@Suite struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    // RFC 3720 (iSCSI), appendix B.4.
    @Test func rfc3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// Bitwise reference implementation, to compare the sliced one against.
    func slowCRC(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    @Test func matchesBitwiseAtEveryLengthAndAlignment() {
        var bytes: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<300 { x = x &* 1_103_515_245 &+ 12345; bytes.append(UInt8(truncatingIfNeeded: x >> 16)) }
        for start in 0..<9 {
            for length in stride(from: 0, through: 280, by: 7) {
                let slice = Array(bytes[start..<(start + length)])
                let sliced = bytes.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                }
                #expect(sliced == slowCRC(slice), "start \(start) length \(length)")
            }
        }
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let whole = CRC32C.checksum(bytes)
        for cut in [0, 1, 5, 8, 13, 500, 999, 1000] {
            let state = bytes.withUnsafeBytes { buf -> UInt32 in
                let a = CRC32C.update(CRC32C.initialState, UnsafeRawBufferPointer(rebasing: buf[0..<cut]))
                return CRC32C.update(a, UnsafeRawBufferPointer(rebasing: buf[cut...]))
            }
            #expect(CRC32C.finalize(state) == whole)
        }
    }
}
