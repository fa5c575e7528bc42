/// TIMESTAMP (without time zone) arithmetic on its stored form, microseconds
/// since 1970-01-01 00:00:00, following PostgreSQL's timestamp.c: adding an
/// interval adds months (clamping the day: Jan 31 + 1 mon = Feb 28), then days,
/// then microseconds; subtracting timestamps gives days and time (justified
/// hours); date_trunc, EXTRACT. `Int64.max` and `Int64.min` stand for
/// 'infinity' and '-infinity'.
public enum Timestamp {
    public static let infinity = Int64.max
    public static let negativeInfinity = Int64.min
    /// 4714-11-24 00:00:00 BC, PostgreSQL's earliest timestamp (Julian day 0).
    public static let minimum: Int64 = -210_866_803_200_000_000
    /// The latest representable timestamp (`Int64.max` is reserved for infinity).
    public static let maximum: Int64 = Int64.max - 1

    public static func isFinite(_ ts: Int64) -> Bool { ts != infinity && ts != negativeInfinity }

    /// The broken-down parts of a timestamp.
    public struct Parts: Hashable, Sendable {
        public var year: Int64      // astronomical: 0 is 1 BC
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var microsecond: Int
        /// Days since 1970-01-01.
        public var days: Int64
        /// Microseconds since midnight.
        public var timeOfDay: Int64
    }

    /// Splits a finite timestamp into calendar parts.
    public static func parts(_ ts: Int64) -> Parts {
        let (days, tod) = Calendar.floorDivMod(ts, Calendar.microsecondsPerDay)
        let (y, m, d) = Calendar.civilFromDays(days)
        var t = tod
        let hour = Int(t / Calendar.microsecondsPerHour); t %= Calendar.microsecondsPerHour
        let minute = Int(t / Calendar.microsecondsPerMinute); t %= Calendar.microsecondsPerMinute
        let second = Int(t / Calendar.microsecondsPerSecond)
        let micro = Int(t % Calendar.microsecondsPerSecond)
        return Parts(year: y, month: m, day: d, hour: hour, minute: minute, second: second,
                     microsecond: micro, days: days, timeOfDay: tod)
    }

    /// A timestamp from days since 1970 and microseconds since midnight, nil when out of range.
    public static func make(days: Int64, timeOfDay: Int64) -> Int64? {
        let (a, o1) = days.multipliedReportingOverflow(by: Calendar.microsecondsPerDay)
        let (r, o2) = a.addingReportingOverflow(timeOfDay)
        if o1 || o2 || r < minimum || r > maximum { return nil }
        return r
    }

    /// A timestamp from calendar parts (validated), nil when invalid or out of range.
    public static func make(year: Int64, month: Int, day: Int, hour: Int = 0, minute: Int = 0,
                            second: Int = 0, microsecond: Int = 0) -> Int64? {
        guard month >= 1, month <= 12, day >= 1, day <= Calendar.daysInMonth(year: year, month: month),
              hour >= 0, hour <= 23, minute >= 0, minute <= 59, second >= 0, second <= 60,
              microsecond >= 0, microsecond < 1_000_000, year > -5_000, year < 300_000 else { return nil }
        let days = Calendar.daysFromCivil(year: year, month: month, day: day)
        let tod = Int64(hour) * Calendar.microsecondsPerHour + Int64(minute) * Calendar.microsecondsPerMinute
            + Int64(second) * Calendar.microsecondsPerSecond + Int64(microsecond)
        return make(days: days, timeOfDay: tod)
    }

    static func outOfRange() -> FreshetError {
        FreshetError(.datetimeFieldOverflow, "timestamp out of range")
    }

    /// Rejects finite values below the earliest timestamp (only corrupt or
    /// hand-built values can be there), so the arithmetic below cannot overflow.
    @inline(__always)
    static func checkRange(_ ts: Int64) throws {
        if ts < minimum && ts != negativeInfinity { throw outOfRange() }
    }

    // MARK: Interval arithmetic

    /// `ts + interval` as PostgreSQL's `timestamp_pl_interval`.
    public static func adding(_ interval: Interval, to ts: Int64) throws -> Int64 {
        if !isFinite(ts) { return ts }
        try checkRange(ts)
        var t = ts
        if interval.months != 0 {
            let p = parts(t)
            var month = Int64(p.month) + Int64(interval.months)   // 1-based, may leave 1…12
            var year = p.year
            let (yq, mr) = Calendar.floorDivMod(month - 1, 12)
            year += yq
            month = mr + 1
            let day = Swift.min(p.day, Calendar.daysInMonth(year: year, month: Int(month)))
            let days = Calendar.daysFromCivil(year: year, month: Int(month), day: day)
            guard let r = make(days: days, timeOfDay: p.timeOfDay) else { throw outOfRange() }
            t = r
        }
        if interval.days != 0 {
            let (d, o1) = Int64(interval.days).multipliedReportingOverflow(by: Calendar.microsecondsPerDay)
            let (r, o2) = t.addingReportingOverflow(d)
            guard !o1, !o2, r >= minimum, r <= maximum else { throw outOfRange() }
            t = r
        }
        let (r, o) = t.addingReportingOverflow(interval.microseconds)
        guard !o, r >= minimum, r <= maximum else { throw outOfRange() }
        return r
    }

    /// `ts − interval`.
    public static func subtracting(_ interval: Interval, from ts: Int64) throws -> Int64 {
        try adding(try interval.negatedChecked(), to: ts)
    }

    /// `a − b` as PostgreSQL's `timestamp_mi`: whole days plus a time part of
    /// the same sign (`1 day 02:00:00`, never `26:00:00`). 22008 for infinities.
    public static func difference(_ a: Int64, _ b: Int64) throws -> Interval {
        guard isFinite(a), isFinite(b) else {
            throw FreshetError(.datetimeFieldOverflow, "cannot subtract infinite timestamps")
        }
        try checkRange(a)
        try checkRange(b)
        let (d, o) = a.subtractingReportingOverflow(b)
        guard !o else { throw FreshetError(.datetimeFieldOverflow, "interval out of range") }
        return Interval(months: 0, days: 0, microseconds: d).justifiedHours()
    }

    // MARK: Truncation

    /// `date_trunc(unit, ts)` / `FLOOR(ts TO unit)`: the start of the unit containing `ts`.
    public static func truncate(_ ts: Int64, to unit: DateTimeField) throws -> Int64 {
        if !isFinite(ts) { return ts }
        try checkRange(ts)
        func floorTo(_ q: Int64) -> Int64 { ts - Calendar.floorDivMod(ts, q).remainder }
        switch unit {
        case .microseconds: return ts
        case .milliseconds: return floorTo(1000)
        case .second: return floorTo(Calendar.microsecondsPerSecond)
        case .minute: return floorTo(Calendar.microsecondsPerMinute)
        case .hour: return floorTo(Calendar.microsecondsPerHour)
        case .day: return floorTo(Calendar.microsecondsPerDay)
        case .week:
            let p = parts(ts)
            let dow = Calendar.dayOfWeek(days: p.days)
            let monday = p.days - Int64(dow == 0 ? 6 : dow - 1)
            guard let r = make(days: monday, timeOfDay: 0) else { throw outOfRange() }
            return r
        case .month, .quarter, .year, .decade, .century, .millennium:
            let p = parts(ts)
            var year = p.year
            var month = p.month
            switch unit {
            case .month: break
            case .quarter: month = 3 * ((month - 1) / 3) + 1
            case .year: month = 1
            case .decade:
                month = 1
                year = year > 0 ? (year / 10) * 10 : -((8 - (year - 1)) / 10) * 10
            case .century:
                month = 1
                year = year > 0 ? ((year + 99) / 100) * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1
            default:
                month = 1
                year = year > 0 ? ((year + 999) / 1000) * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1
            }
            guard let r = make(days: Calendar.daysFromCivil(year: year, month: month, day: 1), timeOfDay: 0) else {
                throw outOfRange()
            }
            return r
        default:
            throw FreshetError(.featureNotSupported, "unit \"\(unit.name)\" not supported for type timestamp without time zone")
        }
    }

    /// `CEIL(ts TO unit)`: `ts` itself when on a unit boundary, else the start of the next unit.
    public static func ceiling(_ ts: Int64, to unit: DateTimeField) throws -> Int64 {
        let t = try truncate(ts, to: unit)
        if t == ts { return ts }
        return try adding(unit.oneUnit, to: t)
    }

    // MARK: Extraction

    /// `EXTRACT(field FROM ts)` with PostgreSQL 15's numeric results
    /// (`second` → `56.789000`, `epoch` → `1769862896.789000`).
    public static func extract(_ field: DateTimeField, from ts: Int64) throws -> Decimal {
        guard isFinite(ts) else {
            throw FreshetError(.featureNotSupported, "cannot extract from an infinite timestamp")
        }
        try checkRange(ts)
        let p = parts(ts)
        let secondsMicros = Int64(p.second) * 1_000_000 + Int64(p.microsecond)
        switch field {
        case .microseconds: return Decimal(secondsMicros)
        case .milliseconds: return Decimal(mantissa: Int128(secondsMicros), scale: 3)
        case .second: return Decimal(mantissa: Int128(secondsMicros), scale: 6)
        case .minute: return Decimal(Int64(p.minute))
        case .hour: return Decimal(Int64(p.hour))
        case .day: return Decimal(Int64(p.day))
        case .month: return Decimal(Int64(p.month))
        case .quarter: return Decimal(Int64((p.month - 1) / 3 + 1))
        case .week: return Decimal(Int64(Calendar.isoWeek(days: p.days).week))
        case .year: return Decimal(p.year > 0 ? p.year : p.year - 1)
        case .decade: return Decimal(p.year >= 0 ? p.year / 10 : -((8 - (p.year - 1)) / 10))
        case .century: return Decimal(p.year > 0 ? (p.year + 99) / 100 : -((99 - (p.year - 1)) / 100))
        case .millennium: return Decimal(p.year > 0 ? (p.year + 999) / 1000 : -((999 - (p.year - 1)) / 1000))
        case .dayOfWeek: return Decimal(Int64(Calendar.dayOfWeek(days: p.days)))
        case .isoDayOfWeek:
            let d = Calendar.dayOfWeek(days: p.days)
            return Decimal(Int64(d == 0 ? 7 : d))
        case .dayOfYear:
            return Decimal(p.days - Calendar.daysFromCivil(year: p.year, month: 1, day: 1) + 1)
        case .isoYear:
            let y = Calendar.isoWeek(days: p.days).isoYear
            return Decimal(y > 0 ? y : y - 1)
        case .epoch: return Decimal(mantissa: Int128(ts), scale: 6)
        }
    }
}

extension DateTimeField {
    /// One of this unit, as an interval (for CEIL and stepping).
    public var oneUnit: Interval {
        switch self {
        case .microseconds: return Interval(microseconds: 1)
        case .milliseconds: return Interval(microseconds: 1000)
        case .second: return Interval(microseconds: Calendar.microsecondsPerSecond)
        case .minute: return Interval(microseconds: Calendar.microsecondsPerMinute)
        case .hour: return Interval(microseconds: Calendar.microsecondsPerHour)
        case .day: return Interval(days: 1)
        case .week: return Interval(days: 7)
        case .month: return Interval(months: 1)
        case .quarter: return Interval(months: 3)
        case .year: return Interval(months: 12)
        case .decade: return Interval(months: 120)
        case .century: return Interval(months: 1200)
        case .millennium: return Interval(months: 12000)
        default: return Interval()
        }
    }
}
