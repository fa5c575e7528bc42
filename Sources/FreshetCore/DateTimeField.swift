/// A field or unit of a date/time value, as EXTRACT, date_trunc, FLOOR/CEIL
/// `TO unit` and interval input name them (PostgreSQL's unit spellings).
public enum DateTimeField: String, Sendable, CaseIterable {
    case microseconds, milliseconds, second, minute, hour, day, week, month, quarter, year
    case decade, century, millennium
    case dayOfWeek = "dow", isoDayOfWeek = "isodow", dayOfYear = "doy", epoch, isoYear = "isoyear"

    /// Recognises PostgreSQL's spellings, case-insensitively: `second`, `seconds`,
    /// `sec`, `s`, `microsecond`, `us`, `mon`, `months`, `yr`, `dow`, …
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "microsecond", "microseconds", "us", "usec", "usecs", "useconds": self = .microseconds
        case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds": self = .milliseconds
        case "second", "seconds", "s", "sec", "secs": self = .second
        case "minute", "minutes", "m", "min", "mins": self = .minute
        case "hour", "hours", "h", "hr", "hrs": self = .hour
        case "day", "days", "d": self = .day
        case "week", "weeks", "w": self = .week
        case "month", "months", "mon", "mons": self = .month
        case "quarter", "qtr": self = .quarter
        case "year", "years", "y", "yr", "yrs": self = .year
        case "decade", "decades", "dec", "decs": self = .decade
        case "century", "centuries", "c", "cent": self = .century
        case "millennium", "millennia", "mil", "mils", "millenniums": self = .millennium
        case "dow": self = .dayOfWeek
        case "isodow": self = .isoDayOfWeek
        case "doy": self = .dayOfYear
        case "epoch": self = .epoch
        case "isoyear": self = .isoYear
        default: return nil
        }
    }

    /// The spelling PostgreSQL uses in its messages (`unit "hour" not supported …`).
    public var name: String { rawValue }

    /// Whether date_trunc / FLOOR / CEIL accept this unit.
    public var isTruncationUnit: Bool {
        switch self {
        case .dayOfWeek, .isoDayOfWeek, .dayOfYear, .epoch, .isoYear: return false
        default: return true
        }
    }
}
