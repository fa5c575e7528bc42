/// The SQL-standard interval qualifier of `INTERVAL '…' DAY TO SECOND`,
/// `INTERVAL '5' MINUTE`, `INTERVAL '1-2' YEAR TO MONTH` (PostgreSQL's interval
/// typmod range). FreshetCore defines it so the planner can evaluate such
/// literals with `Interval.parse(_:qualifier:)` without FreshetCore importing
/// FreshetSQL.
public struct IntervalQualifier: Hashable, Sendable {
    /// A field of an interval qualifier, most significant first.
    public enum Field: Int, Hashable, Sendable, Comparable {
        case year, month, day, hour, minute, second
        public static func < (a: Field, b: Field) -> Bool { a.rawValue < b.rawValue }
        public var name: String {
            switch self {
            case .year: return "YEAR"
            case .month: return "MONTH"
            case .day: return "DAY"
            case .hour: return "HOUR"
            case .minute: return "MINUTE"
            case .second: return "SECOND"
            }
        }
    }

    public var start: Field
    /// The last field (`TO end`); equal to `start` for a single-field qualifier.
    public var end: Field
    /// Digits kept after the point of the seconds (`SECOND(3)`), 0…6; nil keeps all six.
    public var fractionalSecondsPrecision: Int?

    /// A qualifier `start [TO end] [(precision)]`; nil when `end` precedes `start`
    /// or the pair is not one SQL allows (YEAR TO MONTH, DAY/HOUR/MINUTE TO a later
    /// field up to SECOND).
    public init?(start: Field, end: Field? = nil, fractionalSecondsPrecision: Int? = nil) {
        let e = end ?? start
        guard e >= start else { return nil }
        if start == .year || start == .month {
            guard e <= .month else { return nil }
        } else if e <= .month {
            return nil
        }
        if let p = fractionalSecondsPrecision, p < 0 || p > 6 { return nil }
        self.start = start
        self.end = e
        self.fractionalSecondsPrecision = fractionalSecondsPrecision
    }

    /// SQL spelling: `DAY TO SECOND`, `SECOND(3)`.
    public var sqlText: String {
        var s = start.name
        if end != start { s += " TO " + end.name }
        if let p = fractionalSecondsPrecision { s += "(\(p))" }
        return s
    }

    /// Applies the qualifier to a parsed interval as PostgreSQL's
    /// `AdjustIntervalForTypmod`: fields below `end` are dropped (toward zero),
    /// seconds are rounded to the precision.
    public func adjust(_ interval: Interval) -> Interval {
        var r = interval
        switch end {
        case .year:
            r.months = (r.months / 12) * 12
            r.days = 0
            r.microseconds = 0
        case .month:
            r.days = 0
            r.microseconds = 0
        case .day:
            r.microseconds = 0
        case .hour:
            r.microseconds = (r.microseconds / Calendar.microsecondsPerHour) * Calendar.microsecondsPerHour
        case .minute:
            r.microseconds = (r.microseconds / Calendar.microsecondsPerMinute) * Calendar.microsecondsPerMinute
        case .second:
            if let p = fractionalSecondsPrecision, p < 6 {
                var scale: Int64 = 1
                for _ in 0..<(6 - p) { scale *= 10 }
                let offset = scale / 2
                if r.microseconds >= 0 {
                    r.microseconds = ((r.microseconds + offset) / scale) * scale
                } else {
                    r.microseconds = -(((-r.microseconds + offset) / scale) * scale)
                }
            }
        }
        return r
    }
}
