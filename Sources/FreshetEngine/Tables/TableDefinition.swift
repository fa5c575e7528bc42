import FreshetCore
import FreshetPlanner

/// A reference table as the catalog keeps it (`CREATE TABLE companies (…)`):
/// its columns, its primary key and the change log holding its rows.
struct TableDefinition: Codable {
    var oid: UInt32
    var name: String
    var columns: [StreamDefinition.ColumnDefinition]
    /// Names of the primary-key columns, in key order; empty: no key.
    var primaryKey: [String]
    var createdMicros: Int64
    /// The change log, relative to the data directory.
    var logFile: String

    var schema: Schema {
        Schema(columns.map { Column(name: $0.name, type: $0.type.type, nullable: !$0.notNull) })
    }

    /// Positions of the key columns in a row.
    var keyColumns: [Int] { primaryKey.compactMap { k in columns.firstIndex { $0.name == k } } }

    var descriptor: RelationDescriptor {
        let cols = schema.columns
        return RelationDescriptor(oid: oid, schemaName: "public", name: name, kind: .table, columns: cols, userColumnCount: cols.count)
    }
}
