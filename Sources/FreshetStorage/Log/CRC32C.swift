// CRC32C: the Castagnoli CRC (polynomial 0x1EDC6F41, reflected 0x82F63B78) used to
// frame every log record and index file.
//
// Two implementations with the same results: the SSE4.2 `crc32` instruction through the
// small C target CFreshetCRC when the package links it and the CPU has the instruction
// (checked once, with cpuid), else a portable table-driven "slicing-by-8" (Intel's
// technique: eight 256-entry tables, eight bytes per step). Measured rates are in
// docs/storage-format.md.
//
// The CRC is streamable: `update(state, bytes)` continues a raw (non-finalized) state,
// which lets producers checksum a record body before the committer appends the
// sequence number and rowtime to it. Check value: CRC32C("123456789") = 0xE3069283.

#if canImport(CFreshetCRC)
import CFreshetCRC
#endif

/// CRC32C (Castagnoli) over byte buffers.
public enum CRC32C {
    /// The raw state before any byte (all ones, per the standard pre-conditioning).
    public static let initialState: UInt32 = 0xFFFF_FFFF

    /// Eight 256-entry tables, laid out contiguously: table k at [k*256 ..< (k+1)*256].
    nonisolated(unsafe) static let tables: UnsafeMutablePointer<UInt32> = {
        let poly: UInt32 = 0x82F6_3B78
        let t = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        return t
    }()

    /// Whether the package links the C target with the hardware implementation.
    static var hardwareLinked: Bool {
        #if canImport(CFreshetCRC)
        return true
        #else
        return false
        #endif
    }

    /// Whether `update` uses the CPU's crc32 instruction.
    public static let usesHardware: Bool = {
        #if canImport(CFreshetCRC)
        return freshet_crc32c_hardware_available() != 0
        #else
        return false
        #endif
    }()

    /// Continue the raw `state` over `count` bytes at `base`. Does not finalize.
    @inline(__always)
    public static func update(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32 {
        #if canImport(CFreshetCRC)
        if usesHardware { return freshet_crc32c_hardware_update(state, base, count) }
        #endif
        return softwareUpdate(state, base, count)
    }

    /// The hardware implementation, or nil when it is not available (tests compare it
    /// with the software one).
    static func hardwareUpdate(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32? {
        #if canImport(CFreshetCRC)
        if usesHardware { return freshet_crc32c_hardware_update(state, base, count) }
        #endif
        return nil
    }

    /// The portable slicing-by-8 implementation.
    static func softwareUpdate(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32 {
        let t = tables
        var crc = state
        var p = base
        var n = count
        // Align to 8 bytes so the 64-bit loads below are aligned.
        while n > 0 && (UInt(bitPattern: p) & 7) != 0 {
            crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            p += 1; n -= 1
        }
        while n >= 8 {
            let word = UInt64(littleEndian: p.load(as: UInt64.self)) ^ UInt64(crc)
            let lo = UInt32(truncatingIfNeeded: word)
            let hi = UInt32(truncatingIfNeeded: word >> 32)
            crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
            p += 8; n -= 8
        }
        while n > 0 {
            crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            p += 1; n -= 1
        }
        return crc
    }

    /// Continue the raw `state` over a buffer.
    @inline(__always)
    public static func update(_ state: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return state }
        return update(state, base, bytes.count)
    }

    /// Turn a raw state into the CRC value (final XOR).
    @inline(__always)
    public static func finalize(_ state: UInt32) -> UInt32 { state ^ 0xFFFF_FFFF }

    /// The CRC32C of a whole buffer.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        finalize(update(initialState, bytes))
    }

    /// The CRC32C of a byte sequence.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }
}
