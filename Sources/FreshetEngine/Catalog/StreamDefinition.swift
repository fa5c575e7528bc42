import FreshetCore
import FreshetStreams

/// A stream as the catalog keeps it: schema, options and shards.
struct StreamDefinition: Codable {
    struct ColumnDefinition: Codable {
        var name: String
        var type: StoredType
        var notNull: Bool
    }
    struct ShardDefinition: Codable {
        var index: Int
        var range: HashKeyRange
        var parent: Int?
        var adjacentParent: Int?
        var open: Bool
        /// When a reshard closed the shard (microseconds since the epoch); nil while open,
        /// and for shards closed before this was recorded. Retention removes a closed shard
        /// once this is older than the stream's retention (Engine+Retention.swift).
        var closedMicros: Int64?
        var id: String { ShardID.name(index) }
    }
    typealias CapacityMode = FreshetStreams.CapacityMode

    var oid: UInt32
    var name: String
    var columns: [ColumnDefinition]
    var shards: [ShardDefinition]
    /// Column whose text is hashed to pick the shard; nil → a random key per row.
    var partitionKey: String?
    var retentionHours: Int
    var capacityMode: CapacityMode
    /// `max_record_size` in bytes; nil (catalogs written before it existed): the 1 MiB default.
    var maxRecordBytes: Int?
    var createdMicros: Int64
    var description: String?
    /// Directory (relative to the data directory) holding this stream's shard logs.
    var directory: String
    /// `WATERMARK FOR column AS column - INTERVAL …`: the event-time column and how far
    /// the watermark lags the largest value seen. Nil (also in catalogs written before
    /// watermarks existed): the stream has no event time.
    var watermark: WatermarkDefinition? = nil

    struct WatermarkDefinition: Codable, Equatable {
        var column: String
        var delayMicros: Int64
    }

    var userSchema: Schema {
        Schema(columns.map { Column(name: $0.name, type: $0.type.type, nullable: !$0.notNull) })
    }

    var openShards: [ShardDefinition] { shards.filter(\.open) }

    /// The system columns every stream row has, after the user columns.
    static let systemColumns: [Column] = [
        Column(name: "rowtime", type: .timestamp, nullable: false),
        Column(name: "_shard_id", type: .text, nullable: false),
        Column(name: "_sequence_number", type: .text, nullable: false),
        Column(name: "_partition_key", type: .text, nullable: false),
        Column(name: "_explicit_hash_key", type: .text, nullable: true),
    ]
}

/// The whole catalog file.
struct CatalogFile: Codable {
    var version: Int = 1
    var nextOID: UInt32 = 16_384
    var streams: [StreamDefinition] = []
    /// SQL functions (absent from catalogs written before CREATE FUNCTION existed).
    var functions: [FunctionDefinition]?
    /// Pumps (absent in catalogs written before pumps existed).
    var pumpList: [PumpDefinition]? = nil
    /// Reference tables (nil in catalogs written before tables existed).
    var tables: [TableDefinition]?

    enum CodingKeys: String, CodingKey { case version, nextOID, streams, functions, tables, pumpList = "pumps" }

    var pumps: [PumpDefinition] {
        get { pumpList ?? [] }
        set { pumpList = newValue }
    }
}

extension StreamDefinition.ShardDefinition {
    init(_ s: StreamStore.Shard, closedMicros: Int64? = nil) {
        self.init(index: s.index, range: s.range, parent: s.parent, adjacentParent: s.adjacentParent, open: s.open,
                  closedMicros: s.open ? nil : closedMicros)
    }
    var storeShard: StreamStore.Shard {
        StreamStore.Shard(index: index, range: range, parent: parent, adjacentParent: adjacentParent, open: open)
    }
}
