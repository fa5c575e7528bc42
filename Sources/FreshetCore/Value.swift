/// One SQL value in its typed, compact form. Integers of every width are
/// carried as Int64 and REAL/DOUBLE as Double; the column's DataType says
/// which width applies. Timestamps are microseconds since 1970-01-01 00:00:00
/// (no time zone), dates days since 1970-01-01, times microseconds since
/// midnight.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case decimal(Decimal)
    case string(String)
    case bytes([UInt8])
    case timestamp(Int64)
    case date(Int32)
    case time(Int64)
    case interval(Interval)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A row of values, positionally matching a Schema.
public typealias Row = [Value]

/// A SQL INTERVAL as PostgreSQL keeps it: months, days and microseconds are
/// separate, because a month has no fixed length.
public struct Interval: Hashable, Sendable {
    public var months: Int32
    public var days: Int32
    public var microseconds: Int64
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }
}
