// ShardLog spare segments: the next segment file, pre-zeroed in the background.
//
// fdatasync after an append that grows a file costs ~2.5× one after an overwrite
// inside allocated, written blocks (the file system must commit the size change).
// So, as PostgreSQL pre-zeroes WAL segments, each log keeps `spare.prealloc`: a file of
// `segmentBytes` zeros, written and fsync'ed by the background worker under the name
// `spare.tmp` and then renamed. A roll renames the spare to the new segment's name.
// If no spare is ready at a roll, the new segment simply grows as it is written, and
// is swapped for the spare as soon as one is ready (see ShardLog+Commit).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ShardLog {
    /// Ask the background worker for a spare, unless one is ready or being made.
    func requestSpare() {
        guard options.preallocate else { return }
        stateLock.lock()
        guard spare == .none, !closed else { stateLock.unlock(); return }
        spare = .preparing
        stateLock.unlock()
        BackgroundWorker.preallocator.submit { [weak self] in self?.prepareSpare() }
    }

    /// Wait until spares requested so far are made (tests).
    static func waitForSpares() { BackgroundWorker.preallocator.drain() }

    private func isClosed() -> Bool {
        stateLock.lock(); defer { stateLock.unlock() }
        return closed
    }

    private func prepareSpare() {
        spareLock.lock(); defer { spareLock.unlock() }
        var ok = false
        defer {
            stateLock.lock()
            if spare == .preparing { spare = ok ? .ready : .none }
            stateLock.unlock()
        }
        guard !isClosed() else { return }
        let tmp = spareTempPath
        do {
            let fd = try FileIO.open(tmp, O_RDWR | O_CREAT | O_TRUNC)
            defer { FileIO.close(fd) }
            let done = try FileIO.writeZeros(fd, at: 0, count: Int64(options.segmentBytes), path: tmp,
                                             shouldStop: { [unowned self] in self.isClosed() })
            guard done else { try? FileIO.unlink(tmp); return }
            try FileIO.fsync(fd, path: tmp)
            guard !isClosed() else { try? FileIO.unlink(tmp); return }
            try FileIO.rename(tmp, sparePath)
            ok = true
        } catch {
            // Disk full or I/O error: no spare; segments will grow as written.
            try? FileIO.unlink(tmp)
        }
    }

    /// Take the ready spare (commit thread): renames it to `path` and returns an open
    /// descriptor, or nil when none is ready. The caller fsyncs the directory.
    func takeSpare(renamingTo path: String) throws -> Int32? {
        stateLock.lock()
        let ready = spare == .ready
        if ready { spare = .none }
        stateLock.unlock()
        guard ready else { return nil }
        spareLock.lock()
        defer { spareLock.unlock() }
        try FileIO.rename(sparePath, path)
        return try FileIO.open(path, O_RDWR)
    }

    var spareIsReady: Bool {
        stateLock.lock(); defer { stateLock.unlock() }
        return spare == .ready
    }
}
