import Testing
import Foundation
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

    /// The hardware path (three-lane loop for long inputs, 8-byte steps, byte tail) gives
    /// the software results for every length class, alignment and start state.
    @Test(.enabled(if: CRC32C.usesHardware)) func hardwareMatchesSoftware() {
        var bytes: [UInt8] = []
        var x: UInt32 = 99
        for _ in 0..<(64 << 10) { x = x &* 1_103_515_245 &+ 12345; bytes.append(UInt8(truncatingIfNeeded: x >> 16)) }
        let lengths = [0, 1, 7, 8, 9, 63, 64, 145, 1000, 6143, 6144, 6145, 6144 * 2 + 77, 50_000, (64 << 10) - 16]
        bytes.withUnsafeBytes { buf in
            for start in 0..<9 {
                for length in lengths {
                    for state in [CRC32C.initialState, 0, 0x1234_5678] {
                        let p = buf.baseAddress! + start
                        let hw = CRC32C.hardwareUpdate(state, p, length)
                        #expect(hw == CRC32C.softwareUpdate(state, p, length), "start \(start) length \(length) state \(state)")
                    }
                }
            }
        }
    }

    /// When the package links CFreshetCRC, the instruction is used exactly when the CPU
    /// reports SSE4.2.
    @Test(.enabled(if: CRC32C.hardwareLinked)) func hardwareIsUsedWhenTheCPUHasIt() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        #expect(CRC32C.usesHardware == flags.split(separator: " ").contains("sse4_2"))
        #endif
    }
}
