import Testing
@testable import FreshetCore

/// Date and time arithmetic; expected values are PostgreSQL 15's.
@Suite struct SQLDateTests {
    static func date(_ s: String) throws -> Int32 { try DateTimeText.parseDate(Substring(s)) }
    static func text(date d: Int32) -> String { var b: [UInt8] = []; DateTimeText.appendDate(d, to: &b); return String(decoding: b, as: UTF8.self) }
    static func text(ts t: Int64) -> String { var b: [UInt8] = []; DateTimeText.appendTimestamp(t, to: &b); return String(decoding: b, as: UTF8.self) }
    static func text(time t: Int64) -> String { var b: [UInt8] = []; DateTimeText.appendTime(t, to: &b); return String(decoding: b, as: UTF8.self) }

    @Test func dateArithmetic() throws {
        #expect(Self.text(date: try SQLDate.adding(days: 1, to: Self.date("2026-01-31"))) == "2026-02-01")
        #expect(try SQLDate.difference(Self.date("2026-03-01"), Self.date("2026-02-01")) == 28)
        #expect(Self.text(ts: try SQLDate.adding(Interval(months: 1), to: Self.date("2026-01-31"))) == "2026-02-28 00:00:00")
        #expect(Self.text(ts: try SQLDate.adding(Interval(microseconds: -3_600_000_000), to: Self.date("2026-01-31"))) == "2026-01-30 23:00:00")
        #expect(throws: FreshetError.self) { try SQLDate.adding(days: 1, to: Self.date("5874897-12-31")) }
        #expect(throws: FreshetError.self) { try SQLDate.difference(Int32.max, 0) }
    }

    @Test func timeArithmetic() {
        #expect(Self.text(time: SQLDate.adding(Interval(microseconds: 7_200_000_000), toTime: 82_800_000_000)) == "01:00:00")
        #expect(Self.text(time: SQLDate.adding(Interval(microseconds: -7_200_000_000), toTime: 3_600_000_000)) == "23:00:00")
        #expect(SQLDate.difference(time: 43_200_000_000, 48_600_000_000).description == "-01:30:00")
    }

    @Test func extraction() throws {
        #expect(try SQLDate.extract(.epoch, from: Self.date("1969-12-31")).description == "-86400")
        #expect(try SQLDate.extract(.dayOfWeek, from: Self.date("2026-01-31")).description == "6")
        #expect(try SQLDate.extract(.year, from: Self.date("0044-03-15 BC")).description == "-44")
        #expect(throws: FreshetError.self) { try SQLDate.extract(.second, from: 0) }
        #expect(try SQLDate.extract(.second, fromTime: 45_296_500_000).description == "56.500000")
        #expect(try SQLDate.extract(.hour, fromTime: 45_296_500_000).description == "12")
        #expect(try SQLDate.extract(.epoch, fromTime: 45_296_500_000).description == "45296.500000")
        #expect(throws: FreshetError.self) { try SQLDate.extract(.day, fromTime: 0) }
    }
}
