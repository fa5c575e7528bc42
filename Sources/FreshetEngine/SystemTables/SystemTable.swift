import FreshetCore
import FreshetPlanner
import FreshetStreams

/// A read-only table in schema `sys` whose rows the Engine computes when it is read
/// (live values from the catalog, the shard logs and the metrics). The binder sees
/// it as a relation of kind `.systemTable`, so every bounded SELECT feature (WHERE,
/// ORDER BY, GROUP BY, LIMIT, COPY … TO STDOUT) works on it; INSERT and COPY FROM
/// are refused by the binder. One file per table: `Sys*.swift`.
struct SystemTable: Sendable {
    let name: String
    let oid: UInt32
    let columns: [Column]
    let rows: @Sendable (Engine) -> [Row]

    static let all: [SystemTable] = [.streams, .shards, .streamMetrics]

    static func named(_ name: String) -> SystemTable? { all.first { $0.name == name } }
    static func byOID(_ oid: UInt32) -> SystemTable? { all.first { $0.oid == oid } }

    var descriptor: RelationDescriptor {
        RelationDescriptor(oid: oid, schemaName: "sys", name: name, kind: .systemTable, columns: columns, userColumnCount: columns.count)
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
