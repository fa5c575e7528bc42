import Testing
@testable import FreshetCore

/// Interval qualifiers, arithmetic, justification and extraction; expected
/// strings are PostgreSQL 15's output for the same expressions.
@Suite struct IntervalTests {
    static func iv(_ s: String) throws -> Interval { try Interval.parse(Substring(s)) }
    static func outcome(_ body: () throws -> String) -> String {
        do { return try body() } catch let e as FreshetError { return "ERROR \(e.state.code): \(e.message)" } catch { return "\(error)" }
    }

    /// "DAY TO SECOND(2)" → qualifier.
    static func qualifier(_ s: String) -> IntervalQualifier? {
        var precision: Int?
        var body = s
        if let open = s.firstIndex(of: "(") {
            precision = Int(s[s.index(after: open)..<s.firstIndex(of: ")")!])
            body = String(s[..<open])
        }
        let words = body.split(separator: " ")
        func field(_ w: Substring) -> IntervalQualifier.Field? {
            switch w {
            case "YEAR": return .year
            case "MONTH": return .month
            case "DAY": return .day
            case "HOUR": return .hour
            case "MINUTE": return .minute
            case "SECOND": return .second
            default: return nil
            }
        }
        guard let start = field(words[0]) else { return nil }
        let end = words.count == 3 ? field(words[2]) : nil
        return IntervalQualifier(start: start, end: end, fractionalSecondsPrecision: precision)
    }

    // (text, qualifier, INTERVAL 'text' qualifier)
    static let qualified: [(String, String, String)] = [
        ("5", "SECOND", "00:00:05"),
        ("5", "MINUTE", "00:05:00"),
        ("5", "HOUR", "05:00:00"),
        ("5", "DAY", "5 days"),
        ("5", "MONTH", "5 mons"),
        ("5", "YEAR", "5 years"),
        ("2 3:4:5.678", "DAY TO SECOND", "2 days 03:04:05.678"),
        ("2 3:4", "DAY TO MINUTE", "2 days 03:04:00"),
        ("2 3", "DAY TO HOUR", "2 days 03:00:00"),
        ("3:4", "MINUTE TO SECOND", "00:03:04"),
        ("3:4", "HOUR TO MINUTE", "03:04:00"),
        ("3:4:5", "HOUR TO SECOND", "03:04:05"),
        ("1-2", "YEAR TO MONTH", "1 year 2 mons"),
        ("1 day 2 hours", "DAY", "1 day"),
        ("1 day 2 hours 3 minutes", "HOUR", "1 day 02:00:00"),
        ("1.5", "MINUTE", "00:01:00"),
        ("90", "SECOND", "00:01:30"),
        ("1 year 2 mons 3 days", "YEAR", "1 year"),
        ("1 year 2 mons 3 days", "MONTH", "1 year 2 mons"),
        ("2 3:4:5.678", "SECOND", "2 days 03:04:05.678"),
        ("2 3:4:5.678", "MINUTE TO SECOND", "2 days 03:04:05.678"),
        ("10", "DAY TO SECOND", "00:00:10"),
        ("1.23456789", "SECOND", "00:00:01.234568"),
        ("1 hour", "MINUTE", "01:00:00"),
        ("3:4:5.678", "SECOND(1)", "03:04:05.7"),
        ("5.5", "DAY", "5 days"),
        ("-5", "MINUTE", "-00:05:00"),
        ("-1 day -2:30:40.5", "HOUR TO MINUTE", "-1 days -02:30:00"),
        ("3:4:5.678", "DAY TO SECOND(2)", "03:04:05.68"),
        ("5", "YEAR TO MONTH", "5 mons"),
        ("1.5", "HOUR", "01:00:00"),
        ("100", "MINUTE", "01:40:00"),
    ]

    @Test(arguments: qualified)
    func qualifiedLiterals(_ row: (String, String, String)) throws {
        let q = try #require(Self.qualifier(row.1))
        #expect(Self.outcome { try Interval.parse(Substring(row.0), qualifier: q).description } == row.2, "'\(row.0)' \(row.1)")
    }

    @Test func qualifierValidation() {
        #expect(IntervalQualifier(start: .second, end: .day) == nil)
        #expect(IntervalQualifier(start: .year, end: .day) == nil)
        #expect(IntervalQualifier(start: .month, end: .second) == nil)
        #expect(IntervalQualifier(start: .second, fractionalSecondsPrecision: 7) == nil)
        #expect(IntervalQualifier(start: .day, end: .second)?.sqlText == "DAY TO SECOND")
        #expect(Self.outcome { try Interval.parse("5", from: .minute).description } == "00:05:00")
    }

    // (interval, factor, interval * factor, interval / factor)
    static let scaled: [(String, Double, String, String)] = [
        ("1 day", 2, "2 days", "12:00:00"),
        ("1 day", 0.5, "12:00:00", "2 days"),
        ("1 day", 1.5, "1 day 12:00:00", "16:00:00"),
        ("1 day", -3, "-3 days", "-08:00:00"),
        ("1 day", 0.3333, "07:59:57.12", "3 days 00:00:25.922592"),
        ("1 day", 10, "10 days", "02:24:00"),
        ("1 mon", 2, "2 mons", "15 days"),
        ("1 mon", 0.5, "15 days", "2 mons"),
        ("1 mon", 1.5, "1 mon 15 days", "20 days"),
        ("1 mon", -3, "-3 mons", "-10 days"),
        ("1 mon", 0.3333, "9 days 23:58:33.6", "3 mons 00:12:57.6864"),
        ("1 mon", 10, "10 mons", "3 days"),
        ("1 year 2 mons 3 days 04:05:06", 2, "2 years 4 mons 6 days 08:10:12", "7 mons 1 day 14:02:33"),
        ("1 year 2 mons 3 days 04:05:06", 0.5, "7 mons 1 day 14:02:33", "2 years 4 mons 6 days 08:10:12"),
        ("1 year 2 mons 3 days 04:05:06", 1.5, "1 year 9 mons 4 days 18:07:39", "9 mons 12 days 02:43:24"),
        ("1 year 2 mons 3 days 04:05:06", -3, "-3 years -6 mons -9 days -12:15:18", "-4 mons -21 days -01:21:42"),
        ("1 year 2 mons 3 days 04:05:06", 0.3333, "4 mons 20 days 25:01:23.2698", "3 years 6 mons 9 days 15:18:07.703218"),
        ("1 year 2 mons 3 days 04:05:06", 10, "11 years 8 mons 30 days 40:51:00", "1 mon 12 days 07:36:30.6"),
        ("01:00:00", 2, "02:00:00", "00:30:00"),
        ("01:00:00", 0.5, "00:30:00", "02:00:00"),
        ("01:00:00", 1.5, "01:30:00", "00:40:00"),
        ("01:00:00", -3, "-03:00:00", "-00:20:00"),
        ("01:00:00", 0.3333, "00:19:59.88", "03:00:01.080108"),
        ("01:00:00", 10, "10:00:00", "00:06:00"),
        ("-1 mon -1 day", 2, "-2 mons -2 days", "-15 days -12:00:00"),
        ("-1 mon -1 day", 0.5, "-15 days -12:00:00", "-2 mons -2 days"),
        ("-1 mon -1 day", 1.5, "-1 mons -16 days -12:00:00", "-20 days -16:00:00"),
        ("-1 mon -1 day", -3, "3 mons 3 days", "10 days 08:00:00"),
        ("-1 mon -1 day", 0.3333, "-10 days -07:58:30.72", "-3 mons -3 days -00:13:23.608992"),
        ("-1 mon -1 day", 10, "-10 mons -10 days", "-3 days -02:24:00"),
        ("3 mons 10 days", 2, "6 mons 20 days", "1 mon 20 days"),
        ("3 mons 10 days", 0.5, "1 mon 20 days", "6 mons 20 days"),
        ("3 mons 10 days", 1.5, "4 mons 30 days", "2 mons 6 days 16:00:00"),
        ("3 mons 10 days", -3, "-9 mons -30 days", "-1 mons -3 days -08:00:00"),
        ("3 mons 10 days", 0.3333, "33 days 07:55:12", "9 mons 30 days 00:43:12.285123"),
        ("3 mons 10 days", 10, "2 years 6 mons 100 days", "10 days"),
    ]

    @Test(arguments: scaled)
    func multiplyAndDivide(_ row: (String, Double, String, String)) throws {
        let i = try Self.iv(row.0)
        #expect(try i.multiplied(by: row.1).description == row.2, "\(row.0) * \(row.1)")
        #expect(try i.divided(by: row.1).description == row.3, "\(row.0) / \(row.1)")
    }

    @Test func divisionByZeroAndOverflow() throws {
        #expect(Self.outcome { try Self.iv("1 day").divided(by: 0).description } == "ERROR 22012: division by zero")
        #expect(Self.outcome { try Self.iv("1000000 years").multiplied(by: 1e6).description } == "ERROR 22008: interval out of range")
        #expect(Self.outcome { try Interval(months: .max).adding(Interval(months: 1)).description } == "ERROR 22008: interval out of range")
    }

    // (interval, justify_hours, justify_days, justify_interval)
    static let justified: [(String, String, String, String)] = [
        ("36 hours", "1 day 12:00:00", "36:00:00", "1 day 12:00:00"),
        ("-36 hours", "-1 days -12:00:00", "-36:00:00", "-1 days -12:00:00"),
        ("1 day -1 hour", "23:00:00", "1 day -01:00:00", "23:00:00"),
        ("35 days", "35 days", "1 mon 5 days", "1 mon 5 days"),
        ("-35 days", "-35 days", "-1 mons -5 days", "-1 mons -5 days"),
        ("1 mon -1 day", "1 mon -1 days", "29 days", "29 days"),
        ("1 mon -36 hours", "1 mon -1 days -12:00:00", "1 mon -36:00:00", "28 days 12:00:00"),
        ("400 days 30 hours", "401 days 06:00:00", "1 year 1 mon 10 days 30:00:00", "1 year 1 mon 11 days 06:00:00"),
        ("-1 mon 30 days 25:00:00", "-1 mons +31 days 01:00:00", "25:00:00", "1 day 01:00:00"),
        ("0", "00:00:00", "00:00:00", "00:00:00"),
    ]

    @Test(arguments: justified)
    func justify(_ row: (String, String, String, String)) throws {
        let i = try Self.iv(row.0)
        #expect(i.justifiedHours().description == row.1)
        #expect(i.justifiedDays().description == row.2)
        #expect(i.justified().description == row.3)
    }

    // (field, interval, extract(field from interval))
    static let extractions: [(String, String, String)] = [
        ("microseconds", "1 year 2 mons 3 days 04:05:06.789", "6789000"),
        ("milliseconds", "1 year 2 mons 3 days 04:05:06.789", "6789.000"),
        ("second", "1 year 2 mons 3 days 04:05:06.789", "6.789000"),
        ("minute", "1 year 2 mons 3 days 04:05:06.789", "5"),
        ("hour", "1 year 2 mons 3 days 04:05:06.789", "4"),
        ("day", "1 year 2 mons 3 days 04:05:06.789", "3"),
        ("month", "1 year 2 mons 3 days 04:05:06.789", "2"),
        ("quarter", "1 year 2 mons 3 days 04:05:06.789", "1"),
        ("year", "1 year 2 mons 3 days 04:05:06.789", "1"),
        ("decade", "1 year 2 mons 3 days 04:05:06.789", "0"),
        ("century", "1 year 2 mons 3 days 04:05:06.789", "0"),
        ("millennium", "1 year 2 mons 3 days 04:05:06.789", "0"),
        ("epoch", "1 year 2 mons 3 days 04:05:06.789", "37015506.789000"),
        ("microseconds", "-1 year -14 mons", "0"),
        ("milliseconds", "-1 year -14 mons", "0.000"),
        ("second", "-1 year -14 mons", "0.000000"),
        ("minute", "-1 year -14 mons", "0"),
        ("hour", "-1 year -14 mons", "0"),
        ("day", "-1 year -14 mons", "0"),
        ("month", "-1 year -14 mons", "-2"),
        ("quarter", "-1 year -14 mons", "1"),
        ("year", "-1 year -14 mons", "-2"),
        ("decade", "-1 year -14 mons", "0"),
        ("century", "-1 year -14 mons", "0"),
        ("millennium", "-1 year -14 mons", "0"),
        ("epoch", "-1 year -14 mons", "-68299200.000000"),
        ("microseconds", "30 hours", "0"),
        ("milliseconds", "30 hours", "0.000"),
        ("second", "30 hours", "0.000000"),
        ("minute", "30 hours", "0"),
        ("hour", "30 hours", "30"),
        ("day", "30 hours", "0"),
        ("month", "30 hours", "0"),
        ("quarter", "30 hours", "1"),
        ("year", "30 hours", "0"),
        ("decade", "30 hours", "0"),
        ("century", "30 hours", "0"),
        ("millennium", "30 hours", "0"),
        ("epoch", "30 hours", "108000.000000"),
        ("microseconds", "100 years", "0"),
        ("milliseconds", "100 years", "0.000"),
        ("second", "100 years", "0.000000"),
        ("minute", "100 years", "0"),
        ("hour", "100 years", "0"),
        ("day", "100 years", "0"),
        ("month", "100 years", "0"),
        ("quarter", "100 years", "1"),
        ("year", "100 years", "100"),
        ("decade", "100 years", "10"),
        ("century", "100 years", "1"),
        ("millennium", "100 years", "0"),
        ("epoch", "100 years", "3155760000.000000"),
        ("microseconds", "1 day -00:00:01.5", "-1500000"),
        ("milliseconds", "1 day -00:00:01.5", "-1500.000"),
        ("second", "1 day -00:00:01.5", "-1.500000"),
        ("minute", "1 day -00:00:01.5", "0"),
        ("hour", "1 day -00:00:01.5", "0"),
        ("day", "1 day -00:00:01.5", "1"),
        ("month", "1 day -00:00:01.5", "0"),
        ("quarter", "1 day -00:00:01.5", "1"),
        ("year", "1 day -00:00:01.5", "0"),
        ("decade", "1 day -00:00:01.5", "0"),
        ("century", "1 day -00:00:01.5", "0"),
        ("millennium", "1 day -00:00:01.5", "0"),
        ("epoch", "1 day -00:00:01.5", "86398.500000"),
        ("microseconds", "15 mons", "0"),
        ("milliseconds", "15 mons", "0.000"),
        ("second", "15 mons", "0.000000"),
        ("minute", "15 mons", "0"),
        ("hour", "15 mons", "0"),
        ("day", "15 mons", "0"),
        ("month", "15 mons", "3"),
        ("quarter", "15 mons", "2"),
        ("year", "15 mons", "1"),
        ("decade", "15 mons", "0"),
        ("century", "15 mons", "0"),
        ("millennium", "15 mons", "0"),
        ("epoch", "15 mons", "39333600.000000"),
    ]

    @Test(arguments: extractions)
    func extract(_ row: (String, String, String)) throws {
        let f = try #require(DateTimeField(name: row.0))
        #expect(Self.outcome { try Self.iv(row.1).extract(f).description } == row.2, "\(row.0) \(row.1)")
    }

    @Test func equalityIsByLengthButIdentityIsByField() throws {
        let day = try Self.iv("1 day"), hours = try Self.iv("24 hours")
        #expect(day == hours)
        #expect(day.hashValue == hours.hashValue)
        #expect(!day.isIdentical(to: hours))
        #expect(try Self.iv("1 mon") == Self.iv("30 days"))
        #expect(try Self.iv("1 mon") > Self.iv("29 days 23:59:59.999999"))
        #expect(Set([Value.interval(day), .interval(hours)]).count == 1)
    }

    @Test func outputForms() {
        #expect(Interval().description == "00:00:00")
        #expect(Interval(microseconds: -1_000_000).description == "-00:00:01")
        #expect(Interval(months: 3).description == "3 mons")
        #expect(Interval(months: 14).description == "1 year 2 mons")
        #expect(Interval(months: -14, days: 3, microseconds: -3_723_000_000).description == "-1 years -2 mons +3 days -01:02:03")
        #expect(Interval(days: 1, microseconds: 7_384_500_000).description == "1 day 02:03:04.5")
        #expect(Interval(microseconds: 100 * 3_600_000_000).description == "100:00:00")
        #expect(Interval(months: .min, days: .min, microseconds: .min).description == "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808")
    }
}
