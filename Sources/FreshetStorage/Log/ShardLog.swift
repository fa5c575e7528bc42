// ShardLog: one shard's durable, append-only log in one directory.
//
//     let (log, report) = try ShardLog.open(directory: dir, options: LogOptions())
//     // appends go through a GroupCommitter (see GroupCommitter.swift)
//     let batch = try log.read(from: 1, maxRecords: 10_000, maxBytes: 1 << 20)
//     let seq = try log.firstSequence(atOrAfter: rowtime)
//     let removed = try log.deleteSegments(olderThan: cutoff)
//     log.stats; try log.close(); try log.destroy()
//
// Files in the directory: `<20-digit base sequence>.log` segments (the last one is
// active, with a window of zeros written ahead of its data — see ZeroAhead.swift; the
// others sealed and truncated to their data) and `<base>.idx` sparse indexes of sealed
// segments. Layout: docs/storage-format.md.
//
// Concurrency: any number of threads may read, take stats and run retention while one
// GroupCommitter appends. Readers only see records whose fdatasync has completed.
// A log must be appended to by one GroupCommitter only.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public final class ShardLog: @unchecked Sendable {
    public let directory: String
    public let options: LogOptions

    /// Guards `segments`, each segment's published meta/index/sealed, `closed`.
    let stateLock = NSLock()
    /// All retained segments by base sequence; the last is the active one.
    var segments: [Segment]
    var closed = false
    /// Keeps zeros written ahead of the active segment's data (background worker).
    let zeroAhead: ZeroAhead

    /// Held by the commit thread for a whole commit round on this log (and by close).
    let writerLock = NSLock()
    /// The writer's view (including not yet durable records); nil once closed.
    var writer: WriterState?
    /// Set when a failed fdatasync or rollback left the file state unknown.
    var failure: StorageError?
    /// The commit round in progress on this log (commit thread only).
    var round: LogRound?
    /// The id of the last commit round that began on this log (commit thread only).
    var roundID: UInt64 = 0
    /// The segment holding records made durable by the commit journal only (not yet
    /// fdatasync'ed in their own file); nil when there are none. Under `writerLock`.
    var journalCovered: Segment?

    /// The writer's state: the active segment and everything appended to it, durable or
    /// not. Only the commit thread (holding `writerLock`) touches it.
    struct WriterState {
        var active: Segment
        var writeOffset: Int64
        var nextSequence: UInt64
        var lastRowtime: Int64
        var activeMeta: SegmentMeta
        var activeIndex: SparseIndex
        var nextIndexBoundary: Int64
    }

    init(directory: String, options: LogOptions, segments: [Segment], writer: WriterState) {
        self.directory = directory
        self.options = options
        self.segments = segments
        self.writer = writer
        zeroAhead = ZeroAhead(window: options.preallocate ? options.zeroAheadBytes : 0, limit: options.segmentBytes)
    }

    // MARK: Stats

    /// Counts and ranges of the durable, retained records.
    public var stats: LogStats {
        stateLock.lock(); defer { stateLock.unlock() }
        var s = LogStats(recordCount: 0, byteCount: 0, segmentCount: segments.count,
                         firstSequence: nil, lastSequence: nil, firstRowtime: nil, lastRowtime: nil,
                         nextSequence: options.initialSequence)
        for seg in segments where seg.meta.recordCount > 0 {
            if s.firstSequence == nil { s.firstSequence = seg.meta.firstSequence; s.firstRowtime = seg.meta.firstRowtime }
            s.lastSequence = seg.meta.lastSequence
            s.lastRowtime = seg.meta.lastRowtime
            s.recordCount += seg.meta.recordCount
            s.byteCount += seg.meta.dataBytes
        }
        if let last = s.lastSequence { s.nextSequence = last + 1 }
        if let active = segments.last { s.nextSequence = max(s.nextSequence, active.baseSequence) }
        return s
    }

    // MARK: Retention

    /// Delete whole sealed segments whose newest record is older than `rowtime`
    /// (the active segment is never deleted). Returns how many segments were removed.
    /// Readers positioned in a removed range continue at the first retained record.
    @discardableResult
    public func deleteSegments(olderThan rowtime: Int64) throws -> Int {
        stateLock.lock()
        if closed { stateLock.unlock(); throw StorageError(.closed, "log is closed", path: directory) }
        var n = 0
        while n < segments.count - 1 {
            let s = segments[n]
            guard s.sealed, s.meta.recordCount == 0 || s.meta.lastRowtime < rowtime else { break }
            n += 1
        }
        let removed = Array(segments[0..<n])
        segments.removeFirst(n)
        stateLock.unlock()
        if removed.isEmpty { return 0 }
        for s in removed {
            try FileIO.unlink(s.path)
            try FileIO.unlink(Segment.indexPath(forSegmentPath: s.path))
        }
        try FileIO.fsyncDirectory(directory)
        return removed.count
    }

    // MARK: Close and drop

    /// Stop using the log: later appends and reads fail with `.closed`. Waits for a
    /// commit round in progress on this log. Readers holding a batch keep it.
    public func close() throws {
        writerLock.lock()
        stateLock.lock()
        closed = true
        segments = []
        stateLock.unlock()
        writer = nil
        writerLock.unlock()
        zeroAhead.stop()
    }

    /// Close the log and delete its files (segments, indexes, and the `spare.*` files of
    /// older versions) and, when it is then empty, its directory.
    public func destroy() throws {
        try close()
        // The files go: nothing for a journal checkpoint to fdatasync (and the segment's
        // descriptor is released now, not at the next checkpoint).
        writerLock.withLock { journalCovered = nil }
        for name in try FileIO.listDirectory(directory) {
            if Segment.baseSequence(fileName: name) != nil || name.hasSuffix(".idx") || name.hasSuffix(".idx.tmp")
                || name == "spare.prealloc" || name == "spare.tmp" || StagedAppend.isStagingFile(name) {
                try FileIO.unlink(directory + "/" + name)
            }
        }
        if rmdir(directory) != 0 && errno != ENOTEMPTY && errno != ENOENT {
            throw StorageError.system("rmdir", path: directory)
        }
    }

    /// Whether `close` (or `destroy`) ran.
    public var isClosed: Bool { stateLock.withLock { closed } }

    func closedError() -> StorageError { StorageError(.closed, "log is closed", path: directory) }

    /// Wait until the background work requested so far (zeroing ahead) is done (tests).
    static func waitForBackgroundWork() { BackgroundWorker.shared.drain() }
}
