// ShardLog's side of a group-commit round. Called only by GroupCommitter's commit thread.
//
// A round on one log: `beginRound` (lock the writer), `stage` each part (stamp sequence
// numbers and rowtimes into the frames — copies in the committer's round buffer — and
// finish their CRCs, plan where they go: the active segment, or new segments when the
// size limit is reached), `writeRound` (one pwritev per segment piece), `syncRound`
// (fdatasync), then `publishRound` (readers see the records) or `abortRound`.
//
// Failure handling (see docs/storage-format.md, "Failures"): an aborted round undoes
// what it wrote, so its records never reappear, not even after a reopen: in the active
// segment it writes zeros over its bytes and fdatasyncs (or, if that fails too, cuts
// the file back with ftruncate + fsync); if it rolled to new segments, it deletes them
// and cuts the segment it started in back to where the round began. The log then
// accepts appends again. If an fdatasync failed (the page cache state is then unknown)
// or the undo itself failed, the log is marked failed and refuses appends until it is
// reopened; after a failed undo (or a crash during one), recovery may find a prefix
// of the round's records.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One segment's share of a log's round.
struct StagedPiece {
    /// nil: the active segment; else the base sequence of a new segment.
    var newSegmentBase: UInt64?
    var startOffset: Int64
    var byteCount: Int64 = 0
    var buffers: [UnsafeRawBufferPointer] = []
    var meta: SegmentMeta
    var index: SparseIndex
    var nextIndexBoundary: Int64
}

/// A log's state during one commit round.
struct LogRound {
    var pieces: [StagedPiece]
    var nextSequence: UInt64
    var lastRowtime: Int64
    /// The active segment when the round began.
    let startSegment: Segment
    /// Segments sealed in this round, or files created (a roll, undone on abort).
    var rolled = false
    var createdPaths: [String] = []
    var newSegments: [Segment] = []
    var sealed: [(Segment, SegmentMeta, SparseIndex)] = []
    var activeSegment: Segment
    /// Bytes of the active piece that pwritev may have touched.
    var activeWriteAttempted = false
    /// fsync calls made by this round (seals, rolls, the final fdatasync).
    var syncs = 0
    /// Bytes staged on this log in this round.
    var byteCount: Int64 { pieces.reduce(0) { $0 + $1.byteCount } }
}

extension ShardLog {
    var segmentLimit: Int64 { Int64(options.segmentBytes) }

    /// Start a round: lock the writer and check the log is usable.
    func beginRound() throws {
        writerLock.lock()
        if let failure {
            writerLock.unlock()
            throw StorageError(.failed, "log refuses writes after an earlier failure (\(failure.message)); reopen it",
                               path: failure.path ?? directory, offset: failure.offset)
        }
        guard let w = writer else { writerLock.unlock(); throw closedError() }
        let piece = StagedPiece(newSegmentBase: nil, startOffset: w.writeOffset, meta: w.activeMeta,
                                index: w.activeIndex, nextIndexBoundary: w.nextIndexBoundary)
        round = LogRound(pieces: [piece], nextSequence: w.nextSequence, lastRowtime: w.lastRowtime,
                         startSegment: w.active, activeSegment: w.active)
    }

    /// The lowest rowtime this log accepts next (for rowtime assignment).
    var roundLastRowtime: Int64 { round!.lastRowtime }

    /// Stamp the pending frames in `bytes` (`count` records) with consecutive sequence
    /// numbers and `rowtime`, and plan their placement. Returns the first sequence.
    /// `bytes` must stay valid and unchanged until the round ends (the committer's round
    /// buffer guarantees it).
    func stage(_ bytes: UnsafeMutableRawBufferPointer, count: Int, rowtime requested: Int64) -> (UInt64, Int64) {
        var r = round!
        round = nil  // keep `r` uniquely referenced while we mutate it
        defer { round = r }
        let rowtime = max(requested, r.lastRowtime)
        let first = r.nextSequence
        guard count > 0, let base = bytes.baseAddress else { return (first, rowtime) }
        let total = bytes.count
        let interval = Int64(options.indexIntervalBytes)
        var runStart = 0
        var at = 0
        var piece = r.pieces.removeLast()
        while at < total {
            let p = base + at
            let length = Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            let used = piece.startOffset + piece.byteCount
            if used > 0 && used + Int64(length) > segmentLimit {
                if at > runStart { piece.buffers.append(UnsafeRawBufferPointer(start: base + runStart, count: at - runStart)) }
                r.pieces.append(piece)
                piece = StagedPiece(newSegmentBase: r.nextSequence, startOffset: 0,
                                    meta: SegmentMeta(baseSequence: r.nextSequence), index: SparseIndex(),
                                    nextIndexBoundary: 0)
                runStart = at
            }
            let seq = r.nextSequence
            _ = RecordFrame.seal(p, sequence: seq, rowtime: rowtime)
            let offset = piece.startOffset + piece.byteCount
            if offset >= piece.nextIndexBoundary {
                piece.index.entries.append(.init(sequence: seq, rowtime: rowtime, offset: offset))
                piece.nextIndexBoundary = (offset / interval + 1) * interval
            }
            piece.meta.add(sequence: seq, rowtime: rowtime, length: length)
            piece.byteCount += Int64(length)
            r.nextSequence = seq + 1
            at += length
        }
        if at > runStart { piece.buffers.append(UnsafeRawBufferPointer(start: base + runStart, count: at - runStart)) }
        r.pieces.append(piece)
        r.lastRowtime = rowtime
        return (first, rowtime)
    }

    /// Write the staged pieces. Pieces that fill a segment are written, fdatasync'ed and
    /// sealed here; the last piece is left for `syncRound`.
    func writeRound() throws {
        var r = round!
        round = nil
        defer { round = r }
        let last = r.pieces.count - 1
        for i in 0...last {
            let piece = r.pieces[i]
            let segment: Segment
            if let base = piece.newSegmentBase {
                r.rolled = true
                segment = try createSegment(base: base, round: &r)
                r.newSegments.append(segment)
            } else {
                segment = r.activeSegment
            }
            r.activeSegment = segment
            if piece.byteCount > 0 {
                if i == last { r.activeWriteAttempted = true }
                zeroAhead.claim(segment, upTo: piece.startOffset + piece.byteCount)
                try FileIO.pwritevAll(try segment.fd(), piece.buffers, at: piece.startOffset, path: segment.path)
            }
            if i < last {
                r.rolled = true
                if piece.byteCount > 0 { try FileIO.fdatasync(try segment.fd(), path: segment.path); r.syncs += 1 }
                zeroAhead.detach(segment)
                try seal(segment, meta: piece.meta, index: piece.index); r.syncs += 1
                r.sealed.append((segment, piece.meta, piece.index))
            }
        }
    }

    /// Whether the round left bytes to fdatasync.
    var roundNeedsSync: Bool { round.map { $0.pieces.last!.byteCount > 0 } ?? false }
    var roundNeedsSyncAtPublish: Bool { roundNeedsSync }

    /// fdatasync the active segment (may run on a sync worker thread).
    func syncRound() throws {
        let segment = round!.activeSegment
        try FileIO.fdatasync(try segment.fd(), path: segment.path)
    }

    /// The round's share as one piece of the commit journal, or nil when the round
    /// rolled a segment (such rounds fdatasync their files directly).
    var roundJournalPart: CommitJournal.Part? {
        guard let r = round, !r.rolled, r.pieces.count == 1, let piece = r.pieces.last, piece.byteCount > 0,
              piece.newSegmentBase == nil else { return nil }
        return CommitJournal.Part(log: self, segmentPath: r.activeSegment.path, offset: piece.startOffset,
                                  buffers: piece.buffers, byteCount: Int(piece.byteCount))
    }

    /// fdatasync the segment whose records only the commit journal made durable (a
    /// checkpoint; may run on a sync worker thread). Works on a closed log too: the
    /// segment keeps its descriptor while referenced.
    /// Returns whether it fdatasync'ed.
    func syncJournalCovered() throws -> Bool {
        writerLock.lock(); defer { writerLock.unlock() }
        guard let segment = journalCovered else { return false }
        do {
            try FileIO.fdatasync(try segment.fd(), path: segment.path)
        } catch let e as StorageError {
            failure = e
            throw e
        }
        journalCovered = nil
        return true
    }

    /// Make the round's records visible and end the round. `journaled`: the records are
    /// durable through the commit journal, not yet in this file. Returns its fsync count.
    func publishRound(synced: Bool, journaled: Bool = false) -> Int {
        let r = round!
        round = nil
        if synced {
            // The active segment was fdatasync'ed (and a segment rolled away from was
            // sealed with an fsync): nothing earlier depends on the journal any more.
            journalCovered = nil
        } else if journaled {
            journalCovered = r.activeSegment
        }
        let piece = r.pieces.last!
        let end = piece.startOffset + piece.byteCount
        writer = WriterState(active: r.activeSegment, writeOffset: end,
                             nextSequence: r.nextSequence, lastRowtime: r.lastRowtime,
                             activeMeta: piece.meta, activeIndex: piece.index,
                             nextIndexBoundary: piece.nextIndexBoundary)
        stateLock.lock()
        for (segment, meta, index) in r.sealed {
            segment.meta = meta
            segment.index = index
            segment.sealed = true
        }
        segments.append(contentsOf: r.newSegments)
        r.activeSegment.meta = piece.meta
        r.activeSegment.index = piece.index
        stateLock.unlock()
        writerLock.unlock()
        zeroAhead.afterRound(roundBytes: r.byteCount)
        return r.syncs + (synced ? 1 : 0)
    }

    /// Undo the round after `error` (see the file comment). Returns its fsync count.
    func abortRound(error: StorageError, syncFailed: Bool) -> Int {
        var r = round!
        round = nil
        do {
            if r.rolled {
                try undoRoll(&r)
            } else if r.activeWriteAttempted {
                try undoActiveWrite(&r)
            }
            // After a failed fdatasync the kernel may have dropped dirty pages: what is on
            // disk is unknown, so refuse writes until a reopen recovers from the disk.
            if syncFailed { failure = error }
        } catch let e as StorageError {
            failure = e
        } catch {
            failure = StorageError(.io, "\(error)", path: r.activeSegment.path)
        }
        writerLock.unlock()
        return r.syncs
    }

    /// Undo a round's write to the active segment: write zeros over it and fdatasync;
    /// if that fails (the disk may still be full), cut the file where the round began.
    private func undoActiveWrite(_ r: inout LogRound) throws {
        let piece = r.pieces.last!
        let segment = r.activeSegment
        let fd = try segment.fd()
        do {
            try FileIO.writeZeros(fd, at: piece.startOffset, count: piece.byteCount, path: segment.path)
            try FileIO.fdatasync(fd, path: segment.path); r.syncs += 1
        } catch {
            try FileIO.ftruncate(fd, piece.startOffset, path: segment.path)
            try FileIO.fsync(fd, path: segment.path); r.syncs += 1
            zeroAhead.retarget(segment, dataEnd: piece.startOffset, fileSize: piece.startOffset)
        }
    }

    /// Undo a round that created or sealed segments: delete the segments it created,
    /// then cut the segment it started in back to where the round began (and drop the
    /// index file its seal wrote). The in-memory state was not published, so it is
    /// still the state before the round.
    private func undoRoll(_ r: inout LogRound) throws {
        for path in r.createdPaths.reversed() {
            try FileIO.unlink(Segment.indexPath(forSegmentPath: path))
            try FileIO.unlink(path)
        }
        let start = r.startSegment
        try FileIO.unlink(Segment.indexPath(forSegmentPath: start.path))
        try FileIO.fsyncDirectory(directory); r.syncs += 1
        let begin = r.pieces[0].startOffset
        let fd = try start.fd()
        try FileIO.ftruncate(fd, begin, path: start.path)
        try FileIO.fsync(fd, path: start.path); r.syncs += 1
        zeroAhead.retarget(start, dataEnd: begin, fileSize: begin)
    }

    /// A new, empty active segment for `base` (its creation is undone if the round fails).
    private func createSegment(base: UInt64, round r: inout LogRound) throws -> Segment {
        let path = directory + "/" + Segment.fileName(baseSequence: base)
        r.createdPaths.append(path)
        let fd = try FileIO.open(path, O_RDWR | O_CREAT | O_TRUNC)
        let segment = Segment(path: path, meta: SegmentMeta(baseSequence: base), index: SparseIndex(), sealed: false, fd: fd)
        try FileIO.fsyncDirectory(directory); r.syncs += 1
        zeroAhead.retarget(segment, dataEnd: 0, fileSize: 0)
        return segment
    }

    /// Seal a segment whose records are durable: truncate it to its data, fsync, and
    /// write its index file.
    func seal(_ segment: Segment, meta: SegmentMeta, index: SparseIndex) throws {
        let fd = try segment.fd()
        try FileIO.ftruncate(fd, meta.dataBytes, path: segment.path)
        try FileIO.fsync(fd, path: segment.path)
        try ShardLog.writeIndexFile(meta: meta, index: index, segmentPath: segment.path)
    }
}
