// ShardLog.open: find the segments of a log directory and recover them.
//
// Sealed segments (all but the last) are trusted through their `.idx` file, or scanned
// when it is missing or bad (any bad record there is a `.corrupt` error). The last
// segment is always scanned: a torn tail (a bad or incomplete record with no valid
// record after it) is zeroed and fdatasync'ed, and reported; a bad record followed by a
// valid one is a `.corrupt` error naming the file and offset.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ShardLog {
    /// Open (creating if needed) the log in `directory` and recover it.
    public static func open(directory: String, options: LogOptions = LogOptions()) throws -> (ShardLog, RecoveryReport) {
        try FileIO.makeDirectories(directory)
        var bases: [UInt64] = []
        for name in try FileIO.listDirectory(directory) {
            if let base = Segment.baseSequence(fileName: name) {
                bases.append(base)
            } else if name.hasSuffix(".idx.tmp") || name == "spare.tmp" || name == "spare.prealloc"
                        || StagedAppend.isStagingFile(name) {
                // Temporaries, the pre-zeroed spare segments of older versions, and the
                // staging files of bulk appends never committed (a committed one was
                // renamed in by the commit journal's replay, which runs first).
                try FileIO.unlink(directory + "/" + name)
            }
        }
        bases.sort()
        var report = RecoveryReport(directory: directory, segmentCount: 0, recordCount: 0,
                                    nextSequence: options.initialSequence, lastRowtime: nil, bytesDropped: 0,
                                    tornFile: nil, tornOffset: nil, tornReason: nil, indexesRebuilt: 0)
        var segments: [Segment] = []
        var lastSequence: UInt64? = nil
        var lastRowtime: Int64? = nil
        func checkOrder(_ meta: SegmentMeta, _ path: String) throws {
            guard meta.recordCount > 0 else { return }
            if let last = lastSequence, meta.firstSequence <= last {
                throw StorageError(.corrupt, "segment starts at sequence \(meta.firstSequence), not after \(last)", path: path, offset: 0)
            }
            if let last = lastRowtime, meta.firstRowtime < last {
                throw StorageError(.corrupt, "segment's first rowtime \(meta.firstRowtime) is before \(last)", path: path, offset: 0)
            }
            lastSequence = meta.lastSequence
            lastRowtime = meta.lastRowtime
        }

        // Sealed segments.
        for base in bases.dropLast() {
            let path = directory + "/" + Segment.fileName(baseSequence: base)
            let idxPath = Segment.indexPath(forSegmentPath: path)
            var loaded: (SegmentMeta, SparseIndex)? = nil
            if FileIO.exists(idxPath), let bytes = try? FileIO.readFile(idxPath) {
                loaded = SegmentIndexFile.decode(bytes, baseSequence: base)
            }
            if loaded == nil {
                let bytes = try FileIO.readFile(path)
                let result = try bytes.withUnsafeBytes {
                    try SegmentScanner.scan($0, path: path, baseSequence: base, sealed: true,
                                            indexInterval: options.indexIntervalBytes)
                }
                loaded = (result.meta, result.index)
                try writeIndexFile(meta: result.meta, index: result.index, segmentPath: path)
                report.indexesRebuilt += 1
            }
            let (meta, index) = loaded!
            try checkOrder(meta, path)
            segments.append(Segment(path: path, meta: meta, index: index, sealed: true))
        }

        // The active (last) segment: scan, cut a torn tail.
        let activeBase = bases.last ?? options.initialSequence
        let activePath = directory + "/" + Segment.fileName(baseSequence: activeBase)
        let fd = try FileIO.open(activePath, O_RDWR | O_CREAT)
        var fdOwned = true
        defer { if fdOwned { FileIO.close(fd) } }
        if bases.isEmpty { try FileIO.fsyncDirectory(directory) }
        let size = try FileIO.fileSize(fd, path: activePath)
        var content: [UInt8] = []
        _ = try FileIO.appendRead(fd, into: &content, count: Int(size), at: 0, path: activePath)
        let scan = try content.withUnsafeBytes {
            try SegmentScanner.scan($0, path: activePath, baseSequence: activeBase, sealed: false,
                                    indexInterval: options.indexIntervalBytes)
        }
        content = []
        if scan.tornEnd > scan.goodEnd {
            try FileIO.writeZeros(fd, at: scan.goodEnd, count: scan.tornEnd - scan.goodEnd, path: activePath)
            try FileIO.fdatasync(fd, path: activePath)
            report.bytesDropped = scan.tornEnd - scan.goodEnd
            report.tornFile = activePath
            report.tornOffset = scan.goodEnd
            report.tornReason = scan.tornReason
        }
        try checkOrder(scan.meta, activePath)
        let active = Segment(path: activePath, meta: scan.meta, index: scan.index, sealed: false, fd: fd)
        fdOwned = false
        segments.append(active)

        let nextSequence = max(activeBase, (lastSequence ?? 0) &+ (lastSequence == nil ? 0 : 1))
        let interval = Int64(options.indexIntervalBytes)
        let writer = WriterState(active: active, writeOffset: scan.goodEnd,
                                 nextSequence: nextSequence, lastRowtime: lastRowtime ?? .min,
                                 activeMeta: scan.meta, activeIndex: scan.index,
                                 nextIndexBoundary: scan.goodEnd == 0 ? 0 : (scan.goodEnd / interval + 1) * interval)
        let log = ShardLog(directory: directory, options: options, segments: segments, writer: writer)
        report.segmentCount = segments.count
        report.recordCount = segments.reduce(0) { $0 + $1.meta.recordCount }
        report.nextSequence = nextSequence
        report.lastRowtime = lastRowtime
        // Zeroing ahead starts after the first round (a log never written costs nothing).
        log.zeroAhead.retarget(active, dataEnd: scan.goodEnd, fileSize: size)
        return (log, report)
    }

    /// Write a sealed segment's `.idx` (through a temporary name; it is a cache checked
    /// by CRC, so it is not fsync'ed).
    static func writeIndexFile(meta: SegmentMeta, index: SparseIndex, segmentPath: String) throws {
        let path = Segment.indexPath(forSegmentPath: segmentPath)
        let tmp = path + ".tmp"
        let bytes = SegmentIndexFile.encode(meta: meta, index: index)
        let fd = try FileIO.open(tmp, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try bytes.withUnsafeBytes { try FileIO.pwriteAll(fd, $0.baseAddress!, $0.count, at: 0, path: tmp) }
        } catch {
            FileIO.close(fd)
            throw error
        }
        FileIO.close(fd)
        try FileIO.rename(tmp, path)
    }
}
