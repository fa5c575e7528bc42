import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct ShardLogTests {
    @Test func appendReadReopen() async throws {
        let dir = TempDir("log"); defer { dir.remove() }
        let clock = ManualClock(startMicros: 1_000)
        let ts = MonotonicTimestamps(clock: clock)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (log, report) = try ShardLog.open(directory: dir.path, options: smallOptions())
        #expect(report.recordCount == 0 && report.nextSequence == 1 && report.wasClean)

        let r1 = try await committer.appendTest(log, 0..<10, clock: ts)
        #expect(r1.firstSequence == 1 && r1.count == 10 && r1.rowtime == 1_000)
        clock.advance(micros: 5)
        let r2 = try await committer.appendTest(log, 10..<15, clock: ts)
        #expect(r2.firstSequence == 11 && r2.rowtime == 1_005)

        let all = try readAll(log)
        #expect(all.map(\.0) == Array(1...15))
        #expect(all.map(\.2) == (0..<15).map { testPayload($0) })
        #expect(all.map(\.1) == Array(repeating: 1_000, count: 10) + Array(repeating: 1_005, count: 5))
        let batch = try log.read(from: 1, maxRecords: 100, maxBytes: 1 << 20)
        #expect(Array(batch[3].partitionKey) == testKey(3) && batch[3].explicitHashKey == nil)

        let st = log.stats
        #expect(st.recordCount == 15 && st.firstSequence == 1 && st.lastSequence == 15)
        #expect(st.firstRowtime == 1_000 && st.lastRowtime == 1_005 && st.nextSequence == 16)
        #expect(st.byteCount == Int64(15 * (32 + testKey(0).count + 40)))

        try log.close()
        #expect(throws: StorageError.self) { _ = try log.read(from: 1, maxRecords: 1, maxBytes: 100) }
        let (again, report2) = try ShardLog.open(directory: dir.path, options: smallOptions())
        #expect(report2.recordCount == 15 && report2.nextSequence == 16 && report2.lastRowtime == 1_005 && report2.wasClean)
        #expect(try readAll(again).map(\.2) == (0..<15).map { testPayload($0) })
        // Sequences continue after a reopen; rowtime never goes back even if the clock did.
        clock.set(micros: 10)
        let r3 = try await committer.appendTest(again, 15..<16, clock: MonotonicTimestamps(clock: clock))
        #expect(r3.firstSequence == 16 && r3.rowtime == 1_005)
        try again.close()
    }

    @Test func segmentsRollAndReadsCrossThem() async throws {
        let dir = TempDir("roll"); defer { dir.remove() }
        let clock = ManualClock(startMicros: 0)
        let ts = MonotonicTimestamps(clock: clock)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 4096))
        // 100 records of 32+5+100 bytes = 13,700 bytes → 4 segments of 4 KiB.
        for b in 0..<10 {
            clock.advance(micros: 10)
            _ = try await committer.appendTest(log, (b * 10)..<(b * 10 + 10), clock: ts, size: 100)
        }
        // One big batch that spans several segments by itself.
        clock.advance(micros: 10)
        _ = try await committer.appendTest(log, 100..<200, clock: ts, size: 100)
        let segs = dir.segmentFiles()
        #expect(segs.count >= 7)
        #expect(segs.first == "00000000000000000001.log")
        // Every sealed segment is within the limit, truncated to its data, and indexed.
        for name in segs.dropLast() {
            let size = (try FileManager.default.attributesOfItem(atPath: dir.file(name))[.size] as! NSNumber).intValue
            #expect(size <= 4096 && size > 4096 - 137)
            #expect(FileManager.default.fileExists(atPath: dir.file(String(name.dropLast(4)) + ".idx")))
        }
        // Each segment is named by its first record's sequence.
        for name in segs.dropLast() {
            let base = UInt64(name.prefix(20))!
            let b = try log.read(from: base, maxRecords: 1, maxBytes: 1)
            #expect(b.sequence(at: 0) == base)
        }
        #expect(try readAll(log, maxRecords: 13, maxBytes: 900).map(\.2) == (0..<200).map { testPayload($0, size: 100) })
        #expect(try readAll(log, maxRecords: 1000, maxBytes: 1 << 20).count == 200)

        // Read from every sequence: the first record returned is that one.
        for s in stride(from: UInt64(1), through: 200, by: 3) {
            let b = try log.read(from: s, maxRecords: 2, maxBytes: 10_000)
            #expect(b.sequence(at: 0) == s && b.count == 2 && b.nextSequence == s + 2)
        }
        let end = try log.read(from: 201, maxRecords: 10, maxBytes: 10_000)
        #expect(end.isEmpty && end.nextSequence == 201)

        // Reopen: sealed segments come from their .idx files; same content.
        try log.close()
        let (again, report) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 4096))
        #expect(report.recordCount == 200 && report.indexesRebuilt == 0 && report.segmentCount == segs.count)
        #expect(try readAll(again, maxRecords: 50, maxBytes: 5000).map(\.0) == Array(1...200))
        // Delete the index files: they are rebuilt by scanning.
        try again.close()
        for f in dir.files() where f.hasSuffix(".idx") { try FileManager.default.removeItem(atPath: dir.file(f)) }
        let (third, report3) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 4096))
        #expect(report3.indexesRebuilt == segs.count - 1 && report3.recordCount == 200)
        #expect(try readAll(third, maxRecords: 50, maxBytes: 5000).count == 200)
        try third.close()
    }

    @Test func firstSequenceAtOrAfterTime() async throws {
        let dir = TempDir("time"); defer { dir.remove() }
        let clock = ManualClock(startMicros: 100)
        let ts = MonotonicTimestamps(clock: clock)
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 4096))
        #expect(try log.firstSequence(atOrAfter: 0) == nil)
        // Batch b (3 records) at rowtime 100 + 10*b.
        for b in 0..<60 {
            _ = try await committer.appendTest(log, (b * 3)..<(b * 3 + 3), clock: ts, size: 60)
            clock.advance(micros: 10)
        }
        #expect(dir.segmentFiles().count > 3)
        #expect(try log.firstSequence(atOrAfter: .min) == 1)
        for b in 0..<60 {
            let t = Int64(100 + 10 * b)
            #expect(try log.firstSequence(atOrAfter: t) == UInt64(b * 3 + 1), "exact time of batch \(b)")
            #expect(try log.firstSequence(atOrAfter: t - 5) == UInt64(b * 3 + 1), "between batches before \(b)")
        }
        #expect(try log.firstSequence(atOrAfter: 100 + 10 * 59 + 1) == nil)
        try log.close()
    }

    @Test func sparseIndexLookups() {
        var idx = SparseIndex()
        idx.entries = [.init(sequence: 1, rowtime: 10, offset: 0), .init(sequence: 5, rowtime: 10, offset: 500),
                       .init(sequence: 9, rowtime: 20, offset: 1000)]
        #expect(idx.offset(forSequence: 0) == 0)
        #expect(idx.offset(forSequence: 4) == 0)
        #expect(idx.offset(forSequence: 5) == 500)
        #expect(idx.offset(forSequence: 100) == 1000)
        // Records at rowtime 10 may precede the entry at offset 500: start at 0.
        #expect(idx.offset(forRowtime: 10) == 0)
        #expect(idx.offset(forRowtime: 15) == 500)
        #expect(idx.offset(forRowtime: 20) == 500)
        #expect(idx.offset(forRowtime: 21) == 1000)
        let meta = SegmentMeta(baseSequence: 1)
        let encoded = SegmentIndexFile.encode(meta: meta, index: idx)
        #expect(SegmentIndexFile.decode(encoded, baseSequence: 1)?.1 == idx)
        #expect(SegmentIndexFile.decode(encoded, baseSequence: 2) == nil)
        var bad = encoded; bad[70] ^= 1
        #expect(SegmentIndexFile.decode(bad, baseSequence: 1) == nil)
    }

    @Test func destroyRemovesFiles() async throws {
        let dir = TempDir("destroy"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let logDir = dir.file("shard-0")
        let (log, _) = try ShardLog.open(directory: logDir, options: smallOptions())
        _ = try await committer.appendTest(log, 0..<100, clock: MonotonicTimestamps(clock: ManualClock()))
        try log.destroy()
        #expect(!FileManager.default.fileExists(atPath: logDir))
        await #expect(throws: StorageError.self) {
            _ = try await committer.appendTest(log, 0..<1, clock: MonotonicTimestamps(clock: ManualClock()))
        }
    }
}
