import FreshetCore
import FreshetSQL

/// What the binder needs to know about a relation (stream, table, system table).
/// The Engine implements `CatalogReader`; the planner never imports the Engine.
public struct RelationDescriptor: Sendable {
    public enum Kind: Sendable { case stream, table, systemTable }
    public var oid: UInt32
    public var schemaName: String
    public var name: String
    public var kind: Kind
    /// User columns, then system columns (ROWTIME, _shard_id, …) for streams.
    public var columns: [Column]
    /// How many of `columns` are user columns (the rest are system columns, hidden from `*`).
    public var userColumnCount: Int
    /// A stream's event-time watermark (WATERMARK FOR … in CREATE STREAM), if it has one.
    public var watermark: EventTimeWatermark?
    /// The alias the query gave it (`FROM companies AS c`), for EXPLAIN; nil when none.
    public var alias: String?
    public init(oid: UInt32, schemaName: String, name: String, kind: Kind, columns: [Column], userColumnCount: Int,
                watermark: EventTimeWatermark? = nil) {
        self.watermark = watermark
        self.oid = oid
        self.schemaName = schemaName
        self.name = name
        self.kind = kind
        self.columns = columns
        self.userColumnCount = userColumnCount
    }
}

public protocol CatalogReader {
    /// Look a relation up by its (possibly schema-qualified) name parts, already case-folded.
    func relation(named parts: [String]) -> RelationDescriptor?
    /// Names of all relations, for "did you mean" suggestions.
    func relationNames() -> [String]
    /// A user function by its case-folded name (default: none).
    func function(named name: String) -> FunctionDescriptor?
}

/// A SQL-bodied user function (`CREATE FUNCTION … RETURN expr`): inlined at
/// every call by the binder, so it costs nothing at run time.
public struct FunctionDescriptor: Sendable {
    public var name: String
    public var parameters: [Column]
    public var returnType: DataType
    /// The RETURN expression as parsed; parameters are referenced by name or `$n`.
    public var body: FreshetSQL.Expression
    public init(name: String, parameters: [Column], returnType: DataType, body: FreshetSQL.Expression) {
        self.name = name
        self.parameters = parameters
        self.returnType = returnType
        self.body = body
    }
}

extension CatalogReader {
    /// User functions are optional for a catalog: none unless it says otherwise.
    public func function(named name: String) -> FunctionDescriptor? { nil }
}
