import Foundation
import FreshetCore
import FreshetStorage

/// A stream's shard logs: routes rows to shards by partition key, encodes
/// them into log records, and reads them back as rows with their system
/// columns (ROWTIME, _shard_id, _sequence_number, _partition_key,
/// _explicit_hash_key).
public final class StreamStore: @unchecked Sendable {
    public struct Shard: Sendable {
        public var index: Int
        public var range: HashKeyRange
        public var open: Bool
        public init(index: Int, range: HashKeyRange, open: Bool) {
            self.index = index
            self.range = range
            self.open = open
        }
    }
    public struct Definition: Sendable {
        public var directory: String
        public var schema: Schema
        public var shards: [Shard]
        /// Column whose text is the partition key; nil: a random key per row.
        public var partitionKeyColumn: Int?
        public init(directory: String, schema: Schema, shards: [Shard], partitionKeyColumn: Int?) {
            self.directory = directory
            self.schema = schema
            self.shards = shards
            self.partitionKeyColumn = partitionKeyColumn
        }
    }

    public let definition: Definition
    /// Logs by shard index (same order as definition.shards).
    let logs: [ShardLog]
    let openShards: [(shard: Shard, position: Int)]
    public let timestamps: MonotonicTimestamps
    /// Fired after each commit that added rows, to wake live readers.
    public let signal = AppendSignal()
    let clock: any Clock
    private let inFlightLock = NSLock()
    private var inFlight: [Int: Int64] = [:]
    private var nextCommitToken = 0

    init(definition: Definition, logs: [ShardLog], timestamps: MonotonicTimestamps, clock: any Clock) {
        self.clock = clock
        self.definition = definition
        self.logs = logs
        self.timestamps = timestamps
        openShards = definition.shards.enumerated().filter { $0.element.open }.map { ($0.element, $0.offset) }
    }

    /// Open (or create) every shard's log, running recovery.
    public static func open(definition: Definition, options: LogOptions, clock: any Clock) throws -> (StreamStore, [RecoveryReport]) {
        var logs: [ShardLog] = []
        var reports: [RecoveryReport] = []
        let timestamps = MonotonicTimestamps(clock: clock)
        do {
            for s in definition.shards {
                let (log, report) = try ShardLog.open(directory: definition.directory + "/" + ShardID.name(s.index), options: options)
                logs.append(log)
                reports.append(report)
                if let t = log.stats.lastRowtime { timestamps.observe(t) }
            }
        } catch {
            for l in logs { try? l.close() }
            throw StreamStore.map(error)
        }
        return (StreamStore(definition: definition, logs: logs, timestamps: timestamps, clock: clock), reports)
    }

    /// The stream's time up to which every row is readable: no row committed later can
    /// have a smaller ROWTIME. It is the clock's time, held back to the submit time of
    /// the oldest commit still in flight (its rows get ROWTIMEs at or after that).
    /// Windows over ROWTIME close when this passes their end.
    public func watermark() -> Int64 {
        let now = clock.nowMicros()
        let oldest: Int64? = inFlightLock.withLock { inFlight.values.min() }
        return min(now, oldest.map { $0 - 1 } ?? now)
    }

    func beginCommit() -> Int {
        let now = clock.nowMicros()
        return inFlightLock.withLock {
            nextCommitToken += 1
            inFlight[nextCommitToken] = now
            return nextCommitToken
        }
    }

    func endCommit(_ token: Int) {
        _ = inFlightLock.withLock { inFlight.removeValue(forKey: token) }
    }

    public func close() {
        for l in logs { try? l.close() }
    }

    public func destroy() throws {
        for l in logs { try l.destroy() }
    }

    public func applyRetention(olderThan cutoff: Int64) throws {
        for l in logs { _ = try l.deleteSegments(olderThan: cutoff) }
    }

    public var stats: [LogStats] { logs.map(\.stats) }

    static func map(_ error: Error) -> Error {
        if let e = error as? StorageError {
            return FreshetError(e.kind == .corrupt ? .dataCorrupted : .ioError, e.description)
        }
        return error
    }

    /// The open shard whose hash-key range holds `key`.
    func shardPosition(for key: UInt128) -> Int {
        for (s, pos) in openShards where s.range.contains(key) { return pos }
        return openShards[openShards.count - 1].position
    }

    /// Route and encode rows; nothing is written yet. Errors here (a NULL
    /// partition key, a record too large) leave nothing behind.
    public func prepare(rows: [Row]) throws -> PendingWrite {
        var parts = [RecordInputs](repeating: RecordInputs(), count: logs.count)
        var rowShard = [Int32](repeating: 0, count: rows.count)
        var rowIndex = [Int32](repeating: 0, count: rows.count)
        var counts = [Int32](repeating: 0, count: logs.count)
        var keys: [String] = []
        keys.reserveCapacity(rows.count)
        let schema = definition.schema
        var rng = SystemRandomNumberGenerator()
        for (n, row) in rows.enumerated() {
            let key: String
            if let pk = definition.partitionKeyColumn {
                let v = row[pk]
                if v.isNull {
                    throw FreshetError(.notNullViolation, "partition key column \"\(schema.columns[pk].name)\" is NULL in row \(n + 1)",
                                       detail: "Every row needs a partition key to pick its shard. No row of this statement was stored.")
                }
                key = v.pgText(as: schema.columns[pk].type)
            } else {
                key = String(rng.next() as UInt64, radix: 16)
            }
            var keyCopy = key
            let pos = keyCopy.withUTF8 { shardPosition(for: PartitionHash.hashKey(UnsafeRawBufferPointer($0))) }
            rowShard[n] = Int32(pos)
            rowIndex[n] = counts[pos]
            counts[pos] += 1
            keys.append(key)
            do {
                var k = key
                try k.withUTF8 { pk in
                    try parts[pos].append(partitionKey: UnsafeRawBufferPointer(pk), explicitHashKey: nil) { buffer in
                        RowCodec.encode(row, schema: schema, into: &buffer)
                    }
                }
            } catch {
                throw FreshetError(.programLimitExceeded, "row \(n + 1) is too large to store: \(error)")
            }
        }
        return PendingWrite(store: self, parts: parts, rowShard: rowShard, rowIndex: rowIndex, partitionKeys: keys)
    }
}

/// Rows routed and encoded for one stream, waiting for a commit.
public struct PendingWrite: @unchecked Sendable {
    let store: StreamStore
    /// Records per shard position (empty where no row went).
    var parts: [RecordInputs]
    let rowShard: [Int32]
    let rowIndex: [Int32]
    let partitionKeys: [String]
    public var rowCount: Int { rowShard.count }
}

/// Where each row of a committed write went.
public struct WriteReceipt: Sendable {
    let write: PendingWrite
    /// AppendResult per shard position (nil where no row went).
    let results: [AppendResult?]

    /// The stored rows: user columns then system columns.
    public func storedRows(_ rows: [Row]) -> [Row] {
        let shards = write.store.definition.shards
        return rows.enumerated().map { n, row in
            let pos = Int(write.rowShard[n])
            let r = results[pos]!
            let seq = r.firstSequence + UInt64(write.rowIndex[n])
            return row + [.timestamp(r.rowtime), .string(ShardID.name(shards[pos].index)),
                          .string(SequenceNumber.string(shardIndex: shards[pos].index, counter: seq)),
                          .string(write.partitionKeys[n]), .null]
        }
    }
}

extension GroupCommitter {
    /// Make pending writes durable in one submission (shared fdatasync).
    public func commit(_ writes: [PendingWrite]) async throws -> [WriteReceipt] {
        var requests: [AppendRequest] = []
        var owners: [(write: Int, position: Int)] = []
        for (w, write) in writes.enumerated() {
            for (pos, records) in write.parts.enumerated() where !records.isEmpty {
                requests.append(AppendRequest(log: write.store.logs[pos], records: records, rowtime: .monotonic(write.store.timestamps)))
                owners.append((w, pos))
            }
        }
        let results: [AppendResult]
        var tokens: [(StreamStore, Int)] = []
        var seen = Set<ObjectIdentifier>()
        for w in writes where seen.insert(ObjectIdentifier(w.store)).inserted { tokens.append((w.store, w.store.beginCommit())) }
        defer { for (s, t) in tokens { s.endCommit(t) } }
        do { results = try await append(requests) } catch { throw StreamStore.map(error) }
        var notified = Set<ObjectIdentifier>()
        for w in writes where notified.insert(ObjectIdentifier(w.store)).inserted { w.store.signal.notify() }
        var perWrite: [[AppendResult?]] = writes.map { [AppendResult?](repeating: nil, count: $0.parts.count) }
        for (i, o) in owners.enumerated() { perWrite[o.write][o.position] = results[i] }
        return writes.enumerated().map { WriteReceipt(write: $1, results: perWrite[$0]) }
    }
}
