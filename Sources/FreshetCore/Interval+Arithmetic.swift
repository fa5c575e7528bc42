/// INTERVAL arithmetic as PostgreSQL's timestamp.c (`interval_pl`, `interval_mul`,
/// `interval_div`, `justify_*`). Comparison and equality use PostgreSQL's
/// linear key — a month counts 30 days, a day 24 hours — so `'1 day' = '24 hours'`
/// is true and both hash alike, as GROUP BY in PostgreSQL puts them together.
extension Interval: Comparable {
    /// PostgreSQL's `interval_cmp_value`: (months × 30 + days) × 86 400 000 000 + µs.
    public var comparisonKey: Int128 {
        (Int128(months) * 30 + Int128(days)) * Int128(Calendar.microsecondsPerDay) + Int128(microseconds)
    }

    public static func == (a: Interval, b: Interval) -> Bool { a.comparisonKey == b.comparisonKey }
    public static func < (a: Interval, b: Interval) -> Bool { a.comparisonKey < b.comparisonKey }
    public func hash(into hasher: inout Hasher) { hasher.combine(comparisonKey) }

    /// Field-by-field identity (`'1 day'` and `'24 hours'` differ here).
    public func isIdentical(to other: Interval) -> Bool {
        months == other.months && days == other.days && microseconds == other.microseconds
    }

    static func outOfRange() -> FreshetError {
        FreshetError(.datetimeFieldOverflow, "interval out of range")
    }

    /// `-interval`; 22008 when a field is at its minimum.
    public func negatedChecked() throws -> Interval {
        guard months != .min, days != .min, microseconds != .min else { throw Interval.outOfRange() }
        return Interval(months: -months, days: -days, microseconds: -microseconds)
    }

    /// Field-wise sum; 22008 "interval out of range" on overflow.
    public func adding(_ other: Interval) throws -> Interval {
        let (m, o1) = months.addingReportingOverflow(other.months)
        let (d, o2) = days.addingReportingOverflow(other.days)
        let (u, o3) = microseconds.addingReportingOverflow(other.microseconds)
        guard !o1, !o2, !o3 else { throw Interval.outOfRange() }
        return Interval(months: m, days: d, microseconds: u)
    }

    public func subtracting(_ other: Interval) throws -> Interval {
        try adding(other.negatedChecked())
    }

    /// `interval * factor` as PostgreSQL's `interval_mul`: fractional months
    /// cascade into days (30 per month), fractional days into time.
    public func multiplied(by factor: Double) throws -> Interval {
        let monthProduct = Double(months) * factor
        guard !monthProduct.isNaN, monthProduct < 2_147_483_648, monthProduct > -2_147_483_649 else { throw Interval.outOfRange() }
        let dayProduct = Double(days) * factor
        guard !dayProduct.isNaN, dayProduct < 2_147_483_648, dayProduct > -2_147_483_649 else { throw Interval.outOfRange() }
        return try Interval.cascade(monthValue: monthProduct, dayValue: dayProduct,
                                    time: Double(microseconds) * factor)
    }

    /// `interval / factor` as PostgreSQL's `interval_div`; 22012 on zero.
    public func divided(by factor: Double) throws -> Interval {
        guard factor != 0 else { throw FreshetError(.divisionByZero, "division by zero") }
        let monthQuotient = Double(months) / factor
        let dayQuotient = Double(days) / factor
        guard !monthQuotient.isNaN, monthQuotient < 2_147_483_648, monthQuotient > -2_147_483_649,
              !dayQuotient.isNaN, dayQuotient < 2_147_483_648, dayQuotient > -2_147_483_649 else { throw Interval.outOfRange() }
        return try Interval.cascade(monthValue: monthQuotient, dayValue: dayQuotient,
                                    time: Double(microseconds) / factor)
    }

    /// The shared tail of `interval_mul` / `interval_div`.
    private static func cascade(monthValue: Double, dayValue: Double, time: Double) throws -> Interval {
        func tsRound(_ x: Double) -> Double { (x * 1_000_000).rounded(.toNearestOrEven) / 1_000_000 }
        let month = Int32(monthValue.rounded(.towardZero))
        var day = Int32(dayValue.rounded(.towardZero))
        var monthRemainderDays = (monthValue - Double(month)) * 30
        monthRemainderDays = tsRound(monthRemainderDays)
        var secRemainder = (dayValue - Double(day) + monthRemainderDays - monthRemainderDays.rounded(.towardZero)) * 86_400
        secRemainder = tsRound(secRemainder)
        if abs(secRemainder) >= 86_400 {
            let whole = Int32((secRemainder / 86_400).rounded(.towardZero))
            let (d, o) = day.addingReportingOverflow(whole)
            guard !o else { throw outOfRange() }
            day = d
            secRemainder -= Double(whole) * 86_400
        }
        let (d2, o2) = day.addingReportingOverflow(Int32(monthRemainderDays.rounded(.towardZero)))
        guard !o2 else { throw outOfRange() }
        day = d2
        let t = (time + secRemainder * 1_000_000).rounded(.toNearestOrEven)
        guard !t.isNaN, t >= -9.223372036854775808e18, t < 9.223372036854775808e18 else { throw outOfRange() }
        return Interval(months: month, days: day, microseconds: Int64(t))
    }

    /// `justify_hours`: whole 24-hour periods of the time part become days.
    public func justifiedHours() -> Interval {
        var r = self
        let wholeDays = r.microseconds / Calendar.microsecondsPerDay
        r.microseconds -= wholeDays * Calendar.microsecondsPerDay
        r.days = r.days &+ Int32(truncatingIfNeeded: wholeDays)
        if r.days > 0 && r.microseconds < 0 {
            r.microseconds += Calendar.microsecondsPerDay
            r.days -= 1
        } else if r.days < 0 && r.microseconds > 0 {
            r.microseconds -= Calendar.microsecondsPerDay
            r.days += 1
        }
        return r
    }

    /// `justify_days`: whole 30-day periods become months.
    public func justifiedDays() -> Interval {
        var r = self
        let wholeMonths = r.days / 30
        r.days -= wholeMonths * 30
        r.months = r.months &+ wholeMonths
        if r.months > 0 && r.days < 0 {
            r.days += 30
            r.months -= 1
        } else if r.months < 0 && r.days > 0 {
            r.days -= 30
            r.months += 1
        }
        return r
    }

    /// `justify_interval`: both, with consistent signs.
    public func justified() -> Interval {
        var r = self
        let wholeDays = r.microseconds / Calendar.microsecondsPerDay
        r.microseconds -= wholeDays * Calendar.microsecondsPerDay
        r.days = r.days &+ Int32(truncatingIfNeeded: wholeDays)
        let wholeMonths = r.days / 30
        r.days -= wholeMonths * 30
        r.months = r.months &+ wholeMonths
        if r.months > 0 && (r.days < 0 || (r.days == 0 && r.microseconds < 0)) {
            r.days += 30
            r.months -= 1
        } else if r.months < 0 && (r.days > 0 || (r.days == 0 && r.microseconds > 0)) {
            r.days -= 30
            r.months += 1
        }
        if r.days > 0 && r.microseconds < 0 {
            r.microseconds += Calendar.microsecondsPerDay
            r.days -= 1
        } else if r.days < 0 && r.microseconds > 0 {
            r.microseconds -= Calendar.microsecondsPerDay
            r.days += 1
        }
        return r
    }

    /// The interval's length in microseconds when a month is 30 days and a day
    /// 24 hours (what windows and retention use); nil if beyond Int64.
    public var approximateMicroseconds: Int64? { Int64(exactly: comparisonKey) }

    /// `EXTRACT(field FROM interval)` with PostgreSQL 15's numeric results.
    public func extract(_ field: DateTimeField) throws -> Decimal {
        let year = Int64(months / 12)
        let month = Int64(months % 12)
        var t = microseconds
        let hour = t / Calendar.microsecondsPerHour; t -= hour * Calendar.microsecondsPerHour
        let minute = t / Calendar.microsecondsPerMinute; t -= minute * Calendar.microsecondsPerMinute
        switch field {
        case .microseconds: return Decimal(t)
        case .milliseconds: return Decimal(mantissa: Int128(t), scale: 3)
        case .second: return Decimal(mantissa: Int128(t), scale: 6)
        case .minute: return Decimal(minute)
        case .hour: return Decimal(hour)
        case .day: return Decimal(Int64(days))
        case .month: return Decimal(month)
        case .quarter: return Decimal(month / 3 + 1)
        case .year: return Decimal(year)
        case .decade: return Decimal(year / 10)
        case .century: return Decimal(year / 100)
        case .millennium: return Decimal(year / 1000)
        case .epoch:
            // PostgreSQL: years count 365.25 days, remaining months 30 days.
            let secsPerYear: Int128 = 31_557_600
            let micros = Int128(year) * secsPerYear * 1_000_000
                + Int128(month) * 30 * Int128(Calendar.microsecondsPerDay)
                + Int128(days) * Int128(Calendar.microsecondsPerDay) + Int128(microseconds)
            return Decimal(mantissa: micros, scale: 6)
        default:
            throw FreshetError(.featureNotSupported, "unit \"\(field.name)\" not supported for type interval")
        }
    }
}
