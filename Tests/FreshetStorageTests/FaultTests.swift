// Failure paths, with faults injected into FileIO (see FaultInjector.swift): an
// aborted round's records never reappear, not after a reopen either; a failed
// fdatasync (or a failed undo) makes the log refuse appends until it is reopened.

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

#if canImport(Glibc)
import Glibc
#endif

@Suite struct FaultTests {
    /// No zeroing ahead: the background job would consume the faults meant for rounds.
    static func options(segmentBytes: Int = 1 << 20) -> LogOptions {
        LogOptions(segmentBytes: segmentBytes, indexIntervalBytes: 512, preallocate: false)
    }

    func inject(_ dir: TempDir, _ call: FaultInjector.Call, _ errorNumber: Int32, skip: Int = 0, partialBytes: Int = 0) {
        FaultInjector.shared.add(.init(call: call, pathPrefix: dir.path, pathSuffix: ".log", errorNumber: errorNumber,
                                       skip: skip, partialBytes: partialBytes))
    }

    /// Whether any file of the directory contains `text`.
    func filesContain(_ dir: TempDir, _ text: String) throws -> Bool {
        let needle = Array(text.utf8)
        for name in dir.files() {
            let bytes = try FileIO.readFile(dir.file(name))
            if bytes.count >= needle.count {
                for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
                    if Array(bytes[i..<(i + needle.count)]) == needle { return true }
                }
            }
        }
        return false
    }

    @Test func failedWriteIsUndoneAndTheLogGoesOn() async throws {
        let dir = TempDir("fault-write"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        // The disk fills up 100 bytes into the next round's write.
        inject(dir, .write, ENOSPC, partialBytes: 100)
        let error = await #expect(throws: StorageError.self) { try await committer.appendTest(log, 10..<20, clock: ts) }
        #expect(error?.kind == .diskFull)
        #expect(try readAll(log).count == 10)
        #expect(try !filesContain(dir, "payload-10-"))  // the partial write was zeroed
        // Space is back: the log accepts appends, continuing the sequence.
        let next = try await committer.appendTest(log, 20..<25, clock: ts)
        #expect(next.firstSequence == 11)
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.wasClean && report.recordCount == 15)
        let records = try readAll(again)
        #expect(records.map(\.0) == Array(1...15).map(UInt64.init))
        #expect(records.map(\.2) == (Array(0..<10) + Array(20..<25)).map { testPayload($0) })
        try again.close()
    }

    @Test func failedSyncRefusesAppendsUntilReopen() async throws {
        let dir = TempDir("fault-sync"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        inject(dir, .fdatasync, EIO)
        let error = await #expect(throws: StorageError.self) { try await committer.appendTest(log, 10..<20, clock: ts) }
        #expect(error?.kind == .io && error?.errorNumber == EIO)
        // Every later append gets a clear error naming the cause and what to do.
        for _ in 0..<2 {
            let refused = await #expect(throws: StorageError.self) { try await committer.appendTest(log, 20..<21, clock: ts) }
            #expect(refused?.kind == .failed)
            #expect(refused?.message.contains("fdatasync failed") == true)
            #expect(refused?.message.contains("reopen it") == true)
            #expect(refused?.path?.hasPrefix(dir.path) == true)
        }
        // Durable records stay readable.
        #expect(try readAll(log).count == 10)
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.recordCount == 10)
        for i in 10..<20 { #expect(try !filesContain(dir, "payload-\(i)-")) }  // the undo zeroed them
        #expect(try await committer.appendTest(again, 30..<35, clock: ts).firstSequence == 11)
        #expect(try readAll(again).map(\.2) == (Array(0..<10) + Array(30..<35)).map { testPayload($0) })
        try again.close()
    }

    /// A round that filled a segment (fdatasync'ed, sealed, index written) and failed in
    /// the next one: the new segments are deleted and the first is cut back.
    @Test func failedRoundThatRolledIsUndone() async throws {
        let dir = TempDir("fault-roll"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let options = Self.options(segmentBytes: 4096)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        let before = dir.files()
        #expect(before == ["00000000000000000001.log"])
        // The first write of the round (the rest of segment 1) succeeds; the second (the
        // next segment) fails half-way.
        inject(dir, .write, EIO, skip: 1, partialBytes: 300)
        let error = await #expect(throws: StorageError.self) {
            try await committer.appendTest(log, 100..<300, clock: ts)  // ~14 KB: four segments
        }
        #expect(error?.kind == .io)
        #expect(dir.files() == before)  // no new segment, no index file
        #expect(try !filesContain(dir, "payload-100-"))
        #expect(try readAll(log).count == 10)
        // The log goes on, rolling normally.
        let next = try await committer.appendTest(log, 300..<400, clock: ts)
        #expect(next.firstSequence == 11)
        #expect(dir.segmentFiles().count >= 2)
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: options)
        #expect(report.wasClean && report.recordCount == 110)
        let records = try readAll(again, maxRecords: 200, maxBytes: 1 << 20)
        #expect(records.map(\.0) == Array(1...110).map(UInt64.init))
        #expect(records.map(\.2) == (Array(0..<10) + Array(300..<400)).map { testPayload($0) })
        try again.close()
    }

    /// The disk is full: the write fails after 100 bytes, and so does the zeroing that
    /// should undo it. The undo then cuts the file back instead; the log goes on.
    @Test func undoFallsBackToTruncation() async throws {
        let dir = TempDir("fault-trunc"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        let size = try FileIO.readFile(dir.file("00000000000000000001.log")).count
        inject(dir, .write, ENOSPC, partialBytes: 100)
        inject(dir, .write, ENOSPC)
        await #expect(throws: StorageError.self) { try await committer.appendTest(log, 10..<20, clock: ts) }
        #expect(try FileIO.readFile(dir.file("00000000000000000001.log")).count == size)
        #expect(try await committer.appendTest(log, 20..<22, clock: ts).firstSequence == 11)
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.wasClean)
        #expect(try readAll(again).map(\.2) == (Array(0..<10) + Array(20..<22)).map { testPayload($0) })
        try again.close()
    }

    /// The write fails after 100 bytes (one whole record and part of the next) and both
    /// ways of undoing it fail too: the log refuses appends until reopened. Recovery then
    /// cuts the torn bytes; the whole record the failed write left is found (the one
    /// documented case where a failed round's records may reappear: a prefix of them).
    @Test func failedUndoMarksTheLogFailed() async throws {
        let dir = TempDir("fault-undo"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        inject(dir, .write, EIO, partialBytes: 100)
        inject(dir, .write, EIO)
        inject(dir, .ftruncate, EIO)
        await #expect(throws: StorageError.self) { try await committer.appendTest(log, 10..<20, clock: ts) }
        let refused = await #expect(throws: StorageError.self) { try await committer.appendTest(log, 20..<21, clock: ts) }
        #expect(refused?.kind == .failed && refused?.message.contains("ftruncate failed") == true
                && refused?.message.contains("reopen it") == true)
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.recordCount == 11 && report.bytesDropped > 0 && report.bytesDropped <= 100 - 77)
        #expect(try readAll(again).map(\.2) == (0..<11).map { testPayload($0) })
        #expect(try await committer.appendTest(again, 30..<31, clock: ts).firstSequence == 12)
        try again.close()
    }

    /// One submission to two logs, the second log's write fails: the first log's records
    /// (written fine) are undone too, so the submission is all-or-nothing.
    @Test func failureInOneLogUndoesTheOthers() async throws {
        let dir = TempDir("fault-multi"); defer { dir.remove(); FaultInjector.shared.clear(pathPrefix: dir.path) }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 1))
        let (a, _) = try ShardLog.open(directory: dir.file("a"), options: Self.options())
        let (b, _) = try ShardLog.open(directory: dir.file("b"), options: Self.options())
        FaultInjector.shared.add(.init(call: .write, pathPrefix: dir.file("b"), pathSuffix: ".log", errorNumber: ENOSPC))
        await #expect(throws: StorageError.self) {
            try await committer.append([AppendRequest(log: a, records: testInputs(0..<5), rowtime: .monotonic(ts)),
                                        AppendRequest(log: b, records: testInputs(5..<9), rowtime: .monotonic(ts))])
        }
        #expect(try readAll(a).isEmpty && readAll(b).isEmpty)
        try a.close(); try b.close()
        let (a2, ra) = try ShardLog.open(directory: dir.file("a"), options: Self.options())
        #expect(ra.recordCount == 0 && ra.wasClean)
        #expect(try !filesContain(TempDir(existing: dir.file("a")), "payload-0-"))
        try a2.close()
    }
}
