import FreshetCore

extension Value {
    /// A 64-bit hash for grouping (`GroupTable`) that agrees with `==` (Value+Equality):
    /// equal values hash alike — NaN with NaN, 0.0 with -0.0, decimals and intervals by
    /// value (through their own `Hashable`, as `Value.hash(into:)` does) — and the kind is
    /// mixed in (values of different kinds are never equal). Integers, timestamps, dates,
    /// times and doubles are one multiply-and-mix; strings and bytes are hashed 8 bytes at
    /// a time from their contiguous UTF-8. No `Hasher` and no allocation for those kinds.
    @inline(__always)
    func groupHash(seed: UInt64) -> UInt64 {
        switch self {
        case .null: return Value.mix(seed ^ 0x51)
        case .bool(let b): return Value.mix(seed ^ (b ? 0x1_0001 : 0x1_0000))
        case .int(let i): return Value.mix((seed ^ 2) &+ UInt64(bitPattern: i) &* 0x9E37_79B9_7F4A_7C15)
        case .timestamp(let t): return Value.mix((seed ^ 7) &+ UInt64(bitPattern: t) &* 0x9E37_79B9_7F4A_7C15)
        case .date(let d): return Value.mix((seed ^ 8) &+ UInt64(UInt32(bitPattern: d)) &* 0x9E37_79B9_7F4A_7C15)
        case .time(let t): return Value.mix((seed ^ 9) &+ UInt64(bitPattern: t) &* 0x9E37_79B9_7F4A_7C15)
        case .double(let d):
            let bits: UInt64 = d.isNaN ? 0x7FF8_0000_0000_0000 : (d == 0 ? 0 : d.bitPattern)
            return Value.mix((seed ^ 3) &+ bits &* 0x9E37_79B9_7F4A_7C15)
        case .string(let s):
            let u = s.utf8
            if let h = u.withContiguousStorageIfAvailable({ Value.hashBytes(UnsafeRawBufferPointer($0), seed: seed ^ 5) }) {
                return h
            }
            return Value.hashBytes(Array(u), seed: seed ^ 5)
        case .bytes(let b): return b.withUnsafeBytes { Value.hashBytes($0, seed: seed ^ 6) }
        case .decimal(let d): return Value.mix((seed ^ 4) &+ UInt64(UInt(bitPattern: d.hashValue)))
        case .interval(let iv): return Value.mix((seed ^ 10) &+ UInt64(UInt(bitPattern: iv.hashValue)))
        }
    }

    @inline(__always)
    static func hashBytes(_ a: [UInt8], seed: UInt64) -> UInt64 {
        a.withUnsafeBytes { hashBytes($0, seed: seed) }
    }

    /// Bytes 8 at a time (little-endian words, the tail zero-padded), the length mixed in.
    @inline(__always)
    static func hashBytes(_ p: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed &+ UInt64(p.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        let n = p.count
        while i + 8 <= n {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        }
        return mix(h)
    }

    /// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }
}
