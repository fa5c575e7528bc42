import FreshetCore
import FreshetPlanner
import FreshetStreams

/// A read-only table in schema `sys` whose rows the Engine computes when it is read
/// (live values from the catalog, the shard logs and the metrics). The binder sees
/// it as a relation of kind `.systemTable`, so every bounded SELECT feature (WHERE,
/// ORDER BY, GROUP BY, LIMIT, COPY … TO STDOUT) works on it; INSERT and COPY FROM
/// are refused by the binder. One file per table: `Sys*.swift`.
///
/// Like a stream, a system table has hidden system columns after its own: `ROWTIME`
/// and `_change`. `SELECT STREAM` over it is a change feed (`SystemTableTail`): each
/// row is emitted once per change, with ROWTIME the time of the change and `_change`
/// 'insert', 'update' or 'delete'. A bounded SELECT (and the rows a feed started AT
/// TRIM_HORIZON begins with) shows the rows as they are now, with ROWTIME the time of
/// the read and `_change` 'snapshot'.
struct SystemTable: Sendable {
    let name: String
    let oid: UInt32
    let columns: [Column]
    let rows: @Sendable (Engine) -> [Row]

    static let all: [SystemTable] = [.streams, .shards, .streamMetrics, .pumps]

    static func named(_ name: String) -> SystemTable? { all.first { $0.name == name } }
    static func byOID(_ oid: UInt32) -> SystemTable? { all.first { $0.oid == oid } }

    /// The hidden columns after a system table's own (see the type's comment).
    static let systemColumns: [Column] = [
        Column(name: "rowtime", type: .timestamp, nullable: false),
        Column(name: "_change", type: .text, nullable: false),
    ]

    var descriptor: RelationDescriptor {
        RelationDescriptor(oid: oid, schemaName: "sys", name: name, kind: .systemTable,
                           columns: columns + SystemTable.systemColumns, userColumnCount: columns.count)
    }

    /// The rows as they are now, with their hidden columns (ROWTIME = `now`, 'snapshot').
    func snapshot(_ engine: Engine, now: Int64) -> [Row] {
        rows(engine).map { $0 + [.timestamp(now), .string("snapshot")] }
    }
}

extension Engine {
    /// Every stream's catalog entry with its open store, in name order.
    func streamsWithStores() -> [(definition: StreamDefinition, store: StreamStore?)] {
        catalogLock.withLock { catalog.streams.map { ($0, stores[$0.oid]) } }.sorted { $0.definition.name < $1.definition.name }
    }
}

extension Row {
    /// A nullable text value.
    static func text(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
}
