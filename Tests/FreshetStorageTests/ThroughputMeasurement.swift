// Throughput measurement, run by hand (it asserts only correctness, never timing):
//
//     FRESHET_STORAGE_BENCH=1 swift test -c release -Xswiftc -enable-testing \
//         --scratch-path .build-testable --filter ThroughputMeasurement/bulkAppend
//
// (other test targets use @testable imports, hence -enable-testing; a separate scratch
// path keeps the normal release build. Run one test at a time: the suite's tests may
// run in parallel.)
//
// Prints records/s and MB/s for 1,000,000 × 100-byte records appended in batches of
// 10,000 with an fdatasync per batch, and fsyncs per batch for 8 concurrent writers of
// 1-record batches, and what opening 64 new logs (CREATE STREAM … shards = 64) writes.
// FRESHET_STORAGE_BENCH_DIR picks the directory (default /tmp).

import Testing
import Foundation
import FreshetCore
@testable import FreshetStorage

@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["FRESHET_STORAGE_BENCH"] != nil))
struct ThroughputMeasurement {
    var base: String { ProcessInfo.processInfo.environment["FRESHET_STORAGE_BENCH_DIR"] ?? "/tmp" }

    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    @Test func crc32cRate() {
        let bytes = [UInt8](repeating: 0x5A, count: 64 << 20)
        let t0 = now()
        var x: UInt32 = 0
        for _ in 0..<4 { x ^= CRC32C.checksum(bytes) }
        let dt = now() - t0
        print("CRC32C: \(String(format: "%.2f", Double(4 * bytes.count) / dt / 1e9)) GB/s (\(x))")
        #expect(x == 0)  // four equal checksums XOR to zero
    }

    @Test func bulkAppend() async throws {
        let dir = base + "/freshet-bench-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (log, _) = try ShardLog.open(directory: dir, options: LogOptions())
        ShardLog.waitForBackgroundWork()
        let committer = GroupCommitter()
        let ts = MonotonicTimestamps(clock: SystemClock())
        let payload = [UInt8](repeating: 7, count: 100)
        let key = Array("partition-key".utf8)
        let total = 1_000_000, batch = 10_000
        var framing = 0.0, committing = 0.0
        let t0 = now()
        var inputs = RecordInputs(reservingBytes: batch * (32 + key.count + payload.count))
        for _ in 0..<(total / batch) {
            let f0 = now()
            inputs.removeAll()
            for _ in 0..<batch { try inputs.append(partitionKey: key, explicitHashKey: nil, payload: payload) }
            let f1 = now()
            _ = try await committer.append(AppendRequest(log: log, records: inputs, rowtime: .monotonic(ts)))
            framing += f1 - f0
            committing += now() - f1
        }
        let dt = now() - t0
        let c = committer.counters
        let mb = Double(c.bytes) / 1e6
        print("bulk append: \(total) records in \(String(format: "%.3f", dt)) s = \(Int(Double(total) / dt)) records/s, "
              + "\(String(format: "%.1f", mb / dt)) MB/s framed (\(String(format: "%.1f", Double(total * 100) / dt / 1e6)) MB/s payload); "
              + "framing \(String(format: "%.3f", framing)) s, commit \(String(format: "%.3f", committing)) s; "
              + "fsyncs \(c.fsyncs) for \(c.batches) batches; segments \(log.stats.segmentCount)")
        ShardLog.waitForBackgroundWork()
        let z = log.zeroAhead.snapshot.counters
        print("zero-ahead: \(z.bytesZeroed) bytes zeroed, \(z.syncs) background fdatasyncs")
        #expect(log.stats.recordCount == total)
        // Full scan.
        let r0 = now()
        var next: UInt64 = 1, n = 0, sum = 0
        while true {
            let b = try log.read(from: next, maxRecords: 100_000, maxBytes: 8 << 20)
            if b.isEmpty { break }
            for i in 0..<b.count { sum &+= Int(b.rowtime(at: i) & 1) }
            n += b.count
            next = b.nextSequence
        }
        let rt = now() - r0
        print("full scan: \(n) records in \(String(format: "%.3f", rt)) s = \(Int(Double(n) / rt)) records/s (\(sum))")
        #expect(n == total)
        committer.shutdown()
        try log.destroy()
    }

    /// 100,000 records in rounds of 100 (14.5 KB): here each round's fdatasync dominates,
    /// and whether it overwrites written zeros or grows the file matters.
    @Test func smallBatchAppend() async throws { try await smallBatches(zeroAhead: true) }

    /// The same without zeroing ahead: every round grows the file.
    @Test func smallBatchAppendGrowingTheFile() async throws { try await smallBatches(zeroAhead: false) }

    func smallBatches(zeroAhead: Bool) async throws {
        let dir = base + "/freshet-bench-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (log, _) = try ShardLog.open(directory: dir, options: LogOptions(preallocate: zeroAhead))
        ShardLog.waitForBackgroundWork()
        let committer = GroupCommitter()
        let ts = MonotonicTimestamps(clock: SystemClock())
        let payload = [UInt8](repeating: 7, count: 100)
        let key = Array("partition-key".utf8)
        let total = 100_000, batch = 100
        var inputs = RecordInputs(reservingBytes: batch * (32 + key.count + payload.count))
        var latencies: [Double] = []
        let t0 = now()
        for _ in 0..<(total / batch) {
            inputs.removeAll()
            for _ in 0..<batch { try inputs.append(partitionKey: key, explicitHashKey: nil, payload: payload) }
            let c0 = now()
            _ = try await committer.append(AppendRequest(log: log, records: inputs, rowtime: .monotonic(ts)))
            latencies.append(now() - c0)
        }
        let dt = now() - t0
        let c = committer.counters
        latencies.sort()
        print("small batches (zero-ahead \(zeroAhead ? "on" : "off")): \(total) records in rounds of \(batch): \(String(format: "%.3f", dt)) s = \(Int(Double(total) / dt)) records/s, "
              + "\(String(format: "%.1f", Double(c.bytes) / 1e6 / dt)) MB/s; commit latency p50 \(Int(latencies[latencies.count / 2] * 1e6)) µs, "
              + "p99 \(Int(latencies[latencies.count * 99 / 100] * 1e6)) µs; fsyncs \(c.fsyncs) for \(c.batches) batches")
        #expect(log.stats.recordCount == total)
        ShardLog.waitForBackgroundWork()
        let z = log.zeroAhead.snapshot.counters
        print("zero-ahead: \(z.bytesZeroed) bytes zeroed, \(z.syncs) background fdatasyncs")
        committer.shutdown()
        try log.destroy()
    }

    /// What the commit thread's copy into its round buffer costs, next to the
    /// copy-on-write copy that stamping the producer's array in place used to trigger
    /// (the producer keeps its RecordInputs, so that array was shared).
    @Test func roundCopyCost() throws {
        let payload = [UInt8](repeating: 7, count: 100)
        let key = Array("partition-key".utf8)
        var inputs = RecordInputs()
        for _ in 0..<10_000 { try inputs.append(partitionKey: key, explicitHashKey: nil, payload: payload) }
        let rounds = 100
        let buffer = RoundBuffer()
        var sink = 0
        let t0 = now()
        for _ in 0..<rounds {
            buffer.beginRound(bytes: inputs.byteCount)
            let copy = inputs.bytes.withUnsafeBytes { buffer.copy($0) }
            sink &+= Int(copy.load(fromByteOffset: 8, as: UInt8.self))
            buffer.endRound()
        }
        let roundBuffer = now() - t0
        let t1 = now()
        for _ in 0..<rounds {
            var shared = inputs.bytes
            shared.withUnsafeMutableBytes { sink &+= Int($0.load(fromByteOffset: 8, as: UInt8.self)) }
        }
        let cow = now() - t1
        let mb = Double(rounds * inputs.byteCount) / 1e6
        print("round copy of \(rounds) × \(inputs.byteCount) bytes: round buffer \(String(format: "%.1f", roundBuffer * 1000)) ms "
              + "(\(String(format: "%.1f", mb / roundBuffer / 1000)) GB/s), copy-on-write \(String(format: "%.1f", cow * 1000)) ms "
              + "(\(String(format: "%.1f", mb / cow / 1000)) GB/s) (\(sink))")
        #expect(sink == 2 * rounds * Int(RecordFrame.magic))
    }

    @Test func concurrentSmallWriters() async throws {
        let dir = base + "/freshet-bench-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (log, _) = try ShardLog.open(directory: dir, options: LogOptions())
        ShardLog.waitForBackgroundWork()
        let committer = GroupCommitter()
        let ts = MonotonicTimestamps(clock: SystemClock())
        let perWriter = 500
        let t0 = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for i in 0..<perWriter {
                        var one = RecordInputs()
                        try one.append(partitionKey: Array("k".utf8), payload: testPayload(i, size: 100))
                        _ = try await committer.append(AppendRequest(log: log, records: one, rowtime: .monotonic(ts)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let dt = now() - t0
        let c = committer.counters
        print("8 writers × \(perWriter) one-record batches: \(String(format: "%.3f", dt)) s, "
              + "\(Int(Double(c.batches) / dt)) batches/s, rounds \(c.rounds), fsyncs \(c.fsyncs), "
              + "fsyncs per batch \(String(format: "%.3f", c.fsyncsPerBatch))")
        ShardLog.waitForBackgroundWork()
        let z = log.zeroAhead.snapshot.counters
        print("zero-ahead: \(z.bytesZeroed) bytes zeroed, \(z.syncs) background fdatasyncs")
        #expect(c.batches == 8 * perWriter)
        committer.shutdown()
        try log.destroy()
    }

    /// CREATE STREAM with many shards opens that many new logs: what does it write?
    @Test func createManyLogs() throws {
        let dir = base + "/freshet-bench-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shards = 64
        let t0 = now()
        var logs: [ShardLog] = []
        for s in 0..<shards {
            logs.append(try ShardLog.open(directory: dir + "/shard-\(s)", options: LogOptions()).0)
        }
        let opened = now() - t0
        ShardLog.waitForBackgroundWork()
        let settled = now() - t0
        var bytes: Int64 = 0
        for s in 0..<shards {
            let sub = dir + "/shard-\(s)"
            for name in try FileManager.default.contentsOfDirectory(atPath: sub) {
                bytes += (try FileManager.default.attributesOfItem(atPath: sub + "/" + name)[.size] as! NSNumber).int64Value
            }
        }
        print("open \(shards) new logs: \(String(format: "%.3f", opened)) s, background work done after "
              + "\(String(format: "%.3f", settled)) s, \(bytes) bytes in their files (\(bytes >> 20) MiB)")
        for log in logs { try log.destroy() }
    }
}
