/// UTF-8 checks on raw bytes for the COPY and storage paths, without building
/// Strings: validity (as PostgreSQL's `pg_verify_mbstr` for UTF8: no overlong
/// forms, no surrogates, nothing above U+10FFFF, no NUL) and character counts.
enum UTF8Check {
    /// The number of characters when `bytes` is valid UTF-8 without NUL, else nil.
    @inline(__always)
    static func characterCount(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        var count = 0
        let n = bytes.count
        while i < n {
            // ASCII fast path, 8 bytes at a time: no byte with the high bit set and no
            // NUL byte (the classic has-zero-byte test, exact when no high bit is set).
            if i + 8 <= n {
                let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let high: UInt64 = 0x8080_8080_8080_8080
                if w & high == 0 && (w &- 0x0101_0101_0101_0101) & ~w & high == 0 {
                    i += 8
                    count += 8
                    continue
                }
            }
            let c = bytes[i]
            if c < 0x80 {
                if c == 0 { return nil }
                i += 1
            } else if c >= 0xC2 && c <= 0xDF {
                guard i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 else { return nil }
                i += 2
            } else if c >= 0xE0 && c <= 0xEF {
                guard i + 2 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return nil }
                if c == 0xE0 && bytes[i + 1] < 0xA0 { return nil }   // overlong
                if c == 0xED && bytes[i + 1] > 0x9F { return nil }   // surrogate
                i += 3
            } else if c >= 0xF0 && c <= 0xF4 {
                guard i + 3 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 else { return nil }
                if c == 0xF0 && bytes[i + 1] < 0x90 { return nil }   // overlong
                if c == 0xF4 && bytes[i + 1] > 0x8F { return nil }   // above U+10FFFF
                i += 4
            } else {
                return nil
            }
            count += 1
        }
        return count
    }

    /// Byte offset just after the first `n` characters of valid UTF-8 (or the end).
    static func offset(afterCharacters n: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var i = 0
        var k = 0
        while i < bytes.count && k < n {
            let c = bytes[i]
            i += c < 0x80 ? 1 : (c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4))
            k += 1
        }
        return min(i, bytes.count)
    }
}
