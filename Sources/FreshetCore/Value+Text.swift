// PostgreSQL text format for values: output (what psql shows, COPY TO
// writes) and input (literals, parameters in text format, COPY FROM).
// STUB SIGNATURES: bodies to be completed (see the Core values task).

extension Value {
    /// The PostgreSQL text output of this value for a column of `type`
    /// (e.g. `t`/`f` for booleans, `2026-01-01 12:00:00.5` for timestamps,
    /// `\x3f` for bytea, `1 day 02:00:00` for intervals). Never called on NULL.
    public func pgText(as type: DataType) -> String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "t" : "f"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        default: return "\(self)"
        }
    }

    /// Append the text output as UTF-8 to `buffer` (the hot path of results and COPY TO).
    public func appendPGText(as type: DataType, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: pgText(as: type).utf8)
    }

    /// Parse PostgreSQL text input for `type`. Throws FreshetError with 22P02
    /// (invalid text), 22003 (out of range), 22001 (too long for VARCHAR(n)/CHAR(n)),
    /// 22007/22008 (bad date/time).
    public static func parse(pgText text: Substring, as type: DataType) throws -> Value {
        switch type {
        case .varchar, .char: return .string(String(text))
        case .bigint, .integer, .smallint, .tinyint:
            guard let i = Int64(text) else {
                throw FreshetError(.invalidTextRepresentation, "invalid input syntax for type \(type.sqlName): \"\(text)\"")
            }
            return .int(i)
        case .double, .real:
            guard let d = Double(text) else {
                throw FreshetError(.invalidTextRepresentation, "invalid input syntax for type \(type.sqlName): \"\(text)\"")
            }
            return .double(d)
        default:
            throw FreshetError(.featureNotSupported, "text input for \(type.sqlName) is not implemented")
        }
    }
}
