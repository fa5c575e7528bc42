import FreshetCore

/// Timestamp and interval arithmetic, through FreshetCore's calendar
/// (months first, then days, then microseconds, clamping the day of month
/// as PostgreSQL does).
enum TimeArithmetic {
    static func add(_ t: Int64, _ i: Interval) throws -> Int64 {
        try Timestamp.adding(i, to: t)
    }

    /// x − y as PostgreSQL gives it.
    static func difference(_ x: Int64, _ y: Int64) throws -> Interval {
        try Timestamp.difference(x, y)
    }
}
