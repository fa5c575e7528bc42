/// DATE and TIME arithmetic as PostgreSQL's date.c: `date + integer`,
/// `date − date` (days), `date ± interval` (a timestamp), `time ± interval`
/// (wrapping around midnight), `time − time` (an interval), and EXTRACT from
/// a date or a time. Dates are days since 1970-01-01 with `Int32.max/min`
/// for ±infinity; times are microseconds since midnight.
public enum SQLDate {
    static func outOfRange() -> FreshetError { FreshetError(.datetimeFieldOverflow, "date out of range") }

    /// `date + days` (22008 "date out of range" past 5874897-12-31 or before 4714-11-24 BC).
    public static func adding(days: Int64, to date: Int32) throws -> Int32 {
        if date == Int32.max || date == Int32.min { return date }
        let r = Int64(date) + days
        guard r >= Int64(DateTimeText.minimumDate), r <= Int64(DateTimeText.maximumDate) else { throw outOfRange() }
        return Int32(r)
    }

    /// `a − b` in days; 22008 for infinite dates.
    public static func difference(_ a: Int32, _ b: Int32) throws -> Int64 {
        guard a != Int32.max, a != Int32.min, b != Int32.max, b != Int32.min else {
            throw FreshetError(.datetimeFieldOverflow, "cannot subtract infinite dates")
        }
        return Int64(a) - Int64(b)
    }

    /// `date + interval` → timestamp (the date at midnight plus the interval).
    public static func adding(_ interval: Interval, to date: Int32) throws -> Int64 {
        try Timestamp.adding(interval, to: Value.timestamp(ofDate: date))
    }

    /// `time + interval`: only the interval's time part counts, modulo 24 hours.
    public static func adding(_ interval: Interval, toTime t: Int64) -> Int64 {
        var r = (t + interval.microseconds % Calendar.microsecondsPerDay) % Calendar.microsecondsPerDay
        if r < 0 { r += Calendar.microsecondsPerDay }
        return r
    }

    /// `time − time` → interval of microseconds.
    public static func difference(time a: Int64, _ b: Int64) -> Interval {
        Interval(microseconds: a - b)
    }

    /// `EXTRACT(field FROM date)`: calendar fields and epoch; time fields are 0A000.
    public static func extract(_ field: DateTimeField, from date: Int32) throws -> Decimal {
        switch field {
        case .microseconds, .milliseconds, .second, .minute, .hour:
            throw FreshetError(.featureNotSupported, "unit \"\(field.name)\" not supported for type date")
        case .epoch:
            guard date != Int32.max, date != Int32.min else {
                throw FreshetError(.featureNotSupported, "cannot extract from an infinite date")
            }
            return Decimal(Int64(date) * 86_400)
        default:
            guard date != Int32.max, date != Int32.min else {
                throw FreshetError(.featureNotSupported, "cannot extract from an infinite date")
            }
            return try Timestamp.extract(field, from: Int64(date) * Calendar.microsecondsPerDay)
        }
    }

    /// `EXTRACT(field FROM time)`: hour, minute, second, milliseconds, microseconds, epoch.
    public static func extract(_ field: DateTimeField, fromTime t: Int64) throws -> Decimal {
        let secondsMicros = t % Calendar.microsecondsPerMinute
        switch field {
        case .microseconds: return Decimal(secondsMicros)
        case .milliseconds: return Decimal(mantissa: Int128(secondsMicros), scale: 3)
        case .second: return Decimal(mantissa: Int128(secondsMicros), scale: 6)
        case .minute: return Decimal((t / Calendar.microsecondsPerMinute) % 60)
        case .hour: return Decimal(t / Calendar.microsecondsPerHour)
        case .epoch: return Decimal(mantissa: Int128(t), scale: 6)
        default:
            throw FreshetError(.featureNotSupported, "unit \"\(field.name)\" not supported for type time without time zone")
        }
    }
}
