import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct RecoveryTests {
    static let options = LogOptions(segmentBytes: 1 << 20, indexIntervalBytes: 512, preallocate: false)
    static let segment = "00000000000000000001.log"

    /// A log with 5 records appended one per batch; returns the file's bytes and where
    /// the last record starts.
    func makeLog(_ dir: TempDir, committer: GroupCommitter) async throws -> ([UInt8], Int) {
        let (log, _) = try ShardLog.open(directory: dir.path, options: Self.options)
        let clock = ManualClock(startMicros: 1)
        let ts = MonotonicTimestamps(clock: clock)
        for i in 0..<5 {
            _ = try await committer.appendTest(log, i..<(i + 1), clock: ts, size: 30 + i)
            clock.advance(micros: 1)
        }
        try log.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file(Self.segment))))
        let lastLength = 32 + testKey(4).count + 34
        return (bytes, bytes.count - lastLength)
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    enum Damage: CaseIterable { case truncate, garbage, zeros }

    @Test(arguments: Damage.allCases)
    func tornTailAtEveryOffsetOfTheLastRecord(_ damage: Damage) async throws {
        let dir = TempDir("torn"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (original, lastStart) = try await makeLog(dir, committer: committer)
        let path = dir.file(Self.segment)
        for cut in lastStart..<original.count {
            var damaged = Array(original[0..<cut])
            switch damage {
            case .truncate: break
            case .garbage: damaged += [UInt8](repeating: 0xFF, count: original.count - cut) + [UInt8](repeating: 0, count: 4096)
            case .zeros: damaged += [UInt8](repeating: 0, count: original.count - cut + 4096)
            }
            try write(damaged, to: path)
            // Zeroing bytes that were zero anyway (the high bytes of the sequence number
            // and rowtime) leaves the record intact: then nothing is torn.
            if damage == .zeros && damaged[lastStart..<original.count] == original[lastStart...] {
                let (log, report) = try ShardLog.open(directory: dir.path, options: Self.options)
                #expect(report.recordCount == 5 && report.wasClean, "cut \(cut)")
                try log.close()
                continue
            }
            // The torn bytes are the non-zero ones after the last good record.
            let lastNonZero = damaged.lastIndex(where: { $0 != 0 }).map { max($0 + 1, lastStart) } ?? lastStart
            let expectedDropped = lastNonZero - lastStart

            let (log, report) = try ShardLog.open(directory: dir.path, options: Self.options)
            #expect(report.recordCount == 4, "cut \(cut)")
            #expect(report.bytesDropped == Int64(expectedDropped), "cut \(cut)")
            if expectedDropped > 0 {
                #expect(report.tornFile == path && report.tornOffset == Int64(lastStart), "cut \(cut)")
            }
            #expect(report.nextSequence == 5)
            #expect(try readAll(log).map(\.2) == (0..<4).map { testPayload($0, size: 30 + $0) }, "cut \(cut)")
            // The torn bytes are gone from the file.
            let after = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(after[lastStart...].allSatisfy { $0 == 0 }, "cut \(cut)")
            // The log keeps working: the next record gets sequence 5 and survives a reopen.
            let r = try await committer.appendTest(log, 99..<100, clock: MonotonicTimestamps(clock: ManualClock()))
            #expect(r.firstSequence == 5)
            try log.close()
            let (again, report2) = try ShardLog.open(directory: dir.path, options: Self.options)
            #expect(report2.wasClean && report2.recordCount == 5, "cut \(cut)")
            #expect(try readAll(again).last?.2 == testPayload(99), "cut \(cut)")
            try again.close()
        }
    }

    @Test func corruptMiddleRecordIsAnErrorNamingFileAndOffset() async throws {
        let dir = TempDir("middle"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let (original, _) = try await makeLog(dir, committer: committer)
        let path = dir.file(Self.segment)
        let record2 = 2 * (32 + testKey(0).count) + 30 + 31   // offset of the third record
        // A flipped payload byte (bad CRC), a zeroed length, and garbage over a header.
        for mutate in [{ (b: inout [UInt8]) in b[record2 + 20] ^= 0x40 },
                       { (b: inout [UInt8]) in for i in 0..<4 { b[record2 + i] = 0 } },
                       { (b: inout [UInt8]) in for i in 0..<16 { b[record2 + i] = 0xEE } }] {
            var damaged = original
            mutate(&damaged)
            try write(damaged, to: path)
            do {
                _ = try ShardLog.open(directory: dir.path, options: Self.options)
                Issue.record("open succeeded on a log with a corrupt middle record")
            } catch let e as StorageError {
                #expect(e.kind == .corrupt)
                #expect(e.path == path && e.offset == Int64(record2))
                #expect(e.description.contains(path) && e.description.contains("\(record2)"))
            }
            // Nothing was repaired behind our back.
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == damaged)
        }
    }

    @Test func corruptSealedSegmentIsAnError() async throws {
        let dir = TempDir("sealed"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let options = smallOptions(segmentBytes: 4096)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        _ = try await committer.appendTest(log, 0..<100, clock: MonotonicTimestamps(clock: ManualClock()), size: 100)
        try log.close()
        let first = dir.file(Self.segment)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: first)))
        let lastRecordStart = bytes.count - (32 + testKey(0).count + 100)
        // Damage the LAST record of the sealed segment: in a sealed segment even a
        // "tail" is corruption.
        bytes[lastRecordStart + 40] ^= 1
        try write(bytes, to: first)

        // With its index file, the segment is not scanned at open; the read finds it.
        let (reopened, _) = try ShardLog.open(directory: dir.path, options: options)
        do {
            _ = try readAll(reopened, maxRecords: 1000, maxBytes: 1 << 20)
            Issue.record("read returned a corrupt record")
        } catch let e as StorageError {
            #expect(e.kind == .corrupt && e.path == first && e.offset == Int64(lastRecordStart))
        }
        try reopened.close()

        // Without it, the rebuild scan refuses to open the log.
        try FileManager.default.removeItem(atPath: dir.file("00000000000000000001.idx"))
        do {
            _ = try ShardLog.open(directory: dir.path, options: options)
            Issue.record("open succeeded on a corrupt sealed segment")
        } catch let e as StorageError {
            #expect(e.kind == .corrupt && e.path == first && e.offset == Int64(lastRecordStart))
        }
    }

    @Test func truncatedSealedSegmentIsAnError() async throws {
        let dir = TempDir("sealed-trunc"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let options = smallOptions(segmentBytes: 4096)
        let (log, _) = try ShardLog.open(directory: dir.path, options: options)
        _ = try await committer.appendTest(log, 0..<100, clock: MonotonicTimestamps(clock: ManualClock()), size: 100)
        try log.close()
        let first = dir.file(Self.segment)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: first)))
        try write(Array(bytes.dropLast(10)), to: first)
        try FileManager.default.removeItem(atPath: dir.file("00000000000000000001.idx"))
        #expect(throws: StorageError.self) { _ = try ShardLog.open(directory: dir.path, options: options) }
    }
}
