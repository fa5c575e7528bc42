// Staged appends (StagedAppend, GroupCommitter.commitStaged): records written to
// staging files ahead of the commit are invisible until it, get the log's next
// sequence numbers and one rowtime, roll into segments of the log's size, and are
// all-or-nothing across logs — also when the commit fails before or after its commit
// point (the journal's link entry) and the logs are reopened.

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct StagedAppendTests {
    /// Small segments, so a staged append spans several.
    static let options = LogOptions(segmentBytes: 16 << 10, indexIntervalBytes: 512, preallocate: false)

    func stagingFiles(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".staging") }.sorted()
    }

    func segmentFiles(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".log") }.sorted()
    }

    /// Stage records `range` on `log`, in pieces of `piece` records (as COPY chunks).
    func stage(_ log: ShardLog, _ range: Range<Int>, id: String, piece: Int = 37) throws -> StagedAppend {
        let s = StagedAppend(log: log, id: id)
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, i + piece)
            try s.append(testInputs(i..<end))
            i = end
        }
        return s
    }

    @Test func stagedRecordsAreInvisibleUntilTheCommitThenFollowTheLogsRecords() async throws {
        let dir = TempDir("staged-basic"); defer { dir.remove() }
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: .init(idleCheckpointSeconds: 3600))
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<2).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        // Records before, on both logs (a journaled round).
        _ = try await committer.append(logs.indices.map { AppendRequest(log: logs[$0], records: testInputs(($0 * 10)..<($0 * 10 + 3)), rowtime: .monotonic(clock)) })
        let staged = try logs.indices.map { try stage(logs[$0], (1000 * ($0 + 1))..<(1000 * ($0 + 1) + 800), id: "t1") }
        #expect(try stagingFiles(dir.file("s0")).count > 1, "800 records of ~90 bytes roll over 16 KiB files")
        for log in logs { #expect(log.stats.recordCount == 3) }
        #expect(try readAll(logs[0]).count == 3)

        let results = try await committer.commitStaged(staged.map { StagedAppendRequest(staged: $0, rowtime: .monotonic(clock)) })
        for s in staged { s.discard() }
        #expect(results.map(\.firstSequence) == [4, 4])
        #expect(results.map(\.count) == [800, 800])
        #expect(results[0].rowtime == results[1].rowtime)
        for (l, log) in logs.enumerated() {
            #expect(try stagingFiles(dir.file("s\(l)")).isEmpty)
            let records = try readAll(log, maxRecords: 1000, maxBytes: 1 << 20)
            #expect(records.map(\.0) == Array(1...803))
            #expect(records.map(\.2) == (l * 10..<l * 10 + 3).map { testPayload($0) } + (1000 * (l + 1)..<1000 * (l + 1) + 800).map { testPayload($0) })
            #expect(records.dropFirst(3).allSatisfy { $0.1 == results[0].rowtime })
            #expect(log.stats.segmentCount > 2)
        }
        // Appends go on after the staged records, with the next sequence numbers.
        let after = try await committer.append(AppendRequest(log: logs[0], records: testInputs(5000..<5002), rowtime: .monotonic(clock)))
        #expect(after.firstSequence == 804 && after.rowtime >= results[0].rowtime)
        committer.shutdown()
        // And all of it survives a reopen (sealed segments through their indexes).
        for (l, log) in logs.enumerated() {
            try log.close()
            let (again, report) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(report.wasClean)
            #expect(again.stats.recordCount == (l == 0 ? 805 : 803))
            #expect(try readAll(again, maxRecords: 1000, maxBytes: 1 << 20).map(\.0) == Array(1...(l == 0 ? 805 : 803)))
            try again.close()
        }
    }

    @Test func aStagedAppendToAnEmptyLogReplacesItsEmptyActiveSegment() async throws {
        let dir = TempDir("staged-empty"); defer { dir.remove() }
        let committer = GroupCommitter()
        let clock = MonotonicTimestamps(clock: SystemClock())
        let log = try ShardLog.open(directory: dir.file("s"), options: Self.options).0
        let s = try stage(log, 0..<50, id: "e")
        let r = try await committer.commitStaged([StagedAppendRequest(staged: s, rowtime: .monotonic(clock))])
        s.discard()
        #expect(r[0].firstSequence == 1 && r[0].count == 50)
        #expect(try segmentFiles(dir.file("s")) == [Segment.fileName(baseSequence: 1)])
        let next = try await committer.append(AppendRequest(log: log, records: testInputs(50..<51), rowtime: .monotonic(clock)))
        #expect(next.firstSequence == 51)
        committer.shutdown()
        try log.close()
        let (again, _) = try ShardLog.open(directory: dir.file("s"), options: Self.options)
        #expect(try readAll(again, maxRecords: 100, maxBytes: 1 << 20).map(\.2) == (0..<51).map { testPayload($0) })
        try again.close()
    }

    @Test func discardedOrUncommittedStagingFilesLeaveNothing() async throws {
        let dir = TempDir("staged-discard"); defer { dir.remove() }
        let log = try ShardLog.open(directory: dir.file("s"), options: Self.options).0
        let a = try stage(log, 0..<300, id: "a")
        #expect(try stagingFiles(dir.file("s")).count > 1)
        a.discard()
        #expect(try stagingFiles(dir.file("s")).isEmpty)
        // A crash with staging files present: the next open deletes them.
        _ = try stage(log, 0..<300, id: "b")
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.file("s"), options: Self.options)
        #expect(try stagingFiles(dir.file("s")).isEmpty)
        #expect(report.recordCount == 0 && again.stats.recordCount == 0)
        try again.close()
    }

    @Test func aFailureBeforeTheCommitPointLinksNothing() async throws {
        let dir = TempDir("staged-before"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = try GroupCommitter(journalPath: dir.file("commit.journal"), options: .init(idleCheckpointSeconds: 3600))
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<2).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        _ = try await committer.append(logs.indices.map { AppendRequest(log: logs[$0], records: testInputs($0..<($0 + 1)), rowtime: .monotonic(clock)) })
        let staged = try logs.indices.map { try stage(logs[$0], 100..<400, id: "f") }
        // The second log's staging files cannot be fdatasync'ed.
        FaultInjector.shared.add(.init(call: .fdatasync, pathPrefix: dir.file("s1"), pathSuffix: ".staging", errorNumber: EIO))
        await #expect(throws: StorageError.self) {
            try await committer.commitStaged(staged.map { StagedAppendRequest(staged: $0, rowtime: .monotonic(clock)) })
        }
        for s in staged { s.discard() }
        for (l, log) in logs.enumerated() {
            #expect(log.stats.recordCount == 1)
            #expect(try stagingFiles(dir.file("s\(l)")).isEmpty)
        }
        // The logs still take appends, with the next sequence numbers.
        let next = try await committer.append(logs.indices.map { AppendRequest(log: logs[$0], records: testInputs(9..<10), rowtime: .monotonic(clock)) })
        #expect(next.map(\.firstSequence) == [2, 2])
        committer.shutdown()
        for (l, log) in logs.enumerated() {
            try log.close()
            let (again, _) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(try readAll(again).map(\.2) == [testPayload(l), testPayload(9)])
            try again.close()
        }
    }

    @Test func aFailureAfterTheCommitPointIsCompletedByTheJournalAtTheNextStart() async throws {
        let dir = TempDir("staged-after"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        var committer: GroupCommitter? = try GroupCommitter(journalPath: dir.file("commit.journal"), options: .init(idleCheckpointSeconds: 3600))
        let clock = MonotonicTimestamps(clock: SystemClock())
        let logs = try (0..<2).map { try ShardLog.open(directory: dir.file("s\($0)"), options: Self.options).0 }
        _ = try await committer!.append(logs.indices.map { AppendRequest(log: logs[$0], records: testInputs($0..<($0 + 1)), rowtime: .monotonic(clock)) })
        let staged = try logs.indices.map { try stage(logs[$0], 100..<400, id: "g") }
        // Sealing the second log's active segment fails: after the link entry, before its renames.
        FaultInjector.shared.add(.init(call: .ftruncate, pathPrefix: dir.file("s1"), pathSuffix: ".log", errorNumber: EIO))
        let journalBefore = try FileIO.readFile(dir.file("commit.journal"))
        await #expect(throws: StorageError.self) {
            try await committer!.commitStaged(staged.map { StagedAppendRequest(staged: $0, rowtime: .monotonic(clock)) })
        }
        FaultInjector.shared.clear(pathPrefix: dir.file("s1"))
        // The failed log refuses writes until reopened; its staging files wait for the
        // replay (the caller's discard, as after any failed commit, keeps them).
        for s in staged { s.discard() }
        #expect(!(try stagingFiles(dir.file("s1")).isEmpty))
        await #expect(throws: StorageError.self) {
            try await committer!.append(AppendRequest(log: logs[1], records: testInputs(7..<8), rowtime: .monotonic(clock)))
        }
        // The journal keeps the link entry (no checkpoint ends its epoch, not even a
        // clean shutdown); then a restart.
        committer!.shutdown()
        committer = nil
        #expect(try FileIO.readFile(dir.file("commit.journal")) != journalBefore)
        for log in logs { try log.close() }
        let restarted = try GroupCommitter(journalPath: dir.file("commit.journal"), options: .init(idleCheckpointSeconds: 3600))
        #expect((restarted.journalReplay?.parts ?? 0) >= 1)
        for l in 0..<2 {
            let (again, _) = try ShardLog.open(directory: dir.file("s\(l)"), options: Self.options)
            #expect(try stagingFiles(dir.file("s\(l)")).isEmpty)
            let records = try readAll(again, maxRecords: 1000, maxBytes: 1 << 20)
            #expect(records.map(\.0) == Array(1...301), "log \(l): the link was completed")
            #expect(records.map(\.2) == [testPayload(l)] + (100..<400).map { testPayload($0) })
            let next = try await restarted.append(AppendRequest(log: again, records: testInputs(8..<9), rowtime: .monotonic(clock)))
            #expect(next.firstSequence == 302)
            try again.close()
        }
        restarted.shutdown()
    }
}
