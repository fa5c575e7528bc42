// Zero-ahead: a bounded window of written zeros after the active segment's data,
// topped up in the background after small rounds, never after bulk ones.

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct ZeroAheadTests {
    static let window = 64 << 10
    static func options(segmentBytes: Int = 1 << 20, window: Int = ZeroAheadTests.window) -> LogOptions {
        LogOptions(segmentBytes: segmentBytes, indexIntervalBytes: 1024, preallocate: true, zeroAheadBytes: window)
    }

    func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
    }

    func dataEnd(_ log: ShardLog) -> Int { Int(log.stats.byteCount) }

    @Test func newLogWritesNothingUntilItsFirstRoundThenAtMostTheWindow() async throws {
        let dir = TempDir("za-new"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        ShardLog.waitForBackgroundWork()
        #expect(dir.files() == ["00000000000000000001.log"])
        #expect(try size(dir.file("00000000000000000001.log")) == 0)
        _ = try await committer.appendTest(log, 0..<10, clock: ts)
        ShardLog.waitForBackgroundWork()
        let end = dataEnd(log)
        #expect(end > 0)
        #expect(try size(dir.file("00000000000000000001.log")) == end + Self.window)
        let z = log.zeroAhead.snapshot.counters
        #expect(z.bytesZeroed == Int64(Self.window))
        #expect(z.syncs == 1)
        #expect(dir.files() == ["00000000000000000001.log"])
        try log.close()
    }

    @Test func smallRoundsKeepTheWindowToppedUp() async throws {
        let dir = TempDir("za-small"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        let path = dir.file("00000000000000000001.log")
        for b in 0..<60 {
            // 20 records of ~100 bytes: ~3 KB per round, far below half the window.
            _ = try await committer.appendTest(log, (b * 20)..<(b * 20 + 20), clock: ts, size: 100)
            ShardLog.waitForBackgroundWork()
            let ahead = try size(path) - dataEnd(log)
            #expect(ahead >= Self.window / 2 && ahead <= Self.window, "round \(b): \(ahead) bytes of zeros ahead")
        }
        // Zeroing is bounded by the data written plus one window.
        let z = log.zeroAhead.snapshot.counters
        #expect(z.bytesZeroed <= Int64(dataEnd(log) + Self.window))
        #expect(z.syncs >= 2)
        #expect(try readAll(log, maxRecords: 500, maxBytes: 1 << 20).count == 1200)
        try log.close()
        // The zeros after the data are the end of the data: a clean reopen.
        let (again, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.wasClean && report.recordCount == 1200 && report.bytesDropped == 0)
        #expect(try readAll(again, maxRecords: 500, maxBytes: 1 << 20).map(\.0) == Array(1...1200).map(UInt64.init))
        try again.close()
    }

    @Test func bulkRoundsJustAppend() async throws {
        let dir = TempDir("za-bulk"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options())
        // ~140 KB per round: more than half the window.
        for b in 0..<3 {
            _ = try await committer.appendTest(log, (b * 1000)..<(b * 1000 + 1000), clock: ts, size: 100)
            ShardLog.waitForBackgroundWork()
            #expect(try size(dir.file("00000000000000000001.log")) == dataEnd(log))
        }
        #expect(log.zeroAhead.snapshot.counters == ZeroAhead.Counters())
        try log.close()
    }

    @Test func zerosStopAtTheSegmentSizeAndSealedSegmentsAreTruncated() async throws {
        let dir = TempDir("za-roll"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let options = Self.options(segmentBytes: 64 << 10, window: 32 << 10)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        for b in 0..<60 {
            _ = try await committer.appendTest(log, (b * 20)..<(b * 20 + 20), clock: ts, size: 100)
            ShardLog.waitForBackgroundWork()
            for name in dir.segmentFiles() { #expect(try size(dir.file(name)) <= 64 << 10) }
        }
        let segments = dir.segmentFiles()
        #expect(segments.count >= 3)
        // Sealed segments hold exactly their data (checked against their index files).
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: options)
        #expect(report.wasClean && report.recordCount == 1200 && report.indexesRebuilt == 0)
        for name in segments.dropLast() {
            let idx = try FileIO.readFile(dir.file(String(name.dropLast(4)) + ".idx"))
            let base = Segment.baseSequence(fileName: name)!
            let meta = try #require(SegmentIndexFile.decode(idx, baseSequence: base)).0
            #expect(try size(dir.file(name)) == Int(meta.dataBytes))
        }
        #expect(try readAll(again, maxRecords: 500, maxBytes: 1 << 20).count == 1200)
        try again.close()
    }

    /// The background job races the writer (tiny window, no waiting, mixed round sizes):
    /// zeros must never land on data.
    @Test func zeroingNeverOverwritesData() async throws {
        let dir = TempDir("za-race"); defer { dir.remove() }
        /// The round `b` in which record `i` was appended (to recompute its payload size).
        func payloadRound(_ i: Int) -> Int {
            var start = 0
            for b in 0..<400 {
                let n = b % 10 == 9 ? 60 : 1 + b % 5
                if i < start + n { return b }
                start += n
            }
            return -1
        }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let options = Self.options(segmentBytes: 256 << 10, window: 8 << 10)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        var next = 0
        for b in 0..<400 {
            let n = b % 10 == 9 ? 60 : 1 + b % 5
            _ = try await committer.appendTest(log, next..<(next + n), clock: ts, size: 40 + b % 50)
            next += n
        }
        ShardLog.waitForBackgroundWork()
        let records = try readAll(log, maxRecords: 1000, maxBytes: 1 << 20)
        #expect(records.count == next)
        #expect(records.enumerated().allSatisfy { i, r in r.2 == testPayload(i, size: 40 + payloadRound(i) % 50) })
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: options)
        #expect(report.wasClean && report.recordCount == next)
        try again.close()

    }

    @Test func spareFilesOfOlderVersionsAreRemoved() throws {
        let dir = TempDir("za-old"); defer { dir.remove() }
        _ = FileManager.default.createFile(atPath: dir.file("spare.prealloc"), contents: Data(count: 4096))
        _ = FileManager.default.createFile(atPath: dir.file("spare.tmp"), contents: Data(count: 10))
        let (log, report) = try ShardLog.open(directory: dir.path, options: Self.options())
        #expect(report.wasClean)
        #expect(dir.files() == ["00000000000000000001.log"])
        try log.destroy()
    }
}
