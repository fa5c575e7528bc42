import FreshetCore
import FreshetStorage
import Foundation

/// A stream's shard logs: routes rows to open shards by partition key, encodes them
/// into log records, and reads them back as rows with their system columns
/// (ROWTIME, _shard_id, _sequence_number, _partition_key, _explicit_hash_key).
///
/// The shard layout lives in an immutable `ShardMap` that a reshard replaces
/// (`StreamStore+Reshard.swift`); prepared writes remember the map they were routed
/// with and are re-routed at commit if it changed (`PendingWrite+Reroute.swift`).
public final class StreamStore: @unchecked Sendable {
    public struct Definition: Sendable {
        /// The stream's name (for messages).
        public var name: String
        public var directory: String
        public var schema: Schema
        public var shards: [Shard]
        /// Column whose text is the partition key; nil: a random key per row.
        public var partitionKeyColumn: Int?
        public var options: Options
        public init(name: String = "", directory: String, schema: Schema, shards: [Shard], partitionKeyColumn: Int?,
                    options: Options = Options()) {
            self.name = name
            self.directory = directory
            self.schema = schema
            self.shards = shards
            self.partitionKeyColumn = partitionKeyColumn
            self.options = options
        }
    }

    /// Options that `ALTER STREAM … SET` may change on a live stream.
    public struct Options: Sendable, Equatable {
        public var capacityMode: CapacityMode
        /// Largest record (partition key + encoded row) accepted, in bytes (Kinesis: 1 MiB).
        public var maxRecordBytes: Int
        public static let defaultMaxRecordBytes = 1 << 20
        public init(capacityMode: CapacityMode = .onDemand, maxRecordBytes: Int = Options.defaultMaxRecordBytes) {
            self.capacityMode = capacityMode
            self.maxRecordBytes = maxRecordBytes
        }
    }

    public let name: String
    public let directory: String
    public let schema: Schema
    /// Column whose text is the partition key; nil: a random key per row.
    public let partitionKeyColumn: Int?
    public let timestamps: MonotonicTimestamps
    public let metrics = StreamMetrics()
    /// Continuous readers and how far behind they are (iterator age).
    public let readers: StreamReaders
    /// Fired after each commit that added rows, to wake live readers.
    public let signal = AppendSignal()
    let clock: any Clock
    let logOptions: LogOptions
    private let inFlightLock = NSLock()
    private var inFlight: [Int: Int64] = [:]
    private var nextCommitToken = 0
    let gate = CommitGate()
    let limiter = CapacityLimiter()

    private let stateLock = NSLock()
    private var currentMap: ShardMap
    private var currentOptions: Options

    init(definition: Definition, map: ShardMap, logOptions: LogOptions, clock: any Clock, timestamps: MonotonicTimestamps) {
        name = definition.name
        directory = definition.directory
        schema = definition.schema
        partitionKeyColumn = definition.partitionKeyColumn
        currentOptions = definition.options
        currentMap = map
        self.logOptions = logOptions
        self.clock = clock
        self.timestamps = timestamps
        readers = StreamReaders(metrics: metrics, clock: clock)
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

    /// The current shard layout.
    var map: ShardMap { stateLock.withLock { currentMap } }
    func swapMap(_ m: ShardMap) { stateLock.withLock { currentMap = m } }

    /// All shards (open and closed) in index order: parents before children.
    public var shards: [Shard] { map.shards }

    public var options: Options {
        get { stateLock.withLock { currentOptions } }
        set { stateLock.withLock { currentOptions = newValue } }
    }

    /// Whether a reshard is in progress (sys.streams shows UPDATING).
    public var isResharding: Bool { gate.isClosed }

    func logDirectory(_ index: Int) -> String { directory + "/" + ShardID.name(index) }

    /// Open (or create) the shards' logs, running recovery. A closed shard whose
    /// directory does not exist never held a row (it was made and closed by one
    /// reshard) and gets no log.
    public static func open(definition: Definition, options: LogOptions, clock: any Clock) throws -> (StreamStore, [RecoveryReport]) {
        var logs: [ShardLog?] = []
        var reports: [RecoveryReport] = []
        let timestamps = MonotonicTimestamps(clock: clock)
        do {
            for s in definition.shards {
                let dir = definition.directory + "/" + ShardID.name(s.index)
                if !s.open && !FileManager.default.fileExists(atPath: dir) {
                    logs.append(nil)
                    continue
                }
                let (log, report) = try ShardLog.open(directory: dir, options: options)
                logs.append(log)
                reports.append(report)
                if let t = log.stats.lastRowtime { timestamps.observe(t) }
            }
        } catch {
            for l in logs { try? l?.close() }
            throw StreamStore.map(error)
        }
        let store = StreamStore(definition: definition, map: ShardMap(shards: definition.shards, logs: logs),
                                logOptions: options, clock: clock, timestamps: timestamps)
        return (store, reports)
    }

    public func close() {
        for l in map.logs { try? l?.close() }
    }

    public func destroy() throws {
        for l in map.logs { try l?.destroy() }
        _ = try? FileManager.default.removeItem(atPath: directory)
    }

    /// Delete whole segments older than `cutoff` in every shard (open or closed).
    public func applyRetention(olderThan cutoff: Int64) throws {
        for l in map.logs { _ = try l?.deleteSegments(olderThan: cutoff) }
    }

    /// Each shard with what its log retains (nil for a shard that never had a log).
    public func shardStats() -> [(shard: Shard, stats: LogStats?)] {
        let m = map
        return zip(m.shards, m.logs).map { ($0, $1?.stats) }
    }

    static func map(_ error: Error) -> Error {
        if let e = error as? StorageError {
            return FreshetError(e.kind == .corrupt ? .dataCorrupted : .ioError, e.description)
        }
        return error
    }

    /// The record size Kinesis counts (partition key + explicit hash key + data) of
    /// `inputs`: its framed bytes less the 32-byte frame overhead of each record.
    static func recordBytes(_ inputs: RecordInputs) -> Int { inputs.byteCount - 32 * inputs.count }

    func tooLarge(_ bytes: Int, row: Int?, limit: Int) -> FreshetError {
        FreshetError(.programLimitExceeded,
                     "\(row.map { "row \($0)" } ?? "a row") is \(bytes) bytes, over the max_record_size of stream \"\(name)\" (\(limit) bytes); no row of this statement was stored",
                     hint: "A record is the partition key plus the encoded row. Raise the limit with ALTER STREAM \(name) SET (max_record_size = …) (at most 1 MiB).")
    }

    /// Route and encode rows; nothing is written yet. Errors here (a NULL
    /// partition key, a record too large) leave nothing behind. `producer` tags every
    /// record (a pump's output batch, see ProducerTag).
    public func prepare(rows: [Row], producer: ProducerTag? = nil) throws -> PendingWrite {
        let m = map
        let limit = options.maxRecordBytes
        var parts = [RecordInputs](repeating: RecordInputs(), count: m.shards.count)
        var rowShard = [Int32](repeating: 0, count: rows.count)
        var rowIndex = [Int32](repeating: 0, count: rows.count)
        var keys: [String] = []
        keys.reserveCapacity(rows.count)
        var rng = PartitionKeyRandom()   // seeded once per call: no syscall per row
        for (n, row) in rows.enumerated() {
            var key: String
            if let pk = partitionKeyColumn {
                let v = row[pk]
                if v.isNull {
                    throw FreshetError(.notNullViolation, "partition key column \"\(schema.columns[pk].name)\" is NULL in row \(n + 1)",
                                       detail: "Every row needs a partition key to pick its shard. No row of this statement was stored.")
                }
                key = v.pgText(as: schema.columns[pk].type)
            } else {
                key = String(rng.next() as UInt64, radix: 16)
            }
            try key.withUTF8 { pk in
                let raw = UnsafeRawBufferPointer(pk)
                let pos = m.position(for: PartitionHash.hashKey(raw))
                rowShard[n] = Int32(pos)
                rowIndex[n] = Int32(parts[pos].count)
                let before = parts[pos].byteCount
                do {
                    try parts[pos].append(partitionKey: raw, explicitHashKey: nil, producer: producer) { buffer in
                        RowCodec.encode(row, schema: schema, into: &buffer)
                    }
                } catch {
                    throw FreshetError(.programLimitExceeded, "row \(n + 1) is too large to store: \(error)")
                }
                let size = parts[pos].byteCount - before - 32
                if size > limit { throw tooLarge(size, row: n + 1, limit: limit) }
            }
            keys.append(key)
        }
        return PendingWrite(store: self, map: m, parts: parts, rowShard: rowShard, rowIndex: rowIndex, partitionKeys: keys)
    }
}
