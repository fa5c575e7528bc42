import FreshetCore

/// Timestamp and interval arithmetic.
enum TimeArithmetic {
    static let microsPerDay: Int64 = 86_400_000_000

    static func add(_ t: Int64, _ i: Interval) throws -> Int64 {
        if i.months != 0 {
            throw FreshetError(.featureNotSupported, "adding month intervals is not supported yet")
        }
        let (a, o1) = t.addingReportingOverflow(Int64(i.days) * microsPerDay)
        let (b, o2) = a.addingReportingOverflow(i.microseconds)
        if o1 || o2 { throw FreshetError(.datetimeFieldOverflow, "timestamp out of range") }
        return b
    }

    /// x − y as PostgreSQL gives it: whole days and the remaining time.
    static func difference(_ x: Int64, _ y: Int64) -> Interval {
        let d = x &- y
        return Interval(months: 0, days: Int32(d / microsPerDay), microseconds: d % microsPerDay)
    }
}
