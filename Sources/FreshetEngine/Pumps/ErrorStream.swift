import FreshetCore
import FreshetStorage
import FreshetStreams

/// `error_stream`: the system stream every database has (Kinesis Data Analytics'
/// error stream), created at first start and never dropped. Rows a pump cannot
/// process (a cast that fails, division by zero, a NULL into a NOT NULL column) land
/// here and the pump goes on; other producers report through `Engine.reportError`.
/// Readable with SELECT and SELECT STREAM like any stream.
public enum ErrorStream {
    public static let name = "error_stream"

    static let columns: [StreamDefinition.ColumnDefinition] = [
        .init(name: "error_time", type: StoredType(.timestamp), notNull: false),
        .init(name: "error_level", type: StoredType(.text), notNull: false),
        .init(name: "error_name", type: StoredType(.text), notNull: false),
        .init(name: "message", type: StoredType(.text), notNull: false),
        .init(name: "data_rowtime", type: StoredType(.timestamp), notNull: false),
        .init(name: "data_row", type: StoredType(.text), notNull: false),
        .init(name: "pump_name", type: StoredType(.text), notNull: false),
    ]

    /// One error row, as the stream stores it.
    public struct Entry: Sendable, Hashable {
        public var time: Int64
        public var level: String
        /// The SQLSTATE and its condition, e.g. "22012 division_by_zero".
        public var name: String
        public var message: String
        public var dataRowtime: Int64?
        /// The offending row, hex-encoded (its text form, UTF-8), or nil.
        public var dataRow: String?
        public var pumpName: String?
        public init(time: Int64, level: String = "ERROR", name: String, message: String, dataRowtime: Int64?, dataRow: String?, pumpName: String?) {
            self.time = time
            self.level = level
            self.name = name
            self.message = message
            self.dataRowtime = dataRowtime
            self.dataRow = dataRow
            self.pumpName = pumpName
        }

        var row: Row {
            [.timestamp(time), .string(level), .string(name), .string(message),
             dataRowtime.map { .timestamp($0) } ?? .null, dataRow.map { .string($0) } ?? .null, pumpName.map { .string($0) } ?? .null]
        }
    }

    /// An error entry for a row a pump could not process.
    static func entry(for error: Error, row: Row, types: [DataType], rowtime: Int64?, time: Int64, pump: String) -> Entry {
        let e = error as? FreshetError ?? FreshetError(.internalError, "\(error)")
        return Entry(time: time, name: e.state.code, message: e.message, dataRowtime: rowtime,
                     dataRow: hex(row: row, types: types), pumpName: pump)
    }

    /// The most bytes of row text DATA_ROW keeps (hex doubles it; error_stream's records stay under 1 MiB).
    static let maxDataRowBytes = 128 << 10

    /// The row's text form `(v1,v2,…)` (PostgreSQL's record output; NULL is empty), cut
    /// at `maxDataRowBytes`, hex-encoded.
    static func hex(row: Row, types: [DataType]) -> String {
        var text: [UInt8] = [UInt8(ascii: "(")]
        for (i, v) in row.enumerated() {
            if i > 0 { text.append(UInt8(ascii: ",")) }
            if !v.isNull { text.append(contentsOf: v.pgText(as: i < types.count ? types[i] : .text).utf8) }
        }
        text.append(UInt8(ascii: ")"))
        if text.count > maxDataRowBytes { text.removeSubrange(maxDataRowBytes...) }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 2)
        for b in text {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Engine {
    /// The error_stream's oid (it exists from the first start on).
    var errorStreamOID: UInt32? {
        catalogLock.withLock { catalog.streams.first { $0.name == ErrorStream.name }?.oid }
    }

    /// Create error_stream if this data directory has none (first start).
    func ensureErrorStream() throws {
        try catalogLock.withLock {
            guard !catalog.streams.contains(where: { $0.name == ErrorStream.name }) else { return }
            let now = configuration.clock.nowMicros()
            try addStreamLocked { oid in
                StreamDefinition(
                    oid: oid, name: ErrorStream.name, columns: ErrorStream.columns,
                    shards: [.init(index: 0, range: HashKeyRange.even(count: 1)[0], parent: nil, adjacentParent: nil, open: true, closedMicros: nil)],
                    partitionKey: nil, retentionHours: 24, capacityMode: .onDemand, maxRecordBytes: nil, createdMicros: now,
                    description: "Rows that pumps could not process, and other errors (Kinesis Data Analytics' error stream)",
                    directory: "streams/\(oid)")
            }
        }
    }

    /// Append error rows to error_stream durably, in one commit (callers batch them:
    /// late rows behind a watermark, the HTTP API). Returns when the rows are durable.
    public func reportError(_ entries: [ErrorStream.Entry]) async throws {
        if entries.isEmpty { return }
        guard let oid = errorStreamOID else { throw FreshetError(.undefinedTable, "error_stream does not exist") }
        let write = try store(for: oid).prepare(rows: entries.map(\.row))
        _ = try await commit([write])
    }
}
