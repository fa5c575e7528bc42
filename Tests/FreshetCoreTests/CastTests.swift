import Testing
@testable import FreshetCore

/// CAST results; expected strings are PostgreSQL 15's output for the same casts.
@Suite struct CastTests {
    static func cast(_ v: Value, _ from: DataType, _ to: DataType, explicit: Bool = true) -> String {
        do {
            let r = try v.cast(to: to, from: from, explicit: explicit)
            return r.isNull ? "NULL" : r.pgText(as: to)
        } catch let e as FreshetError {
            return "ERROR \(e.state.code): \(e.message)"
        } catch { return "\(error)" }
    }

    static let cases: [(Value, DataType, DataType, String)] = [
        (.double(12.7), .double, .smallint, "13"),
        (.double(2.5), .double, .integer, "2"),          // rint: half to even, as PostgreSQL
        (.double(3.5), .double, .integer, "4"),
        (.double(-2.5), .double, .integer, "-2"),
        (.double(1e10), .double, .integer, "ERROR 22003: integer out of range"),
        (.double(.nan), .double, .integer, "ERROR 22003: integer out of range"),
        (.decimal(Decimal(mantissa: 25, scale: 1)), .decimal(precision: nil, scale: nil), .integer, "3"),
        (.decimal(Decimal(mantissa: -25, scale: 1)), .decimal(precision: nil, scale: nil), .integer, "-3"),
        (.decimal(Decimal(mantissa: 37, scale: 1)), .decimal(precision: nil, scale: nil), .integer, "4"),
        (.decimal(Decimal(mantissa: 21474836475, scale: 1)), .decimal(precision: nil, scale: nil), .integer, "ERROR 22003: integer out of range"),
        (.int(100_000), .integer, .smallint, "ERROR 22003: smallint out of range"),
        (.int(3_000_000_000), .bigint, .integer, "ERROR 22003: integer out of range"),
        (.int(300), .integer, .tinyint, "ERROR 22003: tinyint out of range"),
        (.int(12), .bigint, .real, "12"),
        (.int(16_777_217), .integer, .real, "1.6777216e+07"),
        (.double(1e300), .double, .real, "ERROR 22003: value out of range: overflow"),
        (.int(123), .integer, .decimal(precision: 2, scale: 0), "ERROR 22003: numeric field overflow"),
        (.double(1.5), .double, .decimal(precision: 3, scale: 1), "1.5"),
        (.double(0.1), .double, .decimal(precision: nil, scale: nil), "0.1"),
        (.double(Double(Float(2.0 / 3.0))), .real, .decimal(precision: nil, scale: nil), "0.666667"),
        (.int(1), .integer, .boolean, "t"),
        (.int(0), .integer, .boolean, "f"),
        (.int(5), .bigint, .boolean, "ERROR 42846: cannot cast type bigint to boolean"),
        (.bool(true), .boolean, .integer, "1"),
        (.bool(true), .boolean, .text, "true"),
        (.string("t"), .text, .boolean, "t"),
        (.string("  5 "), .text, .integer, "5"),
        (.string("1.5"), .text, .integer, "ERROR 22P02: invalid input syntax for type integer: \"1.5\""),
        (.string("1 day"), .text, .interval, "1 day"),
        (.string("\\x41"), .text, .bytea, "\\x41"),
        (.bytes([0x41]), .bytea, .text, "\\x41"),
        (.decimal(Decimal(mantissa: 12345, scale: 3)), .decimal(precision: nil, scale: nil), .text, "12.345"),
        (.double(1.5), .real, .text, "1.5"),
        (.date(20_484), .date, .text, "2026-01-31"),
        (.interval(Interval(days: 1)), .interval, .text, "1 day"),
        (.string("abc  "), .char(5), .text, "abc"),
        (.string("abcdef"), .text, .varchar(3), "abc"),
        (.string("x"), .text, .char(3), "x  "),
        (.timestamp(1_769_860_800_000_000), .timestamp, .date, "2026-01-31"),
        (.timestamp(Timestamp.negativeInfinity), .timestamp, .date, "-infinity"),
        (.date(Int32.max), .date, .timestamp, "infinity"),
        (.date(20_484), .date, .timestamp, "2026-01-31 00:00:00"),
        (.timestamp(1_769_862_896_789_000), .timestamp, .time, "12:34:56.789"),
        (.date(0), .date, .time, "ERROR 42846: cannot cast type date to time without time zone"),
        (.time(45_240_000_000), .time, .interval, "12:34:00"),
        (.interval(Interval(microseconds: -3_600_000_000)), .interval, .time, "23:00:00"),
        (.interval(Interval(days: 1, microseconds: 90_000_000_000)), .interval, .time, "01:00:00"),
        (.int(1), .integer, .date, "ERROR 42846: cannot cast type integer to date"),
        (.bytes([1]), .bytea, .integer, "ERROR 42846: cannot cast type bytea to integer"),
        (.null, .integer, .date, "NULL"),
    ]

    @Test(arguments: cases)
    func castMatchesPostgres(_ row: (Value, DataType, DataType, String)) {
        #expect(Self.cast(row.0, row.1, row.2) == row.3, "\(row.0)::\(row.1.sqlName) → \(row.2.sqlName)")
    }

    @Test func assignmentDoesNotTruncate() {
        // INSERT into varchar(3): an error unless only spaces are cut (PostgreSQL's varchar()).
        #expect(Self.cast(.string("abcd"), .text, .varchar(3), explicit: false) == "ERROR 22001: value too long for type character varying(3)")
        #expect(Self.cast(.string("abc   "), .text, .varchar(3), explicit: false) == "abc")
        #expect(Self.cast(.string("abcd"), .text, .char(3), explicit: false) == "ERROR 22001: value too long for type character(3)")
        #expect(Self.cast(.string("日本語x"), .text, .varchar(3)) == "日本語")
    }
}

/// Ordering and three-valued comparison (PostgreSQL semantics).
@Suite struct CompareTests {
    @Test func nullsSortLast() {
        var values: [Value] = [.int(3), .null, .int(1), .null, .int(2)]
        values.sort { Value.sortCompare($0, $1) < 0 }
        #expect(values == [.int(1), .int(2), .int(3), .null, .null])
        #expect(Value.sqlCompare(.null, .int(1)) == nil)
        #expect(Value.sqlEquals(.int(1), .null) == nil)
        #expect(Value.sqlEquals(.null, .null) == nil)
    }

    @Test func numbersCompareAcrossKinds() {
        #expect(Value.sqlEquals(.int(1), .double(1.0)) == true)
        #expect(Value.sqlEquals(.int(1), .decimal(Decimal(mantissa: 100, scale: 2))) == true)
        #expect(Value.sqlCompare(.int(Int64.max), .double(9.223372036854775807e18)) == -1)   // the double is 2^63
        #expect(Value.sqlCompare(.int(9_007_199_254_740_993), .double(9_007_199_254_740_992)) == 1)
        #expect(Value.sqlCompare(.double(1.5), .int(1)) == 1)
        #expect(Value.sqlCompare(.double(-1.5), .int(-1)) == -1)
        #expect(Value.sqlCompare(.decimal(Decimal(mantissa: 15, scale: 1)), .double(1.5)) == 0)
        #expect(Value.sqlCompare(.decimal(Decimal(mantissa: 15, scale: 1)), .int(2)) == -1)
    }

    @Test func nanIsEqualToItselfAndAboveEverything() {
        #expect(Value.sqlEquals(.double(.nan), .double(.nan)) == true)
        #expect(Value.sqlCompare(.double(.nan), .double(.infinity)) == 1)
        #expect(Value.sqlCompare(.int(Int64.max), .double(.nan)) == -1)
    }

    @Test func stringsCompareByBytes() {
        #expect(Value.sqlCompare(.string("B"), .string("a")) == -1)      // C collation
        #expect(Value.sqlCompare(.string("ab"), .string("abc")) == -1)
        #expect(Value.sqlCompare(.string("é"), .string("z")) == 1)       // UTF-8 bytes 0xC3… > 'z'
        #expect(Value.sqlCompare(.string("e\u{301}"), .string("é")) == -1) // not Unicode-canonical equality
        #expect(Value.sqlCompare(.bytes([1, 2]), .bytes([1, 2, 0])) == -1)
        #expect(Value.sqlCompare(.bytes([2]), .bytes([1, 255])) == 1)
    }

    @Test func temporalValues() {
        #expect(Value.sqlEquals(.date(20_484), .timestamp(20_484 * 86_400_000_000)) == true)
        #expect(Value.sqlCompare(.date(Int32.max), .timestamp(Timestamp.maximum)) == 1)
        #expect(Value.sqlCompare(.interval(Interval(months: 1)), .interval(Interval(days: 30))) == 0)
        #expect(Value.sqlCompare(.interval(Interval(months: 1)), .interval(Interval(days: 29, microseconds: 86_399_999_999))) == 1)
        #expect(Value.sqlCompare(.time(1), .time(0)) == 1)
        #expect(Value.sqlCompare(.bool(false), .bool(true)) == -1)
    }

    @Test func sortOrderIsTotal() {
        let values: [Value] = [.null, .bool(true), .int(1), .double(.nan), .decimal(Decimal(2)), .string("a"), .bytes([1]),
                               .date(0), .timestamp(5), .time(1), .interval(Interval(days: 1)), .double(-0.5)]
        for a in values {
            #expect(Value.sortCompare(a, a) == 0)
            for b in values {
                #expect(Value.sortCompare(a, b) == -Value.sortCompare(b, a))
                for c in values where Value.sortCompare(a, b) <= 0 && Value.sortCompare(b, c) <= 0 {
                    #expect(Value.sortCompare(a, c) <= 0)
                }
            }
        }
    }
}

/// Integer and float arithmetic checks (PostgreSQL's int.c / float.c messages).
@Suite struct SQLArithmeticTests {
    static func outcome(_ body: () throws -> Int64) -> String {
        do { return String(try body()) } catch let e as FreshetError { return "\(e.state.code) \(e.message)" } catch { return "\(error)" }
    }

    @Test func integerOverflowAndDivision() {
        #expect(Self.outcome { try SQLArithmetic.add(2_147_483_647, 1, as: .integer) } == "22003 integer out of range")
        #expect(Self.outcome { try SQLArithmetic.add(.max, 1) } == "22003 bigint out of range")
        #expect(Self.outcome { try SQLArithmetic.multiply(200, 200, as: .smallint) } == "22003 smallint out of range")
        #expect(Self.outcome { try SQLArithmetic.subtract(-128, 1, as: .tinyint) } == "22003 tinyint out of range")
        #expect(Self.outcome { try SQLArithmetic.divide(7, -2) } == "-3")
        #expect(Self.outcome { try SQLArithmetic.divide(1, 0) } == "22012 division by zero")
        #expect(Self.outcome { try SQLArithmetic.divide(.min, -1) } == "22003 bigint out of range")
        #expect(Self.outcome { try SQLArithmetic.divide(-2_147_483_648, -1, as: .integer) } == "22003 integer out of range")
        #expect(Self.outcome { try SQLArithmetic.remainder(-7, 2) } == "-1")
        #expect(Self.outcome { try SQLArithmetic.remainder(.min, -1) } == "0")
        #expect(Self.outcome { try SQLArithmetic.remainder(1, 0) } == "22012 division by zero")
        #expect(Self.outcome { try SQLArithmetic.negate(.min) } == "22003 bigint out of range")
        #expect(Self.outcome { try SQLArithmetic.abs(-5) } == "5")
    }

    @Test func floatChecks() throws {
        #expect(throws: FreshetError.self) { try SQLArithmetic.multiply(1e308, 10) }
        #expect(throws: FreshetError.self) { try SQLArithmetic.multiply(1e-308, 1e-308) }
        #expect(throws: FreshetError.self) { try SQLArithmetic.divide(1.0, 0.0) }
        #expect(throws: FreshetError.self) { try SQLArithmetic.multiply(1e38, 10, real: true) }
        #expect(try SQLArithmetic.add(.infinity, 1) == .infinity)
        #expect(try SQLArithmetic.divide(.nan, 0).isNaN)
        #expect(try SQLArithmetic.multiply(0, 1e-308) == 0)
        #expect(try SQLArithmetic.divide(1.0, 4.0) == 0.25)
    }
}

/// Grouping equality of `Value` (GROUP BY / DISTINCT).
@Suite struct ValueEqualityTests {
    @Test func groupingSemantics() {
        #expect(Value.double(.nan) == Value.double(.nan))
        #expect(Set([Value.double(.nan), .double(.nan), .double(0.0), .double(-0.0)]).count == 2)
        #expect(Value.decimal(Decimal(mantissa: 150, scale: 2)) == .decimal(Decimal(mantissa: 15, scale: 1)))
        #expect(Value.int(1) != .double(1))
        #expect(Value.string("é") != .string("e\u{301}"))   // bytewise, like PostgreSQL's C collation
        #expect(Set([Value.string("é"), .string("e\u{301}")]).count == 2)
        #expect(Value.null == .null)
        #expect(Set([Value.null, .null, .int(0)]).count == 2)
    }
}
