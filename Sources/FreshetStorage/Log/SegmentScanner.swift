// SegmentScanner: walks the frames of a whole segment held in memory, rebuilding its
// summary and sparse index, and classifies what follows the last valid frame.
//
// Rules (see docs/storage-format.md, "Recovery"):
// - A zero length field ends the data; the rest of the file must then be zeros
//   (zeros written ahead of the data).
// - After the last valid frame, bytes that are not all zeros are a *torn tail* if no
//   valid frame can be found anywhere after them: only allowed in the last (active)
//   segment, where recovery zeroes them.
// - A bad frame followed by any valid frame (a corrupt record in the middle), or any
//   damage in a sealed segment, is a `.corrupt` error naming the file and offset.

enum SegmentScanner {
    struct Result {
        var meta: SegmentMeta
        var index: SparseIndex
        /// End of the valid frames (== meta.dataBytes).
        var goodEnd: Int64
        /// One past the last non-zero byte after goodEnd (== goodEnd when clean).
        var tornEnd: Int64
        /// Why the tail was cut, when it was.
        var tornReason: String?
    }

    static func scan(_ buf: UnsafeRawBufferPointer, path: String, baseSequence: UInt64,
                     sealed: Bool, indexInterval: Int) throws -> Result {
        var meta = SegmentMeta(baseSequence: baseSequence)
        var index = SparseIndex()
        let size = buf.count
        var off = 0
        var nextBoundary = 0
        var lastSequence: UInt64? = nil
        var lastRowtime = Int64.min
        guard let base = buf.baseAddress else {
            return Result(meta: meta, index: index, goodEnd: 0, tornEnd: 0, tornReason: nil)
        }
        var stopReason: String? = nil
        while off < size {
            let probe = RecordFrame.probe(base + off, available: size - off)
            guard case .valid(let length) = probe else {
                switch probe {
                case .end: stopReason = nil
                case .incomplete: stopReason = "incomplete frame"
                case .bad(let why): stopReason = why
                case .valid: break
                }
                break
            }
            let p = base + off
            let seq = RecordFrame.sequence(p)
            let rt = RecordFrame.rowtime(p)
            if let last = lastSequence, seq <= last {
                throw StorageError(.corrupt, "sequence \(seq) does not follow \(last)", path: path, offset: Int64(off))
            }
            if lastSequence == nil && seq < baseSequence {
                throw StorageError(.corrupt, "first sequence \(seq) is below the segment's base \(baseSequence)",
                                   path: path, offset: Int64(off))
            }
            if rt < lastRowtime {
                throw StorageError(.corrupt, "rowtime \(rt) goes back from \(lastRowtime)", path: path, offset: Int64(off))
            }
            if off >= nextBoundary {
                index.entries.append(.init(sequence: seq, rowtime: rt, offset: Int64(off)))
                nextBoundary = (off / indexInterval + 1) * indexInterval
            }
            meta.add(sequence: seq, rowtime: rt, length: length)
            lastSequence = seq
            lastRowtime = rt
            off += length
        }
        let goodEnd = Int64(off)
        let lastNonZero = lastNonZeroByte(base, from: off, to: size)
        if lastNonZero < off {
            return Result(meta: meta, index: index, goodEnd: goodEnd, tornEnd: goodEnd, tornReason: nil)
        }
        let reason = stopReason ?? "non-zero bytes after the end of the data"
        if let later = firstValidFrame(base, from: off + 1, to: size) {
            throw StorageError(.corrupt, "corrupt record (\(reason)) followed by a valid record at offset \(later)",
                               path: path, offset: goodEnd)
        }
        if sealed {
            throw StorageError(.corrupt, "corrupt record in a sealed segment (\(reason))", path: path, offset: goodEnd)
        }
        return Result(meta: meta, index: index, goodEnd: goodEnd, tornEnd: Int64(lastNonZero + 1), tornReason: reason)
    }

    /// The index of the last non-zero byte in [from, to), or from - 1 when all are zero.
    static func lastNonZeroByte(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        var i = to
        while i > from && (i & 7) != 0 {
            if base.load(fromByteOffset: i - 1, as: UInt8.self) != 0 { return i - 1 }
            i -= 1
        }
        while i - 8 >= from {
            if base.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self) != 0 { break }
            i -= 8
        }
        while i > from {
            if base.load(fromByteOffset: i - 1, as: UInt8.self) != 0 { return i - 1 }
            i -= 1
        }
        return from - 1
    }

    /// The offset of the first position in [from, to) where a valid frame starts.
    static func firstValidFrame(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        var o = from
        while o < to {
            // Skip zero runs: a frame's length field has a non-zero byte, so a frame
            // cannot start more than 3 bytes before the next non-zero byte.
            if base.load(fromByteOffset: o, as: UInt8.self) == 0 {
                var z = o
                while z < to && (z & 7) != 0 && base.load(fromByteOffset: z, as: UInt8.self) == 0 { z += 1 }
                while z + 8 <= to && base.loadUnaligned(fromByteOffset: z, as: UInt64.self) == 0 { z += 8 }
                while z < to && base.load(fromByteOffset: z, as: UInt8.self) == 0 { z += 1 }
                if z >= to { return nil }
                o = max(o, z - 3)
            }
            if case .valid = RecordFrame.probe(base + o, available: to - o) { return o }
            o += 1
        }
        return nil
    }
}
