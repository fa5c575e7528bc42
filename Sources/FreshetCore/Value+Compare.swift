// Ordering of values for ORDER BY, MIN/MAX, GROUP BY and comparisons, as
// PostgreSQL orders them: numbers by value across integer, double and decimal
// (NaN above every number and equal to itself), strings by their UTF-8 bytes
// (the C collation), bytea bytewise, dates and timestamps on one time line,
// intervals by PostgreSQL's linear key (a month is 30 days).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Value {
    /// Total order for sorting: values of comparable kinds by value; NULL sorts
    /// after everything (PostgreSQL's default for ASC). Ints, doubles and decimals
    /// compare numerically with each other. Values of kinds that never meet in
    /// SQL (a string and a number) are ordered by kind so that the order stays total.
    public static func sortCompare(_ a: Value, _ b: Value) -> Int {
        if a.isNull { return b.isNull ? 0 : 1 }
        if b.isNull { return -1 }
        return compareNonNull(a, b)
    }

    /// Three-valued comparison: nil when either side is NULL, else −1, 0 or 1.
    public static func sqlCompare(_ a: Value, _ b: Value) -> Int? {
        if a.isNull || b.isNull { return nil }
        return compareNonNull(a, b)
    }

    /// Three-valued equality: nil when either side is NULL.
    public static func sqlEquals(_ a: Value, _ b: Value) -> Bool? {
        if a.isNull || b.isNull { return nil }
        return compareNonNull(a, b) == 0
    }

    /// Kind ranks, used only between kinds that have no common order.
    private var kindRank: Int {
        switch self {
        case .bool: return 1
        case .int, .double, .decimal: return 2
        case .string: return 3
        case .bytes: return 4
        case .date, .timestamp: return 5
        case .time: return 6
        case .interval: return 7
        case .null: return 8
        }
    }

    @inline(__always)
    static func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    static func compareNonNull(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case let (.int(x), .int(y)): return sign(x, y)
        case let (.double(x), .double(y)): return compareDoubles(x, y)
        case let (.decimal(x), .decimal(y)): return x.compare(y)
        case let (.int(x), .double(y)): return compareIntDouble(x, y)
        case let (.double(x), .int(y)): return -compareIntDouble(y, x)
        case let (.int(x), .decimal(y)): return Decimal(x).compare(y)
        case let (.decimal(x), .int(y)): return x.compare(Decimal(y))
        case let (.double(x), .decimal(y)): return compareDoubles(x, y.doubleValue)
        case let (.decimal(x), .double(y)): return compareDoubles(x.doubleValue, y)
        case let (.string(x), .string(y)): return compareUTF8(x, y)
        case let (.bytes(x), .bytes(y)): return compareBytes(x, y)
        case let (.bool(x), .bool(y)): return x == y ? 0 : (x ? 1 : -1)
        case let (.timestamp(x), .timestamp(y)): return sign(x, y)
        case let (.date(x), .date(y)): return sign(x, y)
        case let (.date(x), .timestamp(y)): return sign(timestamp(ofDate: x), y)
        case let (.timestamp(x), .date(y)): return sign(x, timestamp(ofDate: y))
        case let (.time(x), .time(y)): return sign(x, y)
        case let (.interval(x), .interval(y)): return sign(x.comparisonKey, y.comparisonKey)
        default: return sign(a.kindRank, b.kindRank)
        }
    }

    /// Midnight of a date as a timestamp, infinities preserved; saturates beyond range.
    static func timestamp(ofDate d: Int32) -> Int64 {
        if d == Int32.max { return Timestamp.infinity }
        if d == Int32.min { return Timestamp.negativeInfinity }
        return Int64(d) * Calendar.microsecondsPerDay
    }

    /// PostgreSQL's float order: NaN equals NaN and is above every other value.
    static func compareDoubles(_ x: Double, _ y: Double) -> Int {
        if x.isNaN { return y.isNaN ? 0 : 1 }
        if y.isNaN { return -1 }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    /// Exact comparison of an integer with a double (no rounding of the integer).
    static func compareIntDouble(_ i: Int64, _ d: Double) -> Int {
        if d.isNaN { return -1 }
        if d >= 9.223372036854775808e18 { return -1 }
        if d < -9.223372036854775808e18 { return 1 }
        let t = d.rounded(.down)
        let ti = Int64(t)
        if i != ti { return i < ti ? -1 : 1 }
        return d > t ? -1 : 0
    }

    static func compareUTF8(_ x: String, _ y: String) -> Int {
        if let r = x.utf8.withContiguousStorageIfAvailable({ xb in
            y.utf8.withContiguousStorageIfAvailable({ yb in compareRaw(UnsafeRawBufferPointer(xb), UnsafeRawBufferPointer(yb)) })
        }), let r { return r }
        return Array(x.utf8).withUnsafeBytes { xb in Array(y.utf8).withUnsafeBytes { yb in compareRaw(xb, yb) } }
    }

    static func compareBytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
        x.withUnsafeBytes { xb in y.withUnsafeBytes { yb in compareRaw(xb, yb) } }
    }

    /// memcmp order, the shorter first on a common prefix.
    @inline(__always)
    static func compareRaw(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let n = min(x.count, y.count)
        if n > 0 {
            let c = memcmp(x.baseAddress!, y.baseAddress!, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return sign(x.count, y.count)
    }
}
