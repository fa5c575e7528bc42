// ZeroAhead: a bounded window of written zeros kept ahead of a log's write offset.
//
// fdatasync after an append that grows a file costs ~2.5× one after an overwrite inside
// already written blocks (p50 514 µs vs 210 µs on the development disk): the file
// system must also commit the new size and block allocation. So, like PostgreSQL's
// pre-zeroed WAL but bounded, each log keeps up to `LogOptions.zeroAheadBytes` of zeros
// written (and fdatasync'ed) past the data of its active segment, topped up by the
// shared background worker after *small* commit rounds. A round larger than half the
// window is "bulk": it just appends, growing the file (its fdatasync is amortised over
// many records), and zeroing ahead of it would double the bytes written. A new log
// writes nothing until its first round, and then at most the window; nothing is zeroed
// past the segment size.
//
// Zeros are the end-of-data marker (a zero frame length), so recovery is unaffected:
// a crash leaves data, then zeros or the end of the file (docs/storage-format.md).
//
// Coordination with the commit thread: before each pwrite the writer `claim`s the
// segment up to the end of what it writes; the background job only writes zeros at or
// past the claimed end, one chunk at a time while holding `lock`, so a claim waits for
// at most one chunk and zeros never land on data. The job writes and fdatasyncs
// through its own descriptor: Linux reports a writeback error once per open file
// description, so the commit thread's fdatasync (on the segment's descriptor) still
// sees an error that the job's fdatasync saw too.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

final class ZeroAhead: @unchecked Sendable {
    /// Bytes of zeros to keep ahead of the data (0: disabled).
    let window: Int64
    /// Never zero past this offset (the segment size).
    let limit: Int64
    /// Bytes written per pwrite while holding the lock.
    static let chunk: Int64 = 256 << 10

    /// A descriptor closed when the last user lets go of it (the job may still be in
    /// fdatasync on it when the writer retargets).
    final class Descriptor {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { FileIO.close(fd) }
    }

    private let lock = NSLock()
    // All guarded by `lock`.
    private var target: Segment?
    private var descriptor: Descriptor?
    /// The writer owns [0, claimedEnd) of the target: zeros are never written there.
    private var claimedEnd: Int64 = 0
    /// [0, writtenEnd) of the target has been written (data or zeros).
    private var writtenEnd: Int64 = 0
    private var scheduled = false
    private var stopped = false
    private var counters = Counters()

    /// What the background job has done (tests and measurements).
    struct Counters: Equatable {
        var bytesZeroed: Int64 = 0
        var syncs = 0
    }

    init(window: Int, limit: Int) {
        self.window = Int64(max(window, 0))
        self.limit = Int64(limit)
    }

    var snapshot: (counters: Counters, writtenEnd: Int64, claimedEnd: Int64) {
        lock.lock(); defer { lock.unlock() }
        return (counters, writtenEnd, claimedEnd)
    }

    /// The active segment is now `segment` (open, roll, undone roll): its data ends at
    /// `dataEnd` and its file has `fileSize` bytes.
    func retarget(_ segment: Segment, dataEnd: Int64, fileSize: Int64) {
        lock.lock(); defer { lock.unlock() }
        if target !== segment {
            target = segment
            descriptor = nil
        }
        claimedEnd = dataEnd
        writtenEnd = max(fileSize, dataEnd)
    }

    /// Stop zeroing `segment` (before it is sealed and truncated). Waits for a chunk in
    /// progress.
    func detach(_ segment: Segment) {
        lock.lock(); defer { lock.unlock() }
        if target === segment {
            target = nil
            descriptor = nil
        }
    }

    /// The writer is about to write `segment` up to `end` (commit thread, before pwrite).
    @inline(__always)
    func claim(_ segment: Segment, upTo end: Int64) {
        guard window > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        guard target === segment else { return }
        if end > claimedEnd { claimedEnd = end }
        if end > writtenEnd { writtenEnd = end }
    }

    /// A round of `roundBytes` was published: top the window up if the round was small
    /// and fewer than half the window's zeros remain.
    func afterRound(roundBytes: Int64) {
        guard window > 0, roundBytes * 2 <= window else { return }
        lock.lock()
        let go = !scheduled && !stopped && needsRefill()
        if go { scheduled = true }
        lock.unlock()
        if go { BackgroundWorker.shared.submit { [self] in fill() } }
    }

    /// No more zeroing (the log is closing).
    func stop() {
        lock.lock(); defer { lock.unlock() }
        stopped = true
        target = nil
        descriptor = nil
    }

    /// Lock held.
    private func needsRefill() -> Bool {
        guard target != nil, !stopped, writtenEnd < limit else { return false }
        return writtenEnd - claimedEnd < window / 2
    }

    /// The background job: write zeros up to `claimedEnd + window`, fdatasync, repeat
    /// while the writer keeps consuming the window.
    private func fill() {
        while true {
            var written: Descriptor? = nil
            var path = ""
            while true {
                lock.lock()
                guard !stopped, let segment = target else { lock.unlock(); break }
                let goal = min(claimedEnd + window, limit)
                let from = max(writtenEnd, claimedEnd)
                if from >= goal { lock.unlock(); break }
                do {
                    if descriptor == nil { descriptor = Descriptor(try FileIO.open(segment.path, O_RDWR)) }
                    let n = min(ZeroAhead.chunk, goal - from)
                    try FileIO.writeZeros(descriptor!.fd, at: from, count: n, path: segment.path)
                    writtenEnd = from + n
                    counters.bytesZeroed += n
                    written = descriptor
                    path = segment.path
                } catch {
                    // Disk full, I/O error, file gone: stop zeroing this segment; the
                    // writer just grows the file. (A writeback error still reaches the
                    // writer's own fdatasync.)
                    target = nil
                    descriptor = nil
                }
                lock.unlock()
            }
            var synced = false
            if let written { synced = (try? FileIO.fdatasync(written.fd, path: path)) != nil }
            lock.lock()
            if synced { counters.syncs += 1 }
            if written != nil && needsRefill() {
                lock.unlock()
                continue
            }
            scheduled = false
            lock.unlock()
            return
        }
    }
}
