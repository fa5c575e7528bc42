// RecordFrame: the on-disk framing of one log record (see docs/storage-format.md).
//
// All integers little-endian. A frame is self-delimiting and checksummed:
//
//     0   u32  frameLength   whole frame in bytes (header + keys + payload + trailer);
//                            0 means "end of data" (zeros are written ahead)
//     4   u32  crc           CRC32C of bytes [8, frameLength)
//     8   u8   magic         0xFA
//     9   u8   flags         bit 0: an explicit hash key is present;
//                            bit 1: a producer tag is present; other bits 0
//     10  u16  partitionKeyLength
//     12  u16  explicitHashKeyLength (0 when absent)
//     14  u16  reserved      0
//     16  …    partition key, explicit hash key,
//              [producer tag: u32 producer id, u64 producer sequence — 12 bytes, only with flag bit 1],
//              payload (opaque row bytes)
//     L-16 u64 sequence      per-log, strictly increasing
//     L-8  i64 rowtime       microseconds since the epoch, non-decreasing in log order
//
// The sequence and rowtime sit in a trailer so that the CRC (which covers them, last)
// can be computed over the body by the producer thread, and finished by the committer
// over just 16 bytes once it has assigned them in commit order.
//
// This file only encodes/validates; it does no I/O.

enum RecordFrame {
    static let headerSize = 16
    static let trailerSize = 16
    static let overhead = headerSize + trailerSize
    static let magic: UInt8 = 0xFA
    static let flagHasHashKey: UInt8 = 1
    /// The record carries a producer tag (a pump's id and batch number, for exactly-once recovery).
    static let flagHasProducer: UInt8 = 2
    static let producerTagSize = 12
    /// Frames larger than this are refused on append and treated as corrupt on read.
    static let maxFrameLength = 64 << 20
    static let maxKeyLength = Int(UInt16.max)

    /// What is found at a position of a segment.
    enum Probe: Equatable {
        /// A valid frame of this many bytes.
        case valid(Int)
        /// A zero length field: the end of the data (zeros written ahead).
        case end
        /// Fewer bytes remain than the frame claims (or than a header).
        case incomplete
        /// The bytes do not form a valid frame (bad magic, lengths or CRC).
        case bad(String)
    }

    /// Inspect the bytes at `p` (with `available` bytes readable from there).
    @inline(__always)
    static func probe(_ p: UnsafeRawPointer, available: Int) -> Probe {
        if available < 4 {
            // A partial length field: zeros mean the end, anything else is torn.
            for i in 0..<available where p.load(fromByteOffset: i, as: UInt8.self) != 0 { return .incomplete }
            return .end
        }
        let length = Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        if length == 0 { return .end }
        if length < overhead || length > maxFrameLength { return .bad("frame length \(length) out of range") }
        if available < headerSize { return .incomplete }
        if p.load(fromByteOffset: 8, as: UInt8.self) != magic { return .bad("bad frame magic") }
        let flags = p.load(fromByteOffset: 9, as: UInt8.self)
        let pk = Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 10, as: UInt16.self)))
        let hk = Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt16.self)))
        let reserved = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 14, as: UInt16.self))
        if flags & ~(flagHasHashKey | flagHasProducer) != 0 || reserved != 0 || (flags & flagHasHashKey == 0 && hk != 0) {
            return .bad("bad frame flags")
        }
        let tag = flags & flagHasProducer != 0 ? producerTagSize : 0
        if pk + hk + tag > length - overhead { return .bad("key lengths exceed the frame") }
        if available < length { return .incomplete }
        let stored = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let actual = CRC32C.finalize(CRC32C.update(CRC32C.initialState, p + 8, length - 8))
        if stored != actual { return .bad("CRC mismatch") }
        return .valid(length)
    }

    // MARK: Field access on a frame known to be valid (p points at its first byte).

    @inline(__always) static func length(_ p: UnsafeRawPointer) -> Int {
        Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
    }
    @inline(__always) static func sequence(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: length(p) - 16, as: UInt64.self))
    }
    @inline(__always) static func rowtime(_ p: UnsafeRawPointer) -> Int64 {
        Int64(littleEndian: p.loadUnaligned(fromByteOffset: length(p) - 8, as: Int64.self))
    }
    @inline(__always) static func partitionKeyLength(_ p: UnsafeRawPointer) -> Int {
        Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 10, as: UInt16.self)))
    }
    @inline(__always) static func hasHashKey(_ p: UnsafeRawPointer) -> Bool {
        p.load(fromByteOffset: 9, as: UInt8.self) & flagHasHashKey != 0
    }
    @inline(__always) static func hashKeyLength(_ p: UnsafeRawPointer) -> Int {
        Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt16.self)))
    }
    @inline(__always) static func hasProducer(_ p: UnsafeRawPointer) -> Bool {
        p.load(fromByteOffset: 9, as: UInt8.self) & flagHasProducer != 0
    }
    /// Bytes of the producer tag (0 or 12).
    @inline(__always) static func producerLength(_ p: UnsafeRawPointer) -> Int {
        hasProducer(p) ? producerTagSize : 0
    }
    /// Where the fields of the frame at `offset` in `buf` lie (ranges of `buf`): read once per
    /// record by every accessor of `Record` and `RecordBatch`.
    @inline(__always)
    static func fields(_ buf: UnsafeRawBufferPointer, at offset: Int)
        -> (partitionKey: Range<Int>, explicitHashKey: Range<Int>?, payload: Range<Int>) {
        let p = buf.baseAddress! + offset
        let pkStart = offset + headerSize
        let pkEnd = pkStart + partitionKeyLength(p)
        let hkEnd = pkEnd + hashKeyLength(p)
        return (pkStart..<pkEnd, hasHashKey(p) ? pkEnd..<hkEnd : nil,
                (hkEnd + producerLength(p))..<(offset + length(p) - trailerSize))
    }

    /// The producer tag of a frame that has one (flag bit 1).
    @inline(__always) static func producer(_ p: UnsafeRawPointer) -> ProducerTag? {
        guard hasProducer(p) else { return nil }
        let at = headerSize + partitionKeyLength(p) + hashKeyLength(p)
        return ProducerTag(producer: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self)),
                           sequence: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self)))
    }

    /// Write the sequence and rowtime into a pending frame (whose crc field holds the raw
    /// CRC state over [8, L-16)) and finish its CRC. Returns the frame length.
    @inline(__always)
    static func seal(_ p: UnsafeMutableRawPointer, sequence: UInt64, rowtime: Int64) -> Int {
        let length = Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        p.storeBytes(of: sequence.littleEndian, toByteOffset: length - 16, as: UInt64.self)
        p.storeBytes(of: rowtime.littleEndian, toByteOffset: length - 8, as: Int64.self)
        let state = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let crc = CRC32C.finalize(CRC32C.update(state, p + (length - 16), 16))
        p.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        return length
    }
}
