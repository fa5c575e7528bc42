import Testing
@testable import FreshetCore

/// Random and adversarial text into every parser: each must return a value or
/// throw a FreshetError, never trap (overflow, out-of-bounds).
@Suite struct FuzzTests {
    static let types: [DataType] = [.boolean, .tinyint, .smallint, .integer, .bigint, .real, .double,
                                    .decimal(precision: nil, scale: nil), .decimal(precision: 5, scale: 2),
                                    .char(3), .varchar(3), .text, .bytea, .date, .time, .timestamp, .interval]
    static let alphabet: [String] = ["0", "1", "9", "12", "99999999999999999999", "2147483648", "-", "+", ".", ":", " ", "e", "E",
                                     "T", "Z", "P", "Y", "M", "D", "H", "S", "W", "day", "hour", "mon", "year", "ago", "@",
                                     "BC", "am", "pm", "Jan", "/", "\\", "x", "ff", "nan", "inf", "\u{0}", "é", "1e999", "-9223372036854775808"]

    @Test func randomTextNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<30_000 {
            let n = Int.random(in: 0...8, using: &rng)
            let text = (0..<n).map { _ in Self.alphabet.randomElement(using: &rng)! }.joined()
            for t in Self.types {
                do {
                    _ = try Value.parse(pgText: Substring(text), as: t)
                } catch is FreshetError {
                } catch {
                    Issue.record("\(t) '\(text)': \(error)")
                }
            }
            _ = try? Interval.parse(Substring(text), qualifier: IntervalQualifier(start: .day, end: .second))
            _ = try? Interval.parse(Substring(text), qualifier: IntervalQualifier(start: .minute, end: .second))
        }
    }

    @Test func extremeIntervals() {
        for text in ["2562047788 hours 2562047788 minutes", "9223372036854775807 microseconds ago",
                     "-9223372036854775808 microseconds ago", "178956970 years 8 mons", "178956971 years",
                     "2147483647 days 1 week", "-2147483648 days", "99999999999:00:00", "P9223372036854775807Y",
                     "9223372036854775807-11", "1e308 days"] {
            do { _ = try Interval.parse(Substring(text)) } catch let e as FreshetError {
                #expect(["22015", "22007", "22008"].contains(e.state.code), "\(text)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func extremeArithmeticNeverTraps() {
        let timestamps: [Int64] = [.min, .min + 1, -1, 0, Timestamp.minimum, Timestamp.maximum, .max]
        let intervals = [Interval(months: .max), Interval(months: .min), Interval(days: .max), Interval(days: .min),
                         Interval(microseconds: .max), Interval(microseconds: .min), Interval(months: 1, days: 1, microseconds: 1)]
        for t in timestamps {
            for i in intervals {
                _ = try? Timestamp.adding(i, to: t)
                _ = try? Timestamp.subtracting(i, from: t)
                _ = try? i.multiplied(by: 1e10)
                _ = try? i.divided(by: 1e-10)
                _ = i.justified()
                _ = try? i.extract(.epoch)
            }
            for u in DateTimeField.allCases {
                _ = try? Timestamp.truncate(t, to: u)
                _ = try? Timestamp.ceiling(t, to: u)
                _ = try? Timestamp.extract(u, from: t)
            }
            for s in timestamps { _ = try? Timestamp.difference(t, s) }
            var b: [UInt8] = []
            DateTimeText.appendTimestamp(t, to: &b)
        }
        let decimals: [Decimal] = [Decimal(mantissa: Decimal.maxMantissa, scale: 0), Decimal(mantissa: -Decimal.maxMantissa, scale: 38),
                                   Decimal(mantissa: 1, scale: 1000), Decimal(mantissa: Decimal.maxMantissa, scale: 1000), .zero,
                                   Decimal(mantissa: 7, scale: 0)]
        for a in decimals {
            for b in decimals {
                _ = try? a.adding(b)
                _ = try? a.subtracting(b)
                _ = try? a.multiplied(by: b)
                _ = try? a.divided(by: b)
                _ = try? a.remainder(dividingBy: b)
                _ = a.compare(b)
            }
            _ = try? a.rounded(scale: -40)
            _ = try? a.rounded(scale: 2000)
            _ = a.doubleValue
            _ = a.description
        }
    }
}
