// Reading a ShardLog: by sequence number, or from a time (through the sparse index).
//
// Reads see only durable (published) records: each segment is read up to its published
// data size, with large sequential preads into the batch's single buffer. A reader never
// holds the log's lock while it does I/O; it holds a reference to the Segment, whose
// descriptor stays valid even if retention deletes the file meanwhile. A position in a
// deleted range moves to the first retained record.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ShardLog {
    /// The segment holding `sequence` (or the first one after it), with its published
    /// state, and the sequence to read from (raised to the first retained one).
    private func locate(_ sequence: UInt64) throws -> (Segment, SegmentMeta, SparseIndex, UInt64)? {
        stateLock.lock(); defer { stateLock.unlock() }
        if closed { throw closedError() }
        guard !segments.isEmpty else { return nil }
        var s = sequence
        // Last segment whose base is <= s.
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].baseSequence <= s { lo = mid + 1 } else { hi = mid }
        }
        var i = max(lo - 1, 0)
        while i < segments.count {
            let seg = segments[i]
            if seg.meta.recordCount > 0 && seg.meta.lastSequence >= s {
                s = max(s, seg.meta.firstSequence)
                return (seg, seg.meta, seg.index, s)
            }
            i += 1
        }
        return nil
    }

    /// The first retained sequence (or the next to be assigned when none is retained).
    private func firstRetainedOrNext(_ sequence: UInt64) -> UInt64 {
        let st = stats
        if let first = st.firstSequence { return max(sequence, first) }
        return max(sequence, st.nextSequence)
    }

    /// Read durable records with sequence ≥ `sequence`: at most `maxRecords`, and at
    /// most `maxBytes` of frames (but always at least one record when there is one).
    /// Throws `.corrupt` (naming the file and offset) on a bad record.
    public func read(from sequence: UInt64, maxRecords: Int, maxBytes: Int) throws -> RecordBatch {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var used = 0
        var next = sequence
        var retriesLeft = 4
        outer: while offsets.count < maxRecords && (offsets.isEmpty || used < maxBytes) {
            guard let (segment, meta, index, start) = try locate(next) else { break }
            next = start
            let fd: Int32
            do { fd = try segment.fd() } catch let e as StorageError where e.errorNumber == ENOENT && retriesLeft > 0 {
                retriesLeft -= 1  // deleted by retention before we opened it: locate again
                continue
            }
            var fileOffset = index.offset(forSequence: next)
            let end = meta.dataBytes
            while fileOffset < end {
                // Enough for the limit plus what the index makes us skip; at least 64 KiB.
                let wanted = max(64 << 10, max(maxBytes - used, 0) + options.indexIntervalBytes + 4096)
                let want = Int(min(end - fileOffset, Int64(wanted)))
                let chunkStart = bytes.count
                let got = try FileIO.appendRead(fd, into: &bytes, count: want, at: fileOffset, path: segment.path)
                if got == 0 {
                    throw StorageError(.corrupt, "segment is shorter than its records", path: segment.path, offset: fileOffset)
                }
                var at = chunkStart
                let chunkEnd = bytes.count
                var stop = false
                var partial = false
                try bytes.withUnsafeBytes { buf in
                    let base = buf.baseAddress!
                    while at < chunkEnd {
                        let p = base + at
                        if chunkEnd - at < RecordFrame.headerSize || RecordFrame.length(p) > chunkEnd - at {
                            partial = true; return
                        }
                        let length: Int
                        if options.verifyChecksumsOnRead {
                            switch RecordFrame.probe(p, available: chunkEnd - at) {
                            case .valid(let l): length = l
                            case .incomplete: partial = true; return
                            case .end: throw StorageError(.corrupt, "unexpected end of data", path: segment.path,
                                                          offset: fileOffset + Int64(at - chunkStart))
                            case .bad(let why): throw StorageError(.corrupt, "corrupt record: \(why)", path: segment.path,
                                                                   offset: fileOffset + Int64(at - chunkStart))
                            }
                        } else {
                            length = RecordFrame.length(p)
                            if length < RecordFrame.overhead {
                                throw StorageError(.corrupt, "corrupt record length", path: segment.path,
                                                   offset: fileOffset + Int64(at - chunkStart))
                            }
                        }
                        let seq = RecordFrame.sequence(p)
                        if seq >= next {
                            if offsets.count >= maxRecords || (!offsets.isEmpty && used + length > maxBytes) {
                                stop = true; return
                            }
                            offsets.append(at)
                            used += length
                            next = seq + 1
                        }
                        at += length
                    }
                }
                // Drop bytes not handed out (a partial frame, or frames beyond the limits).
                let consumed = at - chunkStart
                if at < chunkEnd { bytes.removeLast(chunkEnd - at) }
                fileOffset += Int64(consumed)
                if stop { break outer }
                if partial && consumed == 0 {
                    // One frame larger than the chunk: read exactly it.
                    var header: [UInt8] = []
                    _ = try FileIO.appendRead(fd, into: &header, count: 4, at: fileOffset, path: segment.path)
                    let frameLength = header.count == 4 ? Int(UInt32(header[0]) | UInt32(header[1]) << 8
                        | UInt32(header[2]) << 16 | UInt32(header[3]) << 24) : 0
                    if frameLength < RecordFrame.overhead || Int64(frameLength) > end - fileOffset {
                        throw StorageError(.corrupt, "corrupt record length \(frameLength)", path: segment.path, offset: fileOffset)
                    }
                    let bigStart = bytes.count
                    _ = try FileIO.appendRead(fd, into: &bytes, count: frameLength, at: fileOffset, path: segment.path)
                    let ok = bytes.withUnsafeBytes { buf in RecordFrame.probe(buf.baseAddress! + bigStart, available: frameLength) }
                    guard case .valid = ok else {
                        throw StorageError(.corrupt, "corrupt record", path: segment.path, offset: fileOffset)
                    }
                    let seq = bytes.withUnsafeBytes { RecordFrame.sequence($0.baseAddress! + bigStart) }
                    if seq >= next {
                        offsets.append(bigStart); used += frameLength; next = seq + 1
                    } else {
                        bytes.removeLast(frameLength)
                    }
                    fileOffset += Int64(frameLength)
                    if offsets.count >= maxRecords || used >= maxBytes { break outer }
                }
                if offsets.count >= maxRecords || (used >= maxBytes && !offsets.isEmpty) { break outer }
            }
            // This segment is exhausted: continue after its last record.
            next = max(next, meta.lastSequence + 1)
        }
        if offsets.isEmpty { next = firstRetainedOrNext(next) }
        return RecordBatch(bytes: bytes, frameOffsets: offsets, nextSequence: next)
    }

    /// The sequence of the first durable record whose rowtime is ≥ `rowtime`, or nil
    /// when there is none yet. Seeks with the sparse index.
    public func firstSequence(atOrAfter rowtime: Int64) throws -> UInt64? {
        let found: (Segment, SegmentMeta, SparseIndex)? = try {
            stateLock.lock(); defer { stateLock.unlock() }
            if closed { throw closedError() }
            // Rowtimes are non-decreasing along the log: binary search on the segments
            // with records for the first whose last rowtime is ≥ rowtime.
            let withRecords = segments.filter { $0.meta.recordCount > 0 }
            var lo = 0, hi = withRecords.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if withRecords[mid].meta.lastRowtime < rowtime { lo = mid + 1 } else { hi = mid }
            }
            guard lo < withRecords.count else { return nil }
            let s = withRecords[lo]
            return (s, s.meta, s.index)
        }()
        guard let (segment, meta, index) = found else { return nil }
        if meta.firstRowtime >= rowtime { return meta.firstSequence }
        var offset = index.offset(forRowtime: rowtime)
        let fd = try segment.fd()
        while offset < meta.dataBytes {
            var bytes: [UInt8] = []
            let want = Int(min(meta.dataBytes - offset, Int64(options.indexIntervalBytes + (64 << 10))))
            _ = try FileIO.appendRead(fd, into: &bytes, count: want, at: offset, path: segment.path)
            var at = 0
            let result: UInt64?? = try bytes.withUnsafeBytes { buf in
                while at < bytes.count {
                    let p = buf.baseAddress! + at
                    switch RecordFrame.probe(p, available: bytes.count - at) {
                    case .valid(let length):
                        if RecordFrame.rowtime(p) >= rowtime { return .some(RecordFrame.sequence(p)) }
                        at += length
                    case .incomplete:
                        return nil  // continue from `at` (or read one big frame whole)
                    case .end, .bad:
                        throw StorageError(.corrupt, "corrupt record", path: segment.path, offset: offset + Int64(at))
                    }
                }
                return nil
            }
            if let r = result { return r }
            if at == 0 {
                // Single frame bigger than the chunk: skip it by its length.
                let length = bytes.withUnsafeBytes { RecordFrame.length($0.baseAddress!) }
                var big: [UInt8] = []
                _ = try FileIO.appendRead(fd, into: &big, count: length, at: offset, path: segment.path)
                let seq: UInt64? = try big.withUnsafeBytes { buf in
                    guard case .valid = RecordFrame.probe(buf.baseAddress!, available: big.count) else {
                        throw StorageError(.corrupt, "corrupt record", path: segment.path, offset: offset)
                    }
                    return RecordFrame.rowtime(buf.baseAddress!) >= rowtime ? RecordFrame.sequence(buf.baseAddress!) : nil
                }
                if let seq { return seq }
                offset += Int64(length)
            } else {
                offset += Int64(at)
            }
        }
        return meta.lastSequence  // unreachable in a consistent segment (lastRowtime ≥ rowtime)
    }
}
