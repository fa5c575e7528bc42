// StagedAppend: the frames of one bulk append (a large COPY) written to a log's
// directory ahead of their commit, in staging files that readers never see.
//
//     let staged = try StagedAppend(log: log, id: "0123abcd")
//     try staged.append(records)          // as the producer goes, in order (pwrite, no fsync)
//     try await committer.commitStaged([StagedAppendRequest(staged: staged, rowtime: …)])
//     staged.discard()                    // on error or disconnect (also fine after a commit)
//
// Files: `copy-<id>-<n>.staging` in the log's directory, each at most the log's
// segment size (a file is started when the next frame would not fit), holding
// pending frames exactly as RecordInputs frames them (sequence, rowtime and final CRC
// still to come). The commit (ShardLog+Staged.swift) stamps them in place and renames
// them in as segments. `ShardLog.open` deletes staging files, so after a crash nothing
// of an uncommitted bulk append remains (docs/storage-format.md, "Staged appends").
//
// One producer at a time appends (the caller orders the calls); `discard` may run on
// any thread once appends have stopped.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public final class StagedAppend: @unchecked Sendable {
    public let log: ShardLog
    public let id: String

    /// One staging file: its path, descriptor, bytes and records written.
    final class File {
        let path: String
        var fd: Int32
        var byteCount: Int64 = 0
        var recordCount = 0
        init(path: String, fd: Int32) { self.path = path; self.fd = fd }
    }

    private let lock = NSLock()
    private(set) var files: [File] = []
    /// Set by `discard` or a commit: no more appends.
    private var finished = false
    /// The commit passed its commit point: the files belong to the log (or, if linking
    /// them failed, to the journal's replay at the next start) and are never deleted here.
    private var committed = false

    /// Records and frame bytes staged so far.
    public private(set) var recordCount = 0
    public private(set) var byteCount: Int64 = 0

    /// `id` must be unique among the staged appends of the data directory (it names
    /// the files, and a committed link is replayed by name).
    public init(log: ShardLog, id: String) {
        self.log = log
        self.id = id
    }

    deinit { for f in files where f.fd >= 0 { FileIO.close(f.fd) } }

    static let suffix = ".staging"
    static func isStagingFile(_ name: String) -> Bool { name.hasPrefix("copy-") && name.hasSuffix(suffix) }

    /// Write `records`' pending frames after those staged before (no fdatasync: the
    /// commit does that). Throws StorageError; the staged append is then unusable and
    /// must be discarded.
    public func append(_ records: RecordInputs) throws {
        guard !records.isEmpty else { return }
        let limit = Int64(log.options.segmentBytes)
        try records.bytes.withUnsafeBytes { buf in
            let base = buf.baseAddress!
            let total = buf.count
            var at = 0
            while at < total {
                lock.lock()
                let done = finished
                lock.unlock()
                if done { throw StorageError(.closed, "staged append was discarded", path: log.directory) }
                var file = files.last
                if file == nil || (file!.byteCount > 0 && file!.byteCount + Int64(RecordFrame.length(base + at)) > limit) {
                    file = try newFile()
                }
                let f = file!
                // As many whole frames as fit in this file (at least one).
                var end = at
                var n = 0
                var size = f.byteCount
                if size + Int64(total - at) <= limit {
                    n = records.count - (at == 0 ? 0 : countFrames(base, 0, at))
                    end = total
                } else {
                    repeat {
                        let length = RecordFrame.length(base + end)
                        if end > at && size + Int64(length) > limit { break }
                        size += Int64(length)
                        end += length
                        n += 1
                    } while end < total
                }
                try FileIO.pwriteAll(f.fd, base + at, end - at, at: f.byteCount, path: f.path)
                f.byteCount += Int64(end - at)
                f.recordCount += n
                recordCount += n
                byteCount += Int64(end - at)
                at = end
            }
        }
    }

    private func countFrames(_ base: UnsafeRawPointer, _ from: Int, _ to: Int) -> Int {
        var n = 0, at = from
        while at < to { at += RecordFrame.length(base + at); n += 1 }
        return n
    }

    private func newFile() throws -> File {
        let path = log.directory + "/copy-\(id)-\(files.count)" + Self.suffix
        let fd = try FileIO.open(path, O_RDWR | O_CREAT | O_TRUNC)
        let f = File(path: path, fd: fd)
        lock.lock()
        files.append(f)
        lock.unlock()
        return f
    }

    /// Close the staging files and delete them, unless a commit reached its commit
    /// point (then they are linked in, or will be by the next start). Safe to call
    /// more than once.
    public func discard() {
        lock.lock()
        finished = true
        let fs = files
        let keep = committed
        files = []
        lock.unlock()
        for f in fs {
            if f.fd >= 0 { FileIO.close(f.fd); f.fd = -1 }
            if !keep && FileIO.exists(f.path) { try? FileIO.unlink(f.path) }
        }
    }

    /// The commit reached its commit point (commit thread).
    func markCommitted() {
        lock.lock(); defer { lock.unlock() }
        committed = true
    }

    /// The commit takes the files over: no more appends. (A file it links in no longer
    /// exists under its staging name, and a descriptor it keeps is set to -1, so a later
    /// `discard` leaves both alone.)
    func handOver() -> [File] {
        lock.lock(); defer { lock.unlock() }
        finished = true
        return files
    }
}

/// A staged append to commit, with where its ROWTIME comes from (as AppendRequest).
public struct StagedAppendRequest: Sendable {
    public var staged: StagedAppend
    public var rowtime: RowtimeSource
    public init(staged: StagedAppend, rowtime: RowtimeSource) {
        self.staged = staged
        self.rowtime = rowtime
    }
}
