// The commit thread stamps and writes copies of the producers' frames held in its own
// round buffer: the producers' RecordInputs are never modified, the same inputs may be
// submitted several times, and the buffer grows for bulk rounds and is freed after them.

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct RoundBufferTests {
    @Test func committingLeavesTheInputsUnchanged() async throws {
        let dir = TempDir("rb-inputs"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 5))
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions())
        let inputs = testInputs(0..<30)
        let before = inputs.bytes
        let a = try await committer.append(AppendRequest(log: log, records: inputs, rowtime: .monotonic(ts)))
        let b = try await committer.append(AppendRequest(log: log, records: inputs, rowtime: .monotonic(ts)))
        #expect(inputs.bytes == before)
        #expect(a.firstSequence == 1 && b.firstSequence == 31)
        let read = try readAll(log, maxRecords: 100, maxBytes: 1 << 20)
        #expect(read.map(\.0) == Array(1...60).map(UInt64.init))
        #expect(read.map(\.2) == (0..<30).map { testPayload($0) } + (0..<30).map { testPayload($0) })
        try log.close()
    }

    /// One submission sending the same inputs to two logs: each log's copy is stamped
    /// with its own sequence numbers (stamping a shared buffer in place would give the
    /// first log the second one's numbers and break its CRCs).
    @Test func sameInputsToTwoLogsInOneSubmission() async throws {
        let dir = TempDir("rb-two"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 5))
        let (logA, _) = try ShardLog.open(directory: dir.file("a"), options: smallOptions())
        let (logB, _) = try ShardLog.open(directory: dir.file("b"), options: smallOptions())
        _ = try await committer.appendTest(logB, 100..<107, clock: ts)
        let inputs = testInputs(0..<20)
        let results = try await committer.append([
            AppendRequest(log: logA, records: inputs, rowtime: .monotonic(ts)),
            AppendRequest(log: logB, records: inputs, rowtime: .monotonic(ts)),
        ])
        #expect(results.map(\.firstSequence) == [1, 8])
        #expect(try readAll(logA).map(\.0) == Array(1...20).map(UInt64.init))
        #expect(try readAll(logB).map(\.0) == Array(1...27).map(UInt64.init))
        try logA.close(); try logB.close()
        for name in ["a", "b"] {
            let (again, report) = try ShardLog.open(directory: dir.file(name), options: smallOptions())
            #expect(report.wasClean)
            #expect(try readAll(again).suffix(20).map(\.2) == (0..<20).map { testPayload($0) })
            try again.close()
        }
    }

    @Test func bufferGrowsForBulkRoundsAndIsFreedAfterThem() {
        let buffer = RoundBuffer(retainedCapacity: 1 << 20)
        buffer.beginRound(bytes: 100)
        #expect(buffer.capacity >= 100)
        let small = buffer.capacity
        let source: [UInt8] = Array(0..<100)
        let copy = source.withUnsafeBytes { buffer.copy($0) }
        #expect(Array(UnsafeRawBufferPointer(copy)) == source)
        let second = source.withUnsafeBytes { buffer.copy(UnsafeRawBufferPointer(rebasing: $0[10..<20])) }
        #expect(second.baseAddress == copy.baseAddress! + 100)
        buffer.endRound()
        #expect(buffer.capacity == small)  // kept for the next round
        buffer.beginRound(bytes: 3 << 20)
        #expect(buffer.capacity >= 3 << 20)
        buffer.endRound()
        #expect(buffer.capacity == 0)  // a bulk round's buffer is not kept
    }

    /// A round larger than the retained capacity (a bulk COPY) is committed intact.
    @Test func bulkRoundLargerThanTheRetainedBuffer() async throws {
        let dir = TempDir("rb-bulk"); defer { dir.remove() }
        let committer = GroupCommitter(); defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock(startMicros: 5))
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 8 << 20))
        // ~20 MB of frames in one submission (the buffer keeps 16 MiB between rounds).
        let result = try await committer.appendTest(log, 0..<20_000, clock: ts, size: 1000)
        #expect(result.count == 20_000)
        let read = try readAll(log, maxRecords: 5000, maxBytes: 8 << 20)
        #expect(read.count == 20_000)
        #expect(read.enumerated().allSatisfy { i, r in r.0 == UInt64(i + 1) && r.2 == testPayload(i, size: 1000) })
        try log.close()
    }
}
