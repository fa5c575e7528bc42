/// The SQL types of Freshet (SQL.md), with their PostgreSQL wire identities.
public enum DataType: Hashable, Sendable {
    case boolean
    case tinyint           // 1 byte on disk, int2 on the wire
    case smallint
    case integer
    case bigint
    case real
    case double
    /// DECIMAL(p, s); precision nil means unconstrained NUMERIC.
    case decimal(precision: Int?, scale: Int?)
    case char(Int)
    /// VARCHAR(n); nil means unbounded (TEXT).
    case varchar(Int?)
    case bytea
    case date
    case time
    case timestamp
    case interval
    /// The type of a NULL literal before coercion, or an unknown parameter.
    case unknown

    public static let text = DataType.varchar(nil)

    public var isInteger: Bool {
        switch self {
        case .tinyint, .smallint, .integer, .bigint: return true
        default: return false
        }
    }
    public var isNumeric: Bool {
        switch self {
        case .tinyint, .smallint, .integer, .bigint, .real, .double, .decimal: return true
        default: return false
        }
    }
    public var isString: Bool {
        switch self {
        case .char, .varchar: return true
        default: return false
        }
    }

    /// SQL spelling, as `\d` and error messages show it (PostgreSQL's format_type names).
    public var sqlName: String {
        switch self {
        case .boolean: return "boolean"
        case .tinyint: return "tinyint"
        case .smallint: return "smallint"
        case .integer: return "integer"
        case .bigint: return "bigint"
        case .real: return "real"
        case .double: return "double precision"
        case let .decimal(p, s):
            if let p { return s.map { "numeric(\(p),\($0))" } ?? "numeric(\(p))" }
            return "numeric"
        case let .char(n): return "character(\(n))"
        case let .varchar(n): return n.map { "character varying(\($0))" } ?? "text"
        case .bytea: return "bytea"
        case .date: return "date"
        case .time: return "time without time zone"
        case .timestamp: return "timestamp without time zone"
        case .interval: return "interval"
        case .unknown: return "unknown"
        }
    }

    /// PostgreSQL type OID used on the wire and in pg_catalog.
    public var pgOID: UInt32 {
        switch self {
        case .boolean: return 16
        case .tinyint, .smallint: return 21
        case .integer: return 23
        case .bigint: return 20
        case .real: return 700
        case .double: return 701
        case .decimal: return 1700
        case .char: return 1042
        case .varchar(let n): return n == nil ? 25 : 1043
        case .bytea: return 17
        case .date: return 1082
        case .time: return 1083
        case .timestamp: return 1114
        case .interval: return 1186
        case .unknown: return 705
        }
    }

    /// pg_type.typlen: fixed size in bytes, or -1 for variable length.
    public var pgTypeLength: Int16 {
        switch self {
        case .boolean: return 1
        case .tinyint, .smallint: return 2
        case .integer, .real, .date: return 4
        case .bigint, .double, .time, .timestamp: return 8
        case .interval: return 16
        case .decimal, .char, .varchar, .bytea, .unknown: return -1
        }
    }

    /// pg_attribute.atttypmod as PostgreSQL computes it (-1 when none).
    public var pgTypeModifier: Int32 {
        switch self {
        case let .decimal(p?, s): return Int32(((p << 16) | (s ?? 0)) + 4)
        case let .char(n): return Int32(n + 4)
        case let .varchar(n?): return Int32(n + 4)
        default: return -1
        }
    }

    /// The type for a PostgreSQL OID, as clients name parameter types in Parse.
    public init?(pgOID: UInt32) {
        switch pgOID {
        case 16: self = .boolean
        case 21: self = .smallint
        case 23: self = .integer
        case 20: self = .bigint
        case 700: self = .real
        case 701: self = .double
        case 1700: self = .decimal(precision: nil, scale: nil)
        case 1042: self = .char(1)
        case 1043, 25, 19: self = .varchar(nil)
        case 17: self = .bytea
        case 1082: self = .date
        case 1083: self = .time
        case 1114, 1184: self = .timestamp
        case 1186: self = .interval
        case 0, 705: self = .unknown
        default: return nil
        }
    }
}
