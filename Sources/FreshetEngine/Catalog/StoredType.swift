import FreshetCore

/// DataType as it is written in the catalog file: a short stable string
/// (`varchar:64`, `decimal:10:2`, `timestamp`).
struct StoredType: Codable, Hashable {
    let type: DataType

    init(_ type: DataType) { self.type = type }

    var code: String {
        switch type {
        case .boolean: return "boolean"
        case .tinyint: return "tinyint"
        case .smallint: return "smallint"
        case .integer: return "integer"
        case .bigint: return "bigint"
        case .real: return "real"
        case .double: return "double"
        case let .decimal(p, s): return "decimal:\(p.map(String.init) ?? ""):\(s.map(String.init) ?? "")"
        case let .char(n): return "char:\(n)"
        case let .varchar(n): return "varchar:\(n.map(String.init) ?? "")"
        case .bytea: return "bytea"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .interval: return "interval"
        case .unknown: return "unknown"
        }
    }

    static func decode(_ code: String) -> DataType? {
        let parts = code.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "boolean": return .boolean
        case "tinyint": return .tinyint
        case "smallint": return .smallint
        case "integer": return .integer
        case "bigint": return .bigint
        case "real": return .real
        case "double": return .double
        case "decimal" where parts.count == 3: return .decimal(precision: Int(parts[1]), scale: Int(parts[2]))
        case "char" where parts.count == 2: return Int(parts[1]).map { .char($0) }
        case "varchar" where parts.count == 2: return .varchar(Int(parts[1]))
        case "bytea": return .bytea
        case "date": return .date
        case "time": return .time
        case "timestamp": return .timestamp
        case "interval": return .interval
        default: return nil
        }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = StoredType.decode(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown type code \(s)")
        }
        type = t
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(code)
    }
}
