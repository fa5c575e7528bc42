import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct RetentionTests {
    @Test func deletesOnlyWholeOldSealedSegments() async throws {
        let dir = TempDir("retention"); defer { dir.remove() }
        let clock = ManualClock(startMicros: 1_000)
        let ts = MonotonicTimestamps(clock: clock)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let options = smallOptions(segmentBytes: 4096)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        // 40 batches of 5 records (≈685 bytes per batch), rowtime 1000 + 100*b.
        for b in 0..<40 {
            _ = try await committer.appendTest(log, (b * 5)..<(b * 5 + 5), clock: ts, size: 100)
            clock.advance(micros: 100)
        }
        let before = dir.segmentFiles()
        #expect(before.count > 4)
        #expect(try log.deleteSegments(olderThan: 0) == 0)

        // Expected: sealed segments whose newest rowtime < cutoff, computed from the files.
        let cutoff: Int64 = 1_000 + 100 * 20
        var expectedDeleted: [String] = []
        for name in before.dropLast() {
            let base = UInt64(name.prefix(20))!
            let next = before.first(where: { UInt64($0.prefix(20))! > base }).map { UInt64($0.prefix(20))! }!
            let lastInSegment = try log.read(from: next - 1, maxRecords: 1, maxBytes: 1)
            if lastInSegment.rowtime(at: 0) < cutoff { expectedDeleted.append(name) }
        }
        #expect(!expectedDeleted.isEmpty && expectedDeleted.count < before.count - 1)
        let statsBefore = log.stats
        let deleted = try log.deleteSegments(olderThan: cutoff)
        #expect(deleted == expectedDeleted.count)
        #expect(dir.segmentFiles() == Array(before.dropFirst(deleted)))
        #expect(!dir.files().contains { f in expectedDeleted.contains { f.hasPrefix($0.prefix(20)) } })

        let st = log.stats
        let firstRetained = UInt64(before[deleted].prefix(20))!
        #expect(st.firstSequence == firstRetained && st.lastSequence == 200)
        #expect(st.recordCount == 200 - Int(firstRetained - 1))
        #expect(st.byteCount < statsBefore.byteCount)
        #expect(st.firstRowtime == (try log.read(from: firstRetained, maxRecords: 1, maxBytes: 1)).rowtime(at: 0))
        // Whole segments only: records older than the cutoff may remain in the first
        // retained segment, none newer were removed.
        #expect(try log.firstSequence(atOrAfter: cutoff)! >= firstRetained)

        // A reader positioned in the deleted range moves to the first retained record.
        let b = try log.read(from: 1, maxRecords: 3, maxBytes: 10_000)
        #expect(b.sequence(at: 0) == firstRetained && b.nextSequence == firstRetained + 3)
        #expect(try readAll(log).map(\.0) == Array(firstRetained...200))

        // The active segment is never deleted, however old.
        clock.advance(micros: 1_000_000)
        _ = try await committer.appendTest(log, 200..<201, clock: ts, size: 100)
        let countBefore = dir.segmentFiles().count
        let removedAll = try log.deleteSegments(olderThan: .max)
        #expect(removedAll == countBefore - 1 && dir.segmentFiles().count == 1)
        let last = log.stats
        #expect(last.segmentCount == 1 && last.lastSequence == 201)
        #expect(try readAll(log).map(\.0).last == 201)

        // Reopen after retention.
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: options)
        #expect(report.nextSequence == 202 && report.segmentCount == 1)
        try again.close()
    }

    @Test func readerHoldingADeletedSegmentKeepsReading() async throws {
        let dir = TempDir("retention-reader"); defer { dir.remove() }
        let clock = ManualClock(startMicros: 0)
        let ts = MonotonicTimestamps(clock: clock)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 4096))
        _ = try await committer.appendTest(log, 0..<60, clock: ts, size: 100)
        clock.advance(micros: 10)
        _ = try await committer.appendTest(log, 60..<61, clock: ts, size: 100)
        // Open the first segment's descriptor by reading, then delete it.
        let first = try log.read(from: 1, maxRecords: 1, maxBytes: 1)
        #expect(first.sequence(at: 0) == 1)
        let segment = log.segments[0]
        #expect(try log.deleteSegments(olderThan: 5) >= 1)
        // The segment object still reads through its open descriptor.
        var buf = [UInt8](repeating: 0, count: 8)
        let n = try buf.withUnsafeMutableBytes { try FileIO.pread(try segment.fd(), $0.baseAddress!, 8, at: 0, path: segment.path) }
        #expect(n == 8 && buf != [UInt8](repeating: 0, count: 8))
        try log.close()
    }
}
