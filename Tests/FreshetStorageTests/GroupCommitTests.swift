import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite struct GroupCommitTests {
    @Test func concurrentWritersGetUniqueIncreasingSequences() async throws {
        let dir = TempDir("concurrent"); defer { dir.remove() }
        let committer = GroupCommitter()
        let clock = MonotonicTimestamps(clock: SystemClock())
        let options = smallOptions(segmentBytes: 16 << 10)
        let logs = try (0..<3).map { try ShardLog.open(directory: dir.file("s\($0)"), options: options).0 }
        let writers = 8, perWriter = 40
        // Writer w appends record w*1000+i to log (w+i) % 3, one record per submission.
        let results = try await withThrowingTaskGroup(of: [(Int, Int, AppendResult)].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var mine: [(Int, Int, AppendResult)] = []
                    for i in 0..<perWriter {
                        let id = w * 1000 + i
                        let l = (w + i) % 3
                        mine.append((id, l, try await committer.appendTest(logs[l], id..<(id + 1), clock: clock)))
                    }
                    return mine
                }
            }
            var all: [(Int, Int, AppendResult)] = []
            for try await part in group { all += part }
            return all
        }
        #expect(results.count == writers * perWriter)
        for l in 0..<3 {
            let seqs = results.filter { $0.1 == l }.map(\.2.firstSequence).sorted()
            #expect(seqs == Array(1...UInt64(seqs.count)), "log \(l): unique and gap-free")
        }
        // Each writer's own appends got increasing sequences on each log.
        for w in 0..<writers {
            for l in 0..<3 {
                let s = results.filter { $0.0 / 1000 == w && $0.1 == l }.map(\.2.firstSequence)
                #expect(s == s.sorted())
            }
        }
        let c = committer.counters
        #expect(c.batches == writers * perWriter && c.records == writers * perWriter && c.failedBatches == 0)
        #expect(c.rounds <= c.batches && c.fsyncs >= c.rounds)
        committer.shutdown()
        for log in logs { try log.close() }

        // After reopen every record is there, at the sequence it was given, and ROWTIME
        // is non-decreasing in log order.
        for l in 0..<3 {
            let (log, report) = try ShardLog.open(directory: dir.file("s\(l)"), options: options)
            #expect(report.wasClean)
            let records = try readAll(log, maxRecords: 50, maxBytes: 4000)
            let expected = results.filter { $0.1 == l }.sorted { $0.2.firstSequence < $1.2.firstSequence }
            #expect(records.map(\.0) == expected.map(\.2.firstSequence))
            #expect(records.map(\.2) == expected.map { testPayload($0.0) })
            #expect(records.map(\.1) == expected.map(\.2.rowtime))
            #expect(records.map(\.1) == records.map(\.1).sorted())
            try log.close()
        }
    }

    @Test func oneSubmissionAcrossLogsSharesOneRowtime() async throws {
        let dir = TempDir("multi"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let clock = ManualClock(startMicros: 500)
        let ts = MonotonicTimestamps(clock: clock)
        let logs = try (0..<4).map { try ShardLog.open(directory: dir.file("s\($0)"), options: smallOptions()).0 }
        let results = try await committer.append(logs.enumerated().map { (i, log) in
            AppendRequest(log: log, records: testInputs((i * 10)..<(i * 10 + i + 1)), rowtime: .monotonic(ts))
        })
        #expect(results.map(\.count) == [1, 2, 3, 4])
        #expect(results.allSatisfy { $0.firstSequence == 1 && $0.rowtime == 500 })
        #expect(logs.map { $0.stats.recordCount } == [1, 2, 3, 4])
        // ROWTIME across the logs of a stream never goes back, even if the clock does.
        clock.set(micros: 100)
        let later = try await committer.append(AppendRequest(log: logs[2], records: testInputs(0..<1), rowtime: .monotonic(ts)))
        #expect(later.rowtime == 500 && later.firstSequence == 4)
        // A provider below the log's newest rowtime is raised to it.
        let raised = try await committer.append(AppendRequest(log: logs[2], records: testInputs(0..<1), rowtime: .provider { 7 }))
        #expect(raised.rowtime == 500)
        for log in logs { try log.close() }
    }

    @Test func submissionWithAClosedLogIsRejectedWhole() async throws {
        let dir = TempDir("closed"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: ManualClock())
        let (open, _) = try ShardLog.open(directory: dir.file("a"), options: smallOptions())
        let (closed, _) = try ShardLog.open(directory: dir.file("b"), options: smallOptions())
        try closed.close()
        do {
            _ = try await committer.append([AppendRequest(log: open, records: testInputs(0..<3), rowtime: .monotonic(ts)),
                                            AppendRequest(log: closed, records: testInputs(0..<3), rowtime: .monotonic(ts))])
            Issue.record("append to a closed log succeeded")
        } catch let e as StorageError {
            #expect(e.kind == .closed)
        }
        #expect(open.stats.recordCount == 0)
        #expect(committer.counters.failedBatches == 1)
        // The open log still works, from sequence 1.
        let r = try await committer.appendTest(open, 0..<2, clock: ts)
        #expect(r.firstSequence == 1)
        try open.close()
    }

    @Test func shutdownRefusesLaterAppends() async throws {
        let dir = TempDir("shutdown"); defer { dir.remove() }
        let committer = GroupCommitter()
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions())
        _ = try await committer.appendTest(log, 0..<1, clock: MonotonicTimestamps(clock: ManualClock()))
        committer.shutdown()
        do {
            _ = try await committer.appendTest(log, 1..<2, clock: MonotonicTimestamps(clock: ManualClock()))
            Issue.record("append after shutdown succeeded")
        } catch let e as StorageError {
            #expect(e.kind == .shutdown)
        }
        try log.close()
    }

    @Test func concurrentReadersWhileWriting() async throws {
        let dir = TempDir("readers"); defer { dir.remove() }
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let ts = MonotonicTimestamps(clock: SystemClock())
        let (log, _) = try ShardLog.open(directory: dir.path, options: smallOptions(segmentBytes: 8192))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for b in 0..<60 { _ = try await committer.appendTest(log, (b * 5)..<(b * 5 + 5), clock: ts) }
            }
            for _ in 0..<3 {
                group.addTask {
                    // Tail the log: every record seen is durable, in order, and complete.
                    var next: UInt64 = 1
                    while next <= 300 {
                        let batch = try log.read(from: next, maxRecords: 17, maxBytes: 2000)
                        for i in 0..<batch.count {
                            #expect(batch.sequence(at: i) == next)
                            #expect(Array(batch[i].payload) == testPayload(Int(next) - 1))
                            next += 1
                        }
                        if batch.isEmpty { try await Task.sleep(nanoseconds: 200_000) }
                    }
                }
            }
            try await group.waitForAll()
        }
        try log.close()
    }
}
