// SegmentIndexFile: the `.idx` file written beside a sealed segment.
//
// Layout (little-endian; see docs/storage-format.md):
//     0  u32 magic "FXI1" (0x31495846)     4 u32 entry count
//     8  u64 base sequence   16 u64 record count   24 u64 data bytes
//     32 u64 first sequence  40 u64 last sequence  48 i64 first rowtime  56 i64 last rowtime
//     64 entries: (u64 sequence, i64 rowtime, u64 offset) × count
//     end u32 CRC32C of everything before it
// The file is only a cache: if it is missing, short, or its CRC or base sequence does
// not match, the segment is scanned instead (and the file rewritten).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SegmentIndexFile {
    static let magic: UInt32 = 0x3149_5846
    static let headerSize = 64
    static let entrySize = 24

    static func encode(meta: SegmentMeta, index: SparseIndex) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + index.entries.count * entrySize + 4)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(magic); put(UInt32(index.entries.count))
        put(meta.baseSequence); put(UInt64(meta.recordCount)); put(UInt64(meta.dataBytes))
        put(meta.firstSequence); put(meta.lastSequence); put(meta.firstRowtime); put(meta.lastRowtime)
        for e in index.entries { put(e.sequence); put(e.rowtime); put(UInt64(e.offset)) }
        put(CRC32C.checksum(out))
        return out
    }

    /// Decode, or nil when the bytes are not a valid index for `baseSequence`.
    static func decode(_ bytes: [UInt8], baseSequence: UInt64) -> (SegmentMeta, SparseIndex)? {
        guard bytes.count >= headerSize + 4 else { return nil }
        return bytes.withUnsafeBytes { buf -> (SegmentMeta, SparseIndex)? in
            let p = buf.baseAddress!
            func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
            func i64(_ o: Int) -> Int64 { Int64(littleEndian: p.loadUnaligned(fromByteOffset: o, as: Int64.self)) }
            guard UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) == magic else { return nil }
            let n = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            guard bytes.count == headerSize + n * entrySize + 4 else { return nil }
            let stored = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[0..<(bytes.count - 4)])) == stored else { return nil }
            guard u64(8) == baseSequence else { return nil }
            var meta = SegmentMeta(baseSequence: baseSequence)
            meta.recordCount = Int(u64(16)); meta.dataBytes = Int64(u64(24))
            meta.firstSequence = u64(32); meta.lastSequence = u64(40)
            meta.firstRowtime = i64(48); meta.lastRowtime = i64(56)
            var index = SparseIndex()
            index.entries.reserveCapacity(n)
            for i in 0..<n {
                let o = headerSize + i * entrySize
                index.entries.append(.init(sequence: u64(o), rowtime: i64(o + 8), offset: Int64(u64(o + 16))))
            }
            return (meta, index)
        }
    }
}
