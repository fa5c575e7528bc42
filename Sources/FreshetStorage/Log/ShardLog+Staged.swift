// ShardLog's side of committing a staged append (StagedAppend.swift). Called only by
// GroupCommitter's commit thread, one staged commit at a time, never inside a round.
//
// `beginLink` locks the writer; `stampStaged` assigns the next sequence numbers and
// the commit's ROWTIME to the staged frames in place (the files are mapped: their
// pages are already in the page cache, so nothing is copied), builds each file's
// summary and sparse index, and fdatasyncs the files and the active segment; then —
// after the committer has recorded the link in the commit journal, the commit point —
// `finishLink` seals the active segment, renames the staging files in as the next
// segments (the last one becomes the active segment), fsyncs the directory and
// publishes. `abortLink` (before the commit point) leaves the log as it was; the
// staging files are then the owner's to discard. See docs/storage-format.md,
// "Staged appends".

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A staged append stamped and synced, waiting to be linked in.
struct StagedLink {
    struct Piece {
        let file: StagedAppend.File
        let meta: SegmentMeta
        let index: SparseIndex
        let nextIndexBoundary: Int64
        var target: String
    }
    var pieces: [Piece]
    /// The active segment when the link began, and where its data ends.
    let oldActive: Segment
    let oldDataEnd: Int64
    let oldMeta: SegmentMeta
    let oldIndex: SparseIndex
    let firstSequence: UInt64
    let nextSequence: UInt64
    let rowtime: Int64
    let recordCount: Int
    /// Whether the first staged segment takes the (empty) active segment's name.
    var replacesActive: Bool { pieces.first?.target == oldActive.path }
}

extension ShardLog {
    /// Bytes stamped between two releases of the mapped pages.
    static let stampWindow = 8 << 20
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Lock the writer for a staged commit and check the log accepts writes.
    func beginLink() throws {
        writerLock.lock()
        if let failure {
            writerLock.unlock()
            throw StorageError(.failed, "log refuses writes after an earlier failure (\(failure.message)); reopen it",
                               path: failure.path ?? directory, offset: failure.offset)
        }
        if writer == nil { writerLock.unlock(); throw closedError() }
    }

    /// The newest rowtime of the log (under `beginLink`).
    var linkLastRowtime: Int64 { writer!.lastRowtime }

    /// Stamp the staged frames with consecutive sequence numbers from the log's next and
    /// `rowtime` (raised to the log's newest), build their summaries and indexes, and
    /// fdatasync the staging files and the active segment. May run on a sync worker
    /// (the commit thread holds the writer lock meanwhile). Throws StorageError: the
    /// files may then be stamped, but nothing refers to them.
    func stampStaged(_ staged: StagedAppend, rowtime requested: Int64) throws -> StagedLink {
        let w = writer!
        let rowtime = max(requested, w.lastRowtime)
        let interval = Int64(options.indexIntervalBytes)
        var next = w.nextSequence
        var pieces: [StagedLink.Piece] = []
        var records = 0
        for file in staged.handOver() where file.byteCount > 0 {
            guard file.fd >= 0 else { throw StorageError(.closed, "staged append was discarded", path: file.path) }
            let size = Int(file.byteCount)
            guard let map = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, file.fd, 0), map != MAP_FAILED else {
                throw StorageError.system("mmap", path: file.path)
            }
            var meta = SegmentMeta(baseSequence: next)
            var index = SparseIndex()
            var boundary: Int64 = 0
            var at = 0
            var bad: String? = nil
            // Unmap what is stamped every few MiB: the pages stay in the page cache
            // (dirty, for the fdatasync below), but not in the process's RSS.
            var released = 0
            while at < size {
                if at - released >= ShardLog.stampWindow {
                    let upTo = at & ~(ShardLog.pageSize - 1)
                    _ = madvise(map + released, upTo - released, MADV_DONTNEED)
                    released = upTo
                }
                let p = map + at
                let length = RecordFrame.length(p)
                guard length >= RecordFrame.overhead, at + length <= size else { bad = "bad staged frame length \(length)"; break }
                _ = RecordFrame.seal(p, sequence: next, rowtime: rowtime)
                let offset = Int64(at)
                if offset >= boundary {
                    index.entries.append(.init(sequence: next, rowtime: rowtime, offset: offset))
                    boundary = (offset / interval + 1) * interval
                }
                meta.add(sequence: next, rowtime: rowtime, length: length)
                next += 1
                at += length
            }
            munmap(map, size)
            if let bad { throw StorageError(.corrupt, bad, path: file.path, offset: Int64(at)) }
            records += meta.recordCount
            try FileIO.fdatasync(file.fd, path: file.path)
            pieces.append(.init(file: file, meta: meta, index: index, nextIndexBoundary: boundary,
                                target: directory + "/" + Segment.fileName(baseSequence: meta.baseSequence)))
        }
        // The segment about to be sealed: records only the journal held become durable in it.
        if journalCovered != nil { try FileIO.fdatasync(try w.active.fd(), path: w.active.path) }
        return StagedLink(pieces: pieces, oldActive: w.active, oldDataEnd: w.writeOffset, oldMeta: w.activeMeta,
                          oldIndex: w.activeIndex, firstSequence: w.nextSequence, nextSequence: next,
                          rowtime: rowtime, recordCount: records)
    }

    /// After the commit point: seal the active segment (unless the first staged segment
    /// replaces it, empty, under the same name), rename the staging files in, write
    /// the new sealed segments' indexes, fsync the directory, and publish. Returns the
    /// fsync count. On a throw the log is marked failed (the commit journal, or a
    /// reopen, completes or undoes the link) and the writer lock is released.
    func finishLink(_ link: StagedLink) throws -> Int {
        defer { writerLock.unlock() }
        guard !link.pieces.isEmpty else { return 0 }
        var syncs = 0
        var newSegments: [Segment] = []
        do {
            zeroAhead.detach(link.oldActive)
            if !link.replacesActive {
                try seal(link.oldActive, meta: link.oldMeta, index: link.oldIndex); syncs += 1
            }
            for piece in link.pieces { try FileIO.rename(piece.file.path, piece.target) }
            try FileIO.fsyncDirectory(directory); syncs += 1
            let last = link.pieces.count - 1
            for (i, piece) in link.pieces.enumerated() {
                if i < last {
                    try ShardLog.writeIndexFile(meta: piece.meta, index: piece.index, segmentPath: piece.target)
                    FileIO.close(piece.file.fd)
                    piece.file.fd = -1
                    newSegments.append(Segment(path: piece.target, meta: piece.meta, index: piece.index, sealed: true))
                } else {
                    let fd = piece.file.fd
                    piece.file.fd = -1
                    newSegments.append(Segment(path: piece.target, meta: piece.meta, index: piece.index, sealed: false, fd: fd))
                }
            }
        } catch {
            let e = (error as? StorageError) ?? StorageError(.io, "\(error)", path: directory)
            failure = e
            throw e
        }
        let active = newSegments.last!
        let lastPiece = link.pieces.last!
        writer = WriterState(active: active, writeOffset: lastPiece.meta.dataBytes, nextSequence: link.nextSequence,
                             lastRowtime: link.rowtime, activeMeta: lastPiece.meta, activeIndex: lastPiece.index,
                             nextIndexBoundary: lastPiece.nextIndexBoundary)
        journalCovered = nil
        stateLock.lock()
        if link.replacesActive {
            if segments.last === link.oldActive { segments.removeLast() }
        } else {
            link.oldActive.meta = link.oldMeta
            link.oldActive.index = link.oldIndex
            link.oldActive.sealed = true
        }
        segments.append(contentsOf: newSegments)
        stateLock.unlock()
        zeroAhead.retarget(active, dataEnd: lastPiece.meta.dataBytes, fileSize: lastPiece.meta.dataBytes)
        return syncs
    }

    /// Give up a staged commit before its commit point: the log is unchanged.
    func abortLink() {
        writerLock.unlock()
    }
}
