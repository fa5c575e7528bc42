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
// file (in parallel on a few sync threads when several are dirty) — or, with a commit
// journal, for a small round over several files only the journal (CommitJournal.swift)
// — then resumes all the waiters. Callers `await`; no blocking I/O runs on the Swift
// cooperative pool.
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
        /// Bytes of the commit journal file (see `init(journalPath:options:)`).
        public var journalBytes: Int
        /// Seconds without submissions after which records only the journal holds are
        /// checkpointed into their logs' own files (tests that count fsyncs set it high).
        public var idleCheckpointSeconds: Double
        public init(syncThreads: Int = 3, journalBytes: Int = 4 << 20, idleCheckpointSeconds: Double = 1) {
            self.syncThreads = max(0, syncThreads)
            self.journalBytes = journalBytes
            self.idleCheckpointSeconds = idleCheckpointSeconds
        }
    }

    /// What the commit journal rewrote into segment files when the committer started.
    public struct JournalReplay: Sendable, Equatable {
        /// Journal entries (commit rounds) found.
        public var entries: Int
        /// Segment pieces rewritten, and their bytes.
        public var parts: Int
        public var bytes: Int
        /// Pieces whose segment file no longer exists (dropped stream, retention).
        public var skippedParts: Int
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
        /// A staged commit (commitStaged) instead of parts; committed on its own, after the round.
        let stagedAppends: [StagedAppendRequest]
        let continuation: CheckedContinuation<[AppendResult], any Error>
        var error: (any Error)?
        var staged = false
        /// What a staged commit assigned, per request.
        var stagedResults: [AppendResult] = []
        init(parts: [Part], stagedAppends: [StagedAppendRequest] = [],
             continuation: CheckedContinuation<[AppendResult], any Error>) {
            self.parts = parts
            self.stagedAppends = stagedAppends
            self.continuation = continuation
        }
    }

    private let condition = NSCondition()
    private var pending: [Submission] = []
    private var stopping = false
    private var stopped = false
    private var countersStorage = CommitCounters()
    private let syncWorkers: SyncWorkers
    private let idleCheckpointSeconds: Double
    private var nextRoundID: UInt64 = 0
    /// Where the current round's frames are stamped and written from (commit thread).
    private let roundBuffer = RoundBuffer()

    /// The commit journal (nil: every dirty file of a round is fdatasync'ed).
    private let journal: CommitJournal?
    /// What the journal rewrote at start-up (nil without a journal).
    public let journalReplay: JournalReplay?

    /// A committer without a commit journal: a round fdatasyncs every file it wrote.
    public convenience init(options: Options = Options()) {
        self.init(options: options, journal: nil, replay: nil)
    }

    /// A committer with a commit journal at `journalPath` (see CommitJournal.swift): a
    /// small round that wrote several logs costs one fdatasync. Opening it rewrites the
    /// records of the rounds it still holds into their segment files, so it must be
    /// created **before** any log it will append to is opened (and every log under
    /// the same journal must be opened after it).
    public convenience init(journalPath: String, options: Options = Options()) throws {
        let (journal, r) = try CommitJournal.open(path: journalPath, capacity: options.journalBytes)
        self.init(options: options, journal: journal,
                  replay: JournalReplay(entries: r.entries, parts: r.parts, bytes: r.bytes, skippedParts: r.skippedParts))
    }

    private init(options: Options, journal: CommitJournal?, replay: JournalReplay?) {
        self.journal = journal
        self.journalReplay = replay
        syncWorkers = SyncWorkers(threads: options.syncThreads)
        idleCheckpointSeconds = options.idleCheckpointSeconds
        // Strong: the thread owns the committer until run() returns (after shutdown); an unowned capture
        // crashed when a committer was released before its thread had even started.
        let thread = Thread { [self] in self.run() }
        thread.name = "freshet-commit"
        thread.start()
    }

    /// Append every part durably; returns one result per part, in order. Throws
    /// StorageError (and then no part is acknowledged).
    public func append(_ parts: [AppendRequest]) async throws -> [AppendResult] {
        try await submit(parts: parts.map(Part.init), stagedAppends: [])
    }

    /// Commit staged appends (StagedAppend.swift) to their logs as one unit: every
    /// staged record gets the next sequence numbers of its log and one ROWTIME per
    /// source, is fdatasync'ed, and becomes visible at once. With a commit journal the
    /// link is recorded in it first, so after a crash either all the logs have the
    /// records or none has. Returns one result per request, in order. On a throw no
    /// record was linked in, unless the error says the log failed after the commit
    /// point (then a reopen completes the link). The caller discards the staged
    /// appends afterwards either way.
    public func commitStaged(_ requests: [StagedAppendRequest]) async throws -> [AppendResult] {
        try await submit(parts: [], stagedAppends: requests)
    }

    /// Queue a submission for the commit thread and wait for its results.
    private func submit(parts: [Part], stagedAppends: [StagedAppendRequest]) async throws -> [AppendResult] {
        try await withCheckedThrowingContinuation { continuation in
            let submission = Submission(parts: parts, stagedAppends: stagedAppends, continuation: continuation)
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
            while pending.isEmpty && !stopping {
                // Idle with records that only the journal holds: checkpoint after a
                // second without submissions, so an idle server's logs are complete in
                // their own files (and a restart has nothing to replay).
                if let journal, journal.hasCovered {
                    if !condition.wait(until: Date(timeIntervalSinceNow: idleCheckpointSeconds)) && pending.isEmpty && !stopping {
                        condition.unlock()
                        checkpoint()
                        condition.lock()
                    }
                } else {
                    condition.wait()
                }
            }
            if pending.isEmpty {
                condition.unlock()
                // A clean stop leaves the logs fdatasync'ed and the journal empty.
                checkpoint()
                condition.lock()
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            let round = batch.filter { $0.stagedAppends.isEmpty }
            if !round.isEmpty { commitRound(round) }
            for sub in batch where !sub.stagedAppends.isEmpty { commitStaged(sub) }
        }
    }

    private func commitRound(_ submissions: [Submission]) {
        nextRoundID &+= 1
        let roundID = nextRoundID
        var begun: [ShardLog] = []
        var beginErrors: [(ShardLog, any Error)] = []
        var roundBytes = 0
        for sub in submissions { for part in sub.parts { roundBytes += part.records.byteCount } }
        // Make room in the journal before any log is locked for the round (a checkpoint
        // locks the logs it fdatasyncs).
        var journalEligible = false
        if let journal, journal.usable, roundBytes <= journal.maxEntryBytes {
            var pathBytes = 0, parts = 0
            for sub in submissions { for part in sub.parts { pathBytes += part.log.directory.utf8.count + 25; parts += 1 } }
            let bound = CommitJournal.entrySize(pathBytes: pathBytes, parts: parts, dataBytes: roundBytes)
            if !journal.fits(bound) { checkpoint() }
            journalEligible = journal.usable && journal.fits(bound)
        }
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
        if roundError == nil, journalEligible, let journal {
            // One fdatasync (the journal's) for all the round's files, when it pays.
            let dirty = begun.indices.filter { begun[$0].roundNeedsSync }
            let parts = dirty.compactMap { begun[$0].roundJournalPart }
            if dirty.count >= 2 && parts.count == dirty.count {
                do {
                    try journal.append(parts)
                    var syncs = 1
                    for log in begun { syncs += log.publishRound(synced: false, journaled: log.roundNeedsSync) }
                    finish(submissions, syncs: syncs, error: nil)
                    return
                } catch {
                    roundError = (error as? StorageError) ?? StorageError(.io, "\(error)", path: journal.path)
                    // The journal could not erase the failed entry: the round's records
                    // may come back at the next start, so what is on disk is unknown.
                    if !journal.usable { for i in dirty { syncFailed[i] = true } }
                }
            }
        }
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

    /// Commit one staged submission (commitStaged): lock its logs, stamp and fdatasync
    /// the staged files (in parallel), record the link in the journal (the commit
    /// point), link the files in and publish. See ShardLog+Staged.swift.
    private func commitStaged(_ sub: Submission) {
        let requests = sub.stagedAppends
        // Room for the link entry before any log is locked (a checkpoint locks logs).
        var linkParts: [CommitJournal.LinkPart] = []
        var useJournal = false
        if let journal, journal.usable {
            var estimate: [CommitJournal.LinkPart] = []
            for r in requests {
                for f in r.staged.files {
                    // Names of the same length as the real ones (20-digit bases).
                    estimate.append(.init(stagingPath: f.path, targetPath: r.staged.log.directory + "/" + Segment.fileName(baseSequence: 0),
                                          sealedPath: r.staged.log.directory + "/" + Segment.fileName(baseSequence: 0), sealedDataEnd: 0))
                }
            }
            let size = journal.linkEntrySize(estimate)
            if !journal.fits(size) { checkpoint() }
            useJournal = journal.usable && journal.fits(size)
        }
        var begun: [ShardLog] = []
        var syncs = 0
        func fail(_ error: any Error) {
            for log in begun { log.abortLink() }
            sub.error = (error as? StorageError) ?? StorageError(.io, "\(error)", path: nil)
            finish([sub], syncs: syncs, error: nil)
        }
        for r in requests {
            guard !begun.contains(where: { $0 === r.staged.log }) else {
                return fail(StorageError(.invalidArgument, "two staged appends to one log in one commit", path: r.staged.log.directory))
            }
            do { try r.staged.log.beginLink() } catch { return fail(error) }
            begun.append(r.staged.log)
        }
        // One rowtime per source, never below any of its logs' newest.
        for r in requests { if case .monotonic(let ts) = r.rowtime { ts.observe(r.staged.log.linkLastRowtime) } }
        var values: [(AnyObject?, Int64)] = []
        var rowtimes: [Int64] = []
        for r in requests {
            switch r.rowtime {
            case .monotonic(let ts):
                if let v = values.first(where: { $0.0 === ts }) { rowtimes.append(v.1) } else {
                    let t = ts.next()
                    values.append((ts, t))
                    rowtimes.append(t)
                }
            case .provider(let f):
                rowtimes.append(f())
            }
        }
        // Stamp and fdatasync, one job per log.
        let links = UnsafeMutableBufferPointer<StagedLink?>.allocate(capacity: requests.count)
        links.initialize(repeating: nil)
        let errors = UnsafeMutableBufferPointer<StorageError?>.allocate(capacity: requests.count)
        errors.initialize(repeating: nil)
        defer {
            links.deinitialize(); links.deallocate()
            errors.deinitialize(); errors.deallocate()
        }
        syncWorkers.runAll(requests.enumerated().map { (i, r) in
            {
                do { links[i] = try r.staged.log.stampStaged(r.staged, rowtime: rowtimes[i]) } catch {
                    errors[i] = self.asStorageError(error, r.staged.log)
                }
            }
        })
        for i in requests.indices {
            if let e = errors[i] { return fail(e) }
            syncs += links[i]!.pieces.count
        }
        // The commit point.
        if useJournal, let journal {
            for i in requests.indices {
                let l = links[i]!
                for p in l.pieces {
                    linkParts.append(.init(stagingPath: p.file.path, targetPath: p.target,
                                           sealedPath: l.oldActive.path, sealedDataEnd: l.oldDataEnd))
                }
            }
            if !linkParts.isEmpty {
                do { try journal.appendLink(linkParts) } catch { return fail(error) }
                syncs += 1
            }
        }
        for r in requests { r.staged.markCommitted() }
        var linkError: StorageError? = nil
        for i in requests.indices {
            do { syncs += try requests[i].staged.log.finishLink(links[i]!) } catch {
                if linkError == nil { linkError = asStorageError(error, requests[i].staged.log) }
            }
        }
        begun = []
        if let linkError {
            // The journal's link entry must survive until a restart replays it (a
            // checkpoint would end its epoch): stop using the journal, as after a
            // failed checkpoint.
            if useJournal, !linkParts.isEmpty { journal?.disable() }
            sub.error = StorageError(linkError.kind,
                "the bulk append reached its commit point but could not be linked in (\(linkError.message)); the log refuses writes until reopened, which completes it",
                path: linkError.path, offset: linkError.offset)
            finish([sub], syncs: syncs, error: nil)
            return
        }
        sub.stagedResults = (0..<requests.count).map { i in
            let l = links[i]!
            return AppendResult(firstSequence: l.firstSequence, count: l.recordCount, rowtime: l.rowtime)
        }
        sub.staged = true
        finish([sub], syncs: syncs, error: nil)
    }

    /// fdatasync every log whose records only the journal holds durably (in parallel),
    /// then start a new journal epoch. If a log's fdatasync fails, the log is marked
    /// failed and the journal keeps its entries for the next start (and is not used
    /// again). Commit thread, outside a round.
    private func checkpoint() {
        guard let journal, journal.usable else { return }
        let logs = journal.takeCovered()
        // Per log: 0 nothing to do, 1 fdatasync'ed, 2 failed (each slot written by one job).
        let outcome = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, logs.count))
        outcome.initialize(repeating: 0, count: max(1, logs.count))
        defer { outcome.deallocate() }
        syncWorkers.runAll(logs.enumerated().map { (i, log) in
            { do { outcome[i] = try log.syncJournalCovered() ? 1 : 0 } catch { outcome[i] = 2 } }
        })
        var failed = false
        var syncs = 0
        for i in logs.indices {
            if outcome[i] == 2 { failed = true } else { syncs += Int(outcome[i]) }
        }
        if failed {
            journal.disable()
        } else {
            try? journal.finishCheckpoint()
            syncs += 1
        }
        condition.lock()
        countersStorage.fsyncs += syncs
        condition.unlock()
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
                for r in sub.stagedResults { records += r.count }
                for r in sub.stagedAppends { bytes += r.staged.byteCount }
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
            } else if !sub.stagedAppends.isEmpty {
                sub.continuation.resume(returning: sub.stagedResults)
            } else {
                sub.continuation.resume(returning: sub.parts.map(\.result))
            }
        }
    }

    private func asStorageError(_ error: any Error, _ log: ShardLog) -> StorageError {
        (error as? StorageError) ?? StorageError(.io, "\(error)", path: log.directory)
    }
}
