// GroupCommitter: durable appends to shard logs, sharing fdatasyncs between writers.
//
//     let committer = GroupCommitter()
//     let results = try await committer.append([
//         AppendRequest(log: shard0, records: inputs0, rowtime: .monotonic(streamClock)),
//         AppendRequest(log: shard3, records: inputs3, rowtime: .monotonic(streamClock)),
//     ])   // resumes once every record is written and fdatasync'ed
//     committer.counters.fsyncsPerBatch
//     committer.shutdown()
//
// One dedicated commit thread runs rounds: a round takes every submission pending at
// that moment (for any number of logs), assigns rowtimes and sequence numbers in
// submission order, writes each log's share with one pwritev, fdatasyncs every dirty
// file (in parallel on a few sync threads when several are dirty), then resumes all the
// waiters. Callers `await`; no blocking I/O runs on the Swift cooperative pool.
//
// A submission is all-or-nothing as far as is practical: it is staged only if every
// log it names accepts writes, and if any write or fdatasync of the round fails, every
// submission of the round gets the error and the round's bytes are zeroed again (see
// ShardLog+Commit.swift for the cases where that is impossible and the log is marked
// failed; docs/storage-format.md, "Failures").

import Foundation
import FreshetCore

public final class GroupCommitter: @unchecked Sendable {
    public struct Options: Sendable {
        /// Threads besides the commit thread that run fdatasyncs in parallel.
        public var syncThreads: Int
        public init(syncThreads: Int = 3) { self.syncThreads = max(0, syncThreads) }
    }

    /// One part of a submission while it is being committed. Its frames are copied into
    /// the round buffer when staged; `records` itself is never modified.
    final class Part {
        let log: ShardLog
        let records: RecordInputs
        let rowtime: RowtimeSource
        var result = AppendResult(firstSequence: 0, count: 0, rowtime: 0)
        var count: Int { records.count }
        init(_ r: AppendRequest) {
            log = r.log; records = r.records; rowtime = r.rowtime
        }
    }

    final class Submission {
        let parts: [Part]
        let continuation: CheckedContinuation<[AppendResult], any Error>
        var error: (any Error)?
        var staged = false
        init(parts: [Part], continuation: CheckedContinuation<[AppendResult], any Error>) {
            self.parts = parts
            self.continuation = continuation
        }
    }

    private let condition = NSCondition()
    private var pending: [Submission] = []
    private var stopping = false
    private var stopped = false
    private var countersStorage = CommitCounters()
    private let syncWorkers: SyncWorkers
    private var nextRoundID: UInt64 = 0
    /// Where the current round's frames are stamped and written from (commit thread).
    private let roundBuffer = RoundBuffer()

    public init(options: Options = Options()) {
        syncWorkers = SyncWorkers(threads: options.syncThreads)
        // Strong: the thread owns the committer until run() returns (after shutdown); an unowned capture
        // crashed when a committer was released before its thread had even started.
        let thread = Thread { [self] in self.run() }
        thread.name = "freshet-commit"
        thread.start()
    }

    /// Append every part durably; returns one result per part, in order. Throws
    /// StorageError (and then no part is acknowledged).
    public func append(_ parts: [AppendRequest]) async throws -> [AppendResult] {
        let mine = parts.map(Part.init)
        return try await withCheckedThrowingContinuation { continuation in
            let submission = Submission(parts: mine, continuation: continuation)
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: StorageError(.shutdown, "the storage committer is shut down"))
                return
            }
            pending.append(submission)
            condition.signal()
            condition.unlock()
        }
    }

    /// Append records to one log.
    public func append(_ part: AppendRequest) async throws -> AppendResult {
        try await append([part])[0]
    }

    /// A snapshot of the counters.
    public var counters: CommitCounters {
        condition.lock(); defer { condition.unlock() }
        return countersStorage
    }

    /// Commit what was submitted so far, then stop; later appends throw `.shutdown`.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
        syncWorkers.stop()
    }

    // MARK: The commit thread

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            commitRound(batch)
        }
    }

    private func commitRound(_ submissions: [Submission]) {
        nextRoundID &+= 1
        let roundID = nextRoundID
        var begun: [ShardLog] = []
        var beginErrors: [(ShardLog, any Error)] = []
        var roundBytes = 0
        for sub in submissions { for part in sub.parts { roundBytes += part.records.byteCount } }
        roundBuffer.beginRound(bytes: roundBytes)
        defer { roundBuffer.endRound() }

        // 1. Begin the round on each log (once) and stage whole submissions.
        for sub in submissions {
            for part in sub.parts where part.log.roundID != roundID {
                part.log.roundID = roundID
                do {
                    try part.log.beginRound()
                    begun.append(part.log)
                } catch {
                    beginErrors.append((part.log, error))
                }
            }
            if let failed = sub.parts.first(where: { p in p.log.round == nil }) {
                sub.error = beginErrors.first(where: { $0.0 === failed.log })?.1
                    ?? StorageError(.io, "log could not start a commit round", path: failed.log.directory)
                continue
            }
            stage(sub)
        }

        // 2. Write, 3. fdatasync the dirty files (in parallel).
        var roundError: StorageError? = nil
        for log in begun where roundError == nil {
            do { try log.writeRound() } catch { roundError = asStorageError(error, log) }
        }
        var syncFailed = [Bool](repeating: false, count: begun.count)
        if roundError == nil {
            let dirty = begun.indices.filter { begun[$0].roundNeedsSync }
            let errors = UnsafeMutableBufferPointer<StorageError?>.allocate(capacity: dirty.count)
            errors.initialize(repeating: nil)
            defer { errors.deallocate() }
            syncWorkers.runAll(dirty.enumerated().map { (slot, i) in
                let log = begun[i]
                return {
                    do { try log.syncRound() } catch { errors[slot] = self.asStorageError(error, log) }
                }
            })
            for (slot, i) in dirty.enumerated() where errors[slot] != nil {
                syncFailed[i] = true
                if roundError == nil { roundError = errors[slot] }
            }
            if roundError == nil {
                var syncs = 0
                for i in begun.indices { syncs += begun[i].publishRound(synced: begun[i].roundNeedsSyncAtPublish) }
                finish(submissions, syncs: syncs, error: nil)
                return
            }
        }
        var syncs = 0
        for (i, log) in begun.enumerated() { syncs += log.abortRound(error: roundError!, syncFailed: syncFailed[i]) }
        finish(submissions, syncs: syncs, error: roundError)
    }

    /// Assign rowtimes and sequence numbers to every part of a submission (all its logs
    /// have begun the round).
    private func stage(_ sub: Submission) {
        // One rowtime per source per submission, never below any of its logs' newest.
        for part in sub.parts {
            if case .monotonic(let ts) = part.rowtime { ts.observe(part.log.roundLastRowtime) }
        }
        var values: [(AnyObject?, Int64)] = []
        for part in sub.parts {
            let rowtime: Int64
            switch part.rowtime {
            case .monotonic(let ts):
                if let v = values.first(where: { $0.0 === ts }) { rowtime = v.1 } else {
                    rowtime = ts.next()
                    values.append((ts, rowtime))
                }
            case .provider(let f):
                rowtime = f()
            }
            let count = part.count
            // The copy lives in the round buffer until the round ends, so the pointers
            // staged into it stay valid for the pwritev.
            let frames = part.records.bytes.withUnsafeBytes { roundBuffer.copy($0) }
            let (first, assigned) = part.log.stage(frames, count: count, rowtime: rowtime)
            part.result = AppendResult(firstSequence: first, count: count, rowtime: assigned)
        }
        sub.staged = true
    }

    private func finish(_ submissions: [Submission], syncs: Int, error: StorageError?) {
        var acked = 0, records = 0, failed = 0
        var bytes: Int64 = 0
        for sub in submissions {
            if sub.error == nil, sub.staged, error == nil {
                acked += 1
                for p in sub.parts { records += p.count; bytes += Int64(p.records.byteCount) }
            } else {
                failed += 1
            }
        }
        condition.lock()
        countersStorage.rounds += 1
        countersStorage.fsyncs += syncs
        countersStorage.batches += acked
        countersStorage.records += records
        countersStorage.bytes += bytes
        countersStorage.failedBatches += failed
        condition.unlock()
        for sub in submissions {
            if let e = sub.error {
                sub.continuation.resume(throwing: e)
            } else if let error, sub.staged {
                sub.continuation.resume(throwing: error)
            } else {
                sub.continuation.resume(returning: sub.parts.map(\.result))
            }
        }
    }

    private func asStorageError(_ error: any Error, _ log: ShardLog) -> StorageError {
        (error as? StorageError) ?? StorageError(.io, "\(error)", path: log.directory)
    }
}
