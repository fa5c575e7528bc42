/// Proleptic Gregorian calendar arithmetic without Foundation, after Howard
/// Hinnant's `days_from_civil` / `civil_from_days`
/// (https://howardhinnant.github.io/date_algorithms.html). Years are
/// astronomical: year 0 is 1 BC, as PostgreSQL counts internally.
public enum Calendar {
    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerMinute: Int64 = 60_000_000
    public static let microsecondsPerHour: Int64 = 3_600_000_000
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 of a civil date (any month/day in range).
    @inline(__always)
    public static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400                                            // [0, 399]
        let mp = Int64(month > 2 ? month - 3 : month + 9)                  // [0, 11]
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1                      // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                    // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    @inline(__always)
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                        // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365   // [0, 399]
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                  // [0, 365]
        let mp = (5 * doy + 2) / 153                                       // [0, 11]
        let d = Int(doy - (153 * mp + 2) / 5 + 1)                          // [1, 31]
        let m = Int(mp < 10 ? mp + 3 : mp - 9)                             // [1, 12]
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Day of week, 0 = Sunday … 6 = Saturday (PostgreSQL's `dow`).
    public static func dayOfWeek(days: Int64) -> Int {
        // 1970-01-01 was a Thursday (4).
        let r = (days + 4) % 7
        return Int(r < 0 ? r + 7 : r)
    }

    /// Floor division and modulo (towards −∞).
    @inline(__always)
    static func floorDivMod(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b
        var r = a % b
        if r != 0 && ((r < 0) != (b < 0)) { q -= 1; r += b }
        return (q, r)
    }

    /// ISO 8601 week number and ISO year of a day.
    public static func isoWeek(days: Int64) -> (isoYear: Int64, week: Int) {
        let (y, _, _) = civilFromDays(days)
        // Monday of ISO week 1 of year `iy`: the Monday on or before January 4th.
        func week1Monday(_ iy: Int64) -> Int64 {
            let jan4 = daysFromCivil(year: iy, month: 1, day: 4)
            let dow = dayOfWeek(days: jan4)        // 0 = Sunday
            let isoDow = dow == 0 ? 7 : dow        // 1 = Monday … 7 = Sunday
            return jan4 - Int64(isoDow - 1)
        }
        var iy = y
        var start = week1Monday(iy)
        if days < start {
            iy -= 1
            start = week1Monday(iy)
        } else {
            let next = week1Monday(iy + 1)
            if days >= next { iy += 1; start = next }
        }
        return (iy, Int((days - start) / 7) + 1)
    }
}
