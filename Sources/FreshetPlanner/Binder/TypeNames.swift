import FreshetCore
import FreshetSQL

/// Maps a type as written (DataTypeName) to a DataType, accepting the
/// spellings SQL.md, Kinesis Data Analytics and PostgreSQL use.
public enum DataTypeResolver {
    public static func resolve(_ t: DataTypeName) throws -> DataType { try TypeNames.resolve(t) }
}

enum TypeNames {
    static func resolve(_ t: DataTypeName) throws -> DataType {
        let name = t.name.uppercased()
        let args = t.arguments
        func noArgs(_ d: DataType) throws -> DataType {
            guard args.isEmpty else {
                throw PlanError.error(.syntaxError, "type \(t.name.lowercased()) does not take a length or precision", t.span)
            }
            return d
        }
        switch name {
        case "BOOLEAN", "BOOL": return try noArgs(.boolean)
        case "TINYINT", "INT1": return try noArgs(.tinyint)
        case "SMALLINT", "INT2": return try noArgs(.smallint)
        case "INTEGER", "INT", "INT4": return try noArgs(.integer)
        case "BIGINT", "INT8": return try noArgs(.bigint)
        case "REAL", "FLOAT4": return try noArgs(.real)
        case "DOUBLE", "DOUBLE PRECISION", "FLOAT8": return try noArgs(.double)
        case "FLOAT":
            if let p = args.first, p <= 24 { return .real }
            return .double
        case "DECIMAL", "NUMERIC", "DEC":
            if args.isEmpty { return .decimal(precision: nil, scale: nil) }
            let p = args[0]
            let s = args.count > 1 ? args[1] : 0
            guard (1...38).contains(p) else {
                throw PlanError.error(.invalidParameterValue, "NUMERIC precision \(p) must be between 1 and 38", t.span)
            }
            guard (0...p).contains(s) else {
                throw PlanError.error(.invalidParameterValue, "NUMERIC scale \(s) must be between 0 and precision \(p)", t.span)
            }
            return .decimal(precision: p, scale: s)
        case "CHAR", "CHARACTER", "BPCHAR":
            let n = args.first ?? 1
            guard n >= 1 && n <= 10_485_760 else {
                throw PlanError.error(.invalidParameterValue, "length for type char must be between 1 and 10485760", t.span)
            }
            return .char(n)
        case "VARCHAR", "CHARACTER VARYING", "CHAR VARYING", "STRING":
            guard let n = args.first else { return .varchar(nil) }
            guard n >= 1 && n <= 10_485_760 else {
                throw PlanError.error(.invalidParameterValue, "length for type varchar must be between 1 and 10485760", t.span)
            }
            return .varchar(n)
        case "TEXT", "NAME": return try noArgs(.varchar(nil))
        case "BYTEA", "VARBINARY", "BINARY", "BLOB": return .bytea
        case "DATE": return try noArgs(.date)
        case "TIME", "TIME WITHOUT TIME ZONE": return .time
        case "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE": return .timestamp
        case "INTERVAL": return .interval
        default:
            throw PlanError.error(.undefinedObject, "type \"\(t.name.lowercased())\" does not exist", t.span)
        }
    }
}
