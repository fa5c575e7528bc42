// The commit journal: one fdatasync for a small round over several logs, and the
// records of such rounds come back from the journal when the logs' own files lost them
// (a power cut between the journal's fdatasync and the checkpoint).

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct CommitJournalTests {
    /// No idle checkpoint during a test that counts fsyncs (a slow, loaded machine can
    /// leave a committer idle for a second mid-test).
    static let noIdle = GroupCommitter.Options(idleCheckpointSeconds: 3600)
    static let options = LogOptions(segmentBytes: 1 << 20, indexIntervalBytes: 512, preallocate: false)

    /// Overwrite every segment file of `logDir` with zeros (same size): what a power cut
    /// leaves of writes that were never fdatasync'ed, at worst.
    func zeroSegments(_ logDir: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: logDir) where name.hasSuffix(".log") {
            let path = logDir + "/" + name
            let size = try FileIO.readFile(path).count
            try Data(count: size).write(to: URL(fileURLWithPath: path))
        }
    }

    /// Appends `rounds` submissions, each one record to every one of the logs (so every
    /// round spans all logs), then returns the journal's bytes as they were before the
    /// committer's clean shutdown (which checkpoints), i.e. as a crash would find them.
    func writeRounds(_ dir: TempDir, logs n: Int, rounds: Int, journalBytes: Int = 4 << 20)
        async throws -> (results: [[AppendResult]], journalAtCrash: [UInt8], counters: CommitCounters) {
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: .init(journalBytes: journalBytes, idleCheckpointSeconds: 3600))
        #expect(committer.journalReplay == GroupCommitter.JournalReplay(entries: 0, parts: 0, bytes: 0, skippedParts: 0))
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<n).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        var results: [[AppendResult]] = []
        for r in 0..<rounds {
            results.append(try await committer.append(logs.indices.map { l in
                AppendRequest(log: logs[l], records: testInputs((r * 100 + l)..<(r * 100 + l + 1)), rowtime: .monotonic(clock))
            }))
        }
        let counters = committer.counters
        let journal = try FileIO.readFile(dir.file("commit.journal"))
        committer.shutdown()
        for log in logs { try log.close() }
        return (results, journal, counters)
    }

    @Test func aRoundOverSeveralLogsCostsOneFdatasync() async throws {
        let dir = TempDir("journal-one"); defer { dir.remove() }
        let (_, _, c) = try await writeRounds(dir, logs: 4, rounds: 20)
        #expect(c.rounds == 20 && c.batches == 20 && c.records == 80)
        #expect(c.fsyncs == 20, "one journal fdatasync per round, none per log")
    }

    @Test func aRoundOnOneLogFdatasyncsTheLogAndWritesNoEntry() async throws {
        let dir = TempDir("journal-single"); defer { dir.remove() }
        let (_, journal, c) = try await writeRounds(dir, logs: 1, rounds: 5)
        #expect(c.fsyncs == 5)
        let epoch = try #require(CommitJournal.readHeader(journal))
        #expect(CommitJournal.entries(journal, epoch: epoch).isEmpty)
    }

    @Test func recordsLostFromTheLogFilesComeBackFromTheJournal() async throws {
        let dir = TempDir("journal-replay"); defer { dir.remove() }
        let (results, journal, _) = try await writeRounds(dir, logs: 3, rounds: 12)
        // The crash: the logs' files lost everything not fdatasync'ed (here: all of it),
        // the journal is as it was after the last acknowledged round.
        for l in 0..<3 { try zeroSegments(dir.file("s\(l)")) }
        try Data(journal).write(to: URL(fileURLWithPath: dir.file("commit.journal")))

        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: Self.noIdle)
        let replay = try #require(committer.journalReplay)
        #expect(replay.entries == 12 && replay.parts == 36 && replay.skippedParts == 0)
        for l in 0..<3 {
            let (log, report) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(report.wasClean)
            let records = try readAll(log, maxRecords: 100, maxBytes: 1 << 20)
            #expect(records.map(\.0) == results.map { $0[l].firstSequence })
            #expect(records.map(\.1) == results.map { $0[l].rowtime })
            #expect(records.map(\.2) == (0..<12).map { testPayload($0 * 100 + l) })
            try log.close()
        }
        committer.shutdown()
        // The replay started a new epoch: a second start finds nothing to rewrite.
        let again = try GroupCommitter(journalPath: dir.file("commit.journal"), options: Self.noIdle)
        #expect(again.journalReplay?.entries == 0)
        again.shutdown()
    }

    @Test func aTornLastEntryIsNotReplayed() async throws {
        let dir = TempDir("journal-torn"); defer { dir.remove() }
        var (results, journal, _) = try await writeRounds(dir, logs: 2, rounds: 5)
        let epoch = try #require(CommitJournal.readHeader(journal))
        let entries = CommitJournal.entries(journal, epoch: epoch)
        #expect(entries.count == 5)
        // Damage one data byte of the last entry: its CRC no longer matches.
        journal[entries[4].parts[1].range.lowerBound] ^= 0xFF
        #expect(CommitJournal.entries(journal, epoch: epoch).count == 4)
        for l in 0..<2 { try zeroSegments(dir.file("s\(l)")) }
        try Data(journal).write(to: URL(fileURLWithPath: dir.file("commit.journal")))

        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: Self.noIdle)
        #expect(committer.journalReplay?.entries == 4)
        committer.shutdown()
        results.removeLast()
        for l in 0..<2 {
            let (log, _) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(try readAll(log, maxRecords: 100, maxBytes: 1 << 20).map(\.0) == results.map { $0[l].firstSequence })
            try log.close()
        }
    }

    @Test func aCheckpointFdatasyncsTheLogsAndRetiresTheEntries() async throws {
        let dir = TempDir("journal-checkpoint"); defer { dir.remove() }
        // The smallest journal (64 KiB of entries): 400 rounds of 2 × ~100 bytes need
        // several checkpoints.
        let (results, journal, c) = try await writeRounds(dir, logs: 2, rounds: 400, journalBytes: 0)
        let epoch = try #require(CommitJournal.readHeader(journal))
        let live = CommitJournal.entries(journal, epoch: epoch).count
        #expect(live > 0 && live < 400, "older rounds were checkpointed")
        // Each checkpoint: one fdatasync per log and one for the journal's header.
        let checkpoints = (c.fsyncs - 400) / 3
        #expect(checkpoints >= 1 && c.fsyncs == 400 + 3 * checkpoints)
        // Entries of earlier epochs are never replayed, even though their bytes remain.
        #expect(CommitJournal.entries(journal, epoch: epoch - 1).isEmpty)
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: Self.noIdle)
        #expect(committer.journalReplay?.entries == 0, "the clean shutdown checkpointed")
        committer.shutdown()
        for l in 0..<2 {
            let (log, report) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(report.wasClean)
            #expect(try readAll(log, maxRecords: 1000, maxBytes: 1 << 20).map(\.0) == results.map { $0[l].firstSequence })
            try log.close()
        }
    }

    @Test func anIdleCommitterCheckpointsAfterASecond() async throws {
        let dir = TempDir("journal-idle"); defer { dir.remove() }
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"))
        defer { committer.shutdown() }
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<2).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        defer { for log in logs { try? log.close() } }
        _ = try await committer.append(logs.indices.map {
            AppendRequest(log: logs[$0], records: testInputs($0..<($0 + 1)), rowtime: .monotonic(clock))
        })
        let live: () throws -> Int = {
            let journal = try FileIO.readFile(dir.file("commit.journal"))
            return CommitJournal.entries(journal, epoch: try #require(CommitJournal.readHeader(journal))).count
        }
        // Before the idle second passes (or, on a very slow machine, already after it).
        let before = (try live(), committer.counters.fsyncs)
        #expect(before == (1, 1) || before == (0, 4), "\(before)")
        var waited = 0
        // (The counters are updated just after the header is written.)
        while try live() > 0 || committer.counters.fsyncs == 1, waited < 100 { try await Task.sleep(nanoseconds: 50_000_000); waited += 1 }
        #expect(try live() == 0, "no checkpoint within 5 s of idleness")
        #expect(committer.counters.fsyncs == 1 + 2 + 1, "the round's, then both logs' and the journal header's")
    }

    @Test func aFailedJournalFdatasyncFailsTheRoundAndErasesItsEntry() async throws {
        let dir = TempDir("journal-fault"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: Self.noIdle)
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<2).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        func both(_ i: Int) -> [AppendRequest] {
            logs.indices.map { AppendRequest(log: logs[$0], records: testInputs((i * 10 + $0)..<(i * 10 + $0 + 1)), rowtime: .monotonic(clock)) }
        }
        _ = try await committer.append(both(0))
        FaultInjector.shared.add(.init(call: .fdatasync, pathPrefix: dir.path, pathSuffix: "commit.journal", errorNumber: EIO))
        await #expect(throws: StorageError.self) { try await committer.append(both(1)) }
        // The logs undid the round and still accept writes; the sequence numbers are reused.
        let next = try await committer.append(both(2))
        #expect(next.map(\.firstSequence) == [2, 2])
        let journal = try FileIO.readFile(dir.file("commit.journal"))
        let epoch = try #require(CommitJournal.readHeader(journal))
        #expect(CommitJournal.entries(journal, epoch: epoch).count == 2, "the failed round's entry was erased")
        committer.shutdown()
        for (l, log) in logs.enumerated() {
            #expect(try readAll(log).map(\.2) == [testPayload(l), testPayload(20 + l)])
            try log.close()
        }
    }
}
