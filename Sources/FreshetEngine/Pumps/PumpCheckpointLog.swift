import FreshetCore
import FreshetStorage

/// A pump's checkpoint log: a ShardLog of its own under the data directory
/// (`pumps/<oid>`), so each append is atomic and durable (a torn tail is dropped at
/// open, as in any shard log). Appends go through the Engine's GroupCommitter and
/// share its fdatasyncs.
final class PumpCheckpointLog: @unchecked Sendable {
    let log: ShardLog
    let committer: GroupCommitter
    let clock: any Clock

    init(directory: String, committer: GroupCommitter, clock: any Clock, segmentBytes: Int = 4 << 20) throws {
        (log, _) = try ShardLog.open(directory: directory, options: LogOptions(segmentBytes: segmentBytes))
        self.committer = committer
        self.clock = clock
    }

    /// Append one record durably; returns the rowtime it got.
    @discardableResult
    func append(_ record: PumpLogRecord) async throws -> Int64 { try await append([record]) }

    /// Append records durably, in one group-commit submission (one fdatasync); returns their rowtime.
    @discardableResult
    func append(_ records: [PumpLogRecord]) async throws -> Int64 {
        var inputs = RecordInputs()
        for record in records {
            try inputs.append(partitionKey: UnsafeRawBufferPointer(start: nil, count: 0), explicitHashKey: nil) { record.encode(into: &$0) }
        }
        let clock = self.clock
        return try await committer.append(AppendRequest(log: log, records: inputs, rowtime: .provider { clock.nowMicros() })).rowtime
    }

    /// Drop whole segments written before the checkpoint of rowtime `rowtime` (recovery
    /// needs only the last checkpoint and the intent after it).
    func compact(before rowtime: Int64) throws { try log.deleteSegments(olderThan: rowtime) }

    /// The last `n` records (fewer when the log holds fewer), oldest first.
    func readLast(_ n: Int) throws -> [PumpLogRecord] {
        let next = log.stats.nextSequence
        return try readAll(from: next > UInt64(n) ? next - UInt64(n) : 0)
    }

    /// The last checkpoint and every record after it (the intents of the batches since),
    /// oldest first; every record when the log holds no checkpoint. Reads backwards in
    /// growing steps: recovery needs only this (docs/continuous-queries.md, "Exactly once").
    func readFromLastCheckpoint() throws -> [PumpLogRecord] {
        let stats = log.stats
        let first = stats.firstSequence ?? 0
        var n: UInt64 = 8
        while true {
            let start = stats.nextSequence > first + n ? stats.nextSequence - n : first
            let records = try readAll(from: start)
            if let i = records.lastIndex(where: { if case .checkpoint = $0 { return true } else { return false } }) {
                return Array(records[i...])
            }
            if start == first { return records }
            n *= 4
        }
    }

    /// Every record from sequence `start`, oldest first.
    func readAll(from start: UInt64 = 0) throws -> [PumpLogRecord] {
        var out: [PumpLogRecord] = []
        var at = start
        while true {
            let batch = try log.read(from: at, maxRecords: 4096, maxBytes: 16 << 20)
            if batch.isEmpty { break }
            for i in 0..<batch.count { out.append(try PumpLogRecord.decode(Array(batch[i].payload))) }
            at = batch.nextSequence
        }
        return out
    }

    func close() { try? log.close() }
    func destroy() { try? log.destroy() }
}
