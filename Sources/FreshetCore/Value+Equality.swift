/// `Value` equality and hashing for grouping (GROUP BY, DISTINCT, hash joins),
/// with PostgreSQL's semantics within each kind: NaN equals NaN, decimals and
/// intervals compare by value (`1.50` = `1.5`, `1 day` = `24 hours`) and hash
/// alike. Values of different kinds are never equal here (`.int(1)` and
/// `.double(1)`); the planner coerces both sides to one type first. For SQL
/// `=` across kinds use `Value.sqlEquals`.
extension Value {
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.decimal(x), .decimal(y)): return x == y
        case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.bytes(x), .bytes(y)): return x == y
        case let (.timestamp(x), .timestamp(y)): return x == y
        case let (.date(x), .date(y)): return x == y
        case let (.time(x), .time(y)): return x == y
        case let (.interval(x), .interval(y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let b): hasher.combine(1 as UInt8); hasher.combine(b)
        case .int(let i): hasher.combine(2 as UInt8); hasher.combine(i)
        case .double(let d):
            hasher.combine(3 as UInt8)
            if d.isNaN { hasher.combine(UInt64.max) } else { hasher.combine(d) }
        case .decimal(let d): hasher.combine(4 as UInt8); hasher.combine(d)
        case .string(let s):
            hasher.combine(5 as UInt8)
            // Bytes, not Unicode-canonical characters: equality above is bytewise too.
            if s.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                let copy = Array(s.utf8)
                copy.withUnsafeBytes { hasher.combine(bytes: $0) }
            }
            hasher.combine(s.utf8.count)
        case .bytes(let b): hasher.combine(6 as UInt8); hasher.combine(b)
        case .timestamp(let t): hasher.combine(7 as UInt8); hasher.combine(t)
        case .date(let d): hasher.combine(8 as UInt8); hasher.combine(d)
        case .time(let t): hasher.combine(9 as UInt8); hasher.combine(t)
        case .interval(let iv): hasher.combine(10 as UInt8); hasher.combine(iv)
        }
    }
}
