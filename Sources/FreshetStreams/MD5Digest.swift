/// MD5 (RFC 1321) of a short byte string, for partition keys: Kinesis maps a record to a
/// shard by the MD5 of its partition key read as a 128-bit big-endian integer.
///
/// Hand-written because it sits on the write hot path (once per row of every INSERT and
/// COPY): swift-crypto's `Insecure.MD5` allocates a hashing context per use. This one works
/// on the caller's bytes and a stack buffer for the padded tail, with no allocation. It is
/// checked against swift-crypto on random inputs (`MD5DigestTests`). MD5 is used for
/// placement only, never for security.
enum MD5Digest {
    /// The digest as the 128-bit big-endian integer Kinesis compares with hash-key ranges.
    static func hashKey(_ bytes: UnsafeRawBufferPointer) -> UInt128 {
        var state = (a: UInt32(0x67452301), b: UInt32(0xefcdab89), c: UInt32(0x98badcfe), d: UInt32(0x10325476))
        let count = bytes.count
        let fullBlocks = count / 64
        for i in 0..<fullBlocks {
            compress(&state, UnsafeRawBufferPointer(rebasing: bytes[(i * 64)..<(i * 64 + 64)]))
        }
        // The tail, 0x80, zeros, and the length in bits (little-endian): one or two blocks.
        let rest = count - fullBlocks * 64
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0)
            if rest > 0 { tail.baseAddress!.copyMemory(from: bytes.baseAddress! + fullBlocks * 64, byteCount: rest) }
            tail[rest] = 0x80
            let blocks = rest < 56 ? 1 : 2
            let bits = UInt64(count) &* 8
            tail.storeBytes(of: bits.littleEndian, toByteOffset: blocks * 64 - 8, as: UInt64.self)
            for i in 0..<blocks {
                compress(&state, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(tail)[(i * 64)..<(i * 64 + 64)]))
            }
        }
        // Digest bytes are a, b, c, d little-endian; read big-endian as Kinesis does.
        let hi = UInt64(state.a.byteSwapped) << 32 | UInt64(state.b.byteSwapped)
        let lo = UInt64(state.c.byteSwapped) << 32 | UInt64(state.d.byteSwapped)
        return UInt128(hi) << 64 | UInt128(lo)
    }

    /// One 64-byte block.
    @inline(__always)
    private static func compress(_ state: inout (a: UInt32, b: UInt32, c: UInt32, d: UInt32), _ block: UnsafeRawBufferPointer) {
        var m: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &m) { w in
            for i in 0..<16 {
                w.storeBytes(of: UInt32(littleEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)),
                             toByteOffset: i * 4, as: UInt32.self)
            }
        }
        var a = state.a, b = state.b, c = state.c, d = state.d
        withUnsafeBytes(of: &m) { w in
            K.withUnsafeBufferPointer { k in
                S.withUnsafeBufferPointer { s in
                    for i in 0..<64 {
                        var f: UInt32
                        let g: Int
                        switch i >> 4 {
                        case 0: f = (b & c) | (~b & d); g = i
                        case 1: f = (d & b) | (~d & c); g = (5 &* i &+ 1) & 15
                        case 2: f = b ^ c ^ d; g = (3 &* i &+ 5) & 15
                        default: f = c ^ (b | ~d); g = (7 &* i) & 15
                        }
                        f = f &+ a &+ k[i] &+ w.load(fromByteOffset: g * 4, as: UInt32.self)
                        a = d
                        d = c
                        c = b
                        let r = s[i]
                        b = b &+ ((f << r) | (f >> (32 - r)))
                    }
                }
            }
        }
        state.a = state.a &+ a
        state.b = state.b &+ b
        state.c = state.c &+ c
        state.d = state.d &+ d
    }

    /// Per-round shift amounts.
    private static let S: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// floor(|sin(i + 1)| · 2^32), RFC 1321's table T.
    private static let K: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
        0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
        0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
        0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
        0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
        0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
        0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
        0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]
}
