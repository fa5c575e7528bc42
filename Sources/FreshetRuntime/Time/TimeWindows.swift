import FreshetCore

/// Window arithmetic shared by STEP/FLOOR and the window operators.
public enum TimeWindows {
    /// An interval as a fixed number of microseconds; months have no fixed length.
    public static func fixedLength(_ i: Interval) throws -> Int64 {
        guard i.months == 0 else {
            throw FreshetError(.invalidParameterValue, "a window or STEP width in months or years has no fixed length",
                               hint: "Use days, hours, minutes or seconds.")
        }
        let micros = Int64(i.days) * 86_400_000_000 + i.microseconds
        guard micros > 0 else { throw FreshetError(.invalidParameterValue, "a window or STEP width must be positive") }
        return micros
    }

    /// `x` rounded down to a multiple of `size` (also for negative x).
    @inline(__always)
    public static func floor(_ x: Int64, _ size: Int64) -> Int64 {
        let r = x % size
        return r < 0 ? x - r - size : x - r
    }

    /// The fixed length of a FLOOR(… TO unit) window, nil for units without one (month, year, …).
    public static func unitLength(_ unit: String) -> Int64? {
        switch unit {
        case "microseconds", "microsecond": return 1
        case "milliseconds", "millisecond": return 1_000
        case "second": return 1_000_000
        case "minute": return 60_000_000
        case "hour": return 3_600_000_000
        case "day": return 86_400_000_000
        default: return nil
        }
    }
}
