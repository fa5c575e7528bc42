// Helpers for the storage tests: temporary directories and small append shortcuts.

import Foundation
import FreshetCore
@testable import FreshetStorage

/// A fresh directory under /tmp, removed by `remove()`.
struct TempDir {
    let path: String
    init(_ name: String = "t") {
        path = "/tmp/freshet-storage-\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    /// A view of an existing directory (not created; `remove()` deletes it).
    init(existing path: String) { self.path = path }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func segmentFiles() -> [String] { files().filter { $0.hasSuffix(".log") } }
}

/// The payload of test record `i` (recognisable and of varying length).
func testPayload(_ i: Int, size: Int = 40) -> [UInt8] {
    var p = Array("payload-\(i)-".utf8)
    while p.count < size { p.append(UInt8(truncatingIfNeeded: i &* 31 &+ p.count)) }
    return p
}

func testKey(_ i: Int) -> [UInt8] { Array("key-\(i % 7)".utf8) }

/// Inputs for records `range`, keys and payloads from the helpers above.
func testInputs(_ range: Range<Int>, size: Int = 40, hashKeys: Bool = false) -> RecordInputs {
    var inputs = RecordInputs()
    for i in range {
        try! inputs.append(partitionKey: testKey(i), explicitHashKey: hashKeys ? Array("\(i * 1000)".utf8) : nil,
                           payload: testPayload(i, size: size))
    }
    return inputs
}

/// Small segments so that tests roll often; no background preallocation unless asked.
func smallOptions(segmentBytes: Int = 4096, preallocate: Bool = false) -> LogOptions {
    LogOptions(segmentBytes: segmentBytes, indexIntervalBytes: 512, preallocate: preallocate)
}

/// Read every durable record of a log from `from`.
func readAll(_ log: ShardLog, from: UInt64 = 0, maxRecords: Int = 7, maxBytes: Int = 1000) throws -> [(UInt64, Int64, [UInt8])] {
    var out: [(UInt64, Int64, [UInt8])] = []
    var next = from
    while true {
        let batch = try log.read(from: next, maxRecords: maxRecords, maxBytes: maxBytes)
        if batch.isEmpty { break }
        for i in 0..<batch.count {
            out.append((batch.sequence(at: i), batch.rowtime(at: i), Array(batch[i].payload)))
        }
        next = batch.nextSequence
    }
    return out
}

extension GroupCommitter {
    /// Append records `range` to `log` in one submission.
    func appendTest(_ log: ShardLog, _ range: Range<Int>, clock: MonotonicTimestamps, size: Int = 40) async throws -> AppendResult {
        try await append(AppendRequest(log: log, records: testInputs(range, size: size), rowtime: .monotonic(clock)))
    }
}
