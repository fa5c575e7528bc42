import Testing
@testable import FreshetCore

/// Expected strings below were produced by PostgreSQL 15 (`numeric` operators).
@Suite struct DecimalTests {
    static func d(_ s: String) throws -> Decimal { try Decimal(parsing: s) }

    // (a, b, a+b, a-b, a*b, a/b, mod(a,b)) as PostgreSQL 15 prints them.
    static let arithmetic: [(String, String, String, String, String, String, String)] = [
        ("1", "3", "4", "-2", "3", "0.33333333333333333333", "1"),
        ("1.50", "1.5", "3.00", "0.00", "2.250", "1.00000000000000000000", "0.00"),
        ("10", "4", "14", "6", "40", "2.5000000000000000", "2"),
        ("3", "2", "5", "1", "6", "1.5000000000000000", "1"),
        ("2", "3", "5", "-1", "6", "0.66666666666666666667", "2"),
        ("-7.25", "2", "-5.25", "-9.25", "-14.50", "-3.6250000000000000", "-1.25"),
        ("0.001", "7", "7.001", "-6.999", "0.007", "0.00014285714285714286", "0.001"),
        ("123456789.123", "0.0001", "123456789.1231", "123456789.1229", "12345.6789123", "1234567891230.00000000", "0.0000"),
        ("1", "7", "8", "-6", "7", "0.14285714285714285714", "1"),
        ("22", "7", "29", "15", "154", "3.1428571428571429", "1"),
        ("100", "0.5", "100.5", "99.5", "50.0", "200.0000000000000000", "0.0"),
        ("-1", "3", "2", "-4", "-3", "-0.33333333333333333333", "-1"),
        ("0.5", "-0.25", "0.25", "0.75", "-0.125", "-2.0000000000000000", "0.00"),
        ("99999999999999999999", "3", "100000000000000000002", "99999999999999999996", "299999999999999999997", "33333333333333333333", "0"),
        ("12345.6789", "-98.7", "12246.9789", "12444.3789", "-1218518.50743", "-125.0828662613981763", "8.1789"),
        ("0", "5", "5", "-5", "0", "0.00000000000000000000", "0"),
        ("1.000", "8", "9.000", "-7.000", "8.000", "0.12500000000000000000", "1.000"),
        ("7", "1000", "1007", "-993", "7000", "0.00700000000000000000", "7"),
        ("0.00001", "3", "3.00001", "-2.99999", "0.00003", "0.000003333333333333333333", "0.00001"),
        ("5", "0.00001", "5.00001", "4.99999", "0.00005", "500000.000000000000", "0.00000"),
        ("1e10", "3", "10000000003", "9999999997", "30000000000", "3333333333.33333333", "1"),
        ("2.5", "2.5", "5.0", "0.0", "6.25", "1.00000000000000000000", "0.0"),
        ("9999", "10000", "19999", "-1", "99990000", "0.99990000000000000000", "9999"),
        ("10000", "9999", "19999", "1", "99990000", "1.0001000100010001", "1"),
    ]

    @Test(arguments: arithmetic)
    func arithmeticMatchesPostgres(_ row: (String, String, String, String, String, String, String)) throws {
        let a = try Self.d(row.0), b = try Self.d(row.1)
        #expect(try a.adding(b).description == row.2)
        #expect(try a.subtracting(b).description == row.3)
        #expect(try a.multiplied(by: b).description == row.4)
        #expect(try a.divided(by: b).description == row.5)
        #expect(try a.remainder(dividingBy: b).description == row.6)
    }

    @Test func equalityAndHashIgnoreTrailingZeros() throws {
        let a = try Self.d("1.50"), b = try Self.d("1.5"), c = try Self.d("1.500000")
        #expect(a == b && b == c)
        #expect(a.hashValue == b.hashValue && b.hashValue == c.hashValue)
        #expect(Set([a, b, c]).count == 1)
        #expect(Set([Value.decimal(a), .decimal(b)]).count == 1)
        #expect(try Self.d("0.00") == Decimal.zero)
        #expect(try Self.d("0.00").hashValue == Decimal.zero.hashValue)
        #expect(try Self.d("1.51") != b)
        #expect(a.description == "1.50" && b.description == "1.5")   // scale kept for display
    }

    @Test func ordering() throws {
        let sorted = try ["-10", "-1.5", "-1.25", "0", "0.001", "1", "1.0001", "99999999999999999999999999999999999999"].map(Self.d)
        for i in 0..<sorted.count {
            for j in 0..<sorted.count {
                #expect(sorted[i].compare(sorted[j]) == (i < j ? -1 : (i == j ? 0 : 1)))
            }
        }
        // A large integer against a value with many fraction digits (rescaling would overflow).
        let big = try Self.d("12345678901234567890123456789012345678")
        let small = try Self.d("0.0000000000000000000000000000000000001")
        #expect(big.compare(small) == 1 && small.compare(big) == -1)
        #expect(big.negated.compare(small) == -1)
    }

    // round / trunc / floor / ceil as PostgreSQL 15 prints them.
    @Test func rounding() throws {
        #expect(try Self.d("2.5").rounded(scale: 0).description == "3")
        #expect(try Self.d("-2.5").rounded(scale: 0).description == "-3")
        #expect(try Self.d("1.2345").rounded(scale: 2).description == "1.23")
        #expect(try Self.d("-1.2355").rounded(scale: 3).description == "-1.236")
        #expect(try Self.d("1234.5").rounded(scale: -2).description == "1200")
        #expect(try Self.d("1.5").rounded(scale: 4).description == "1.5000")
        #expect(try Self.d("-1.99").truncated(scale: 1).description == "-1.9")
        #expect(try Self.d("-1.5").floor().description == "-2")
        #expect(try Self.d("-1.5").ceiling().description == "-1")
        #expect(try Self.d("1.5").floor().description == "1")
        #expect(try Self.d("1.2").ceiling().description == "2")
    }

    @Test func precisionAndScale() throws {
        #expect(try Self.d("1.005").coerced(precision: 2, scale: 1).description == "1.0")
        #expect(try Self.d("0.5").coerced(precision: 1, scale: 1).description == "0.5")
        #expect(try Self.d("7").coerced(precision: nil, scale: nil).description == "7")
        func detail(_ s: String, _ p: Int, _ sc: Int) -> String? {
            do { _ = try Self.d(s).coerced(precision: p, scale: sc); return nil } catch let e as FreshetError {
                return "\(e.state.code) \(e.message) / \(e.detail ?? "")"
            } catch { return "\(error)" }
        }
        #expect(detail("10", 2, 2) == "22003 numeric field overflow / A field with precision 2, scale 2 must round to an absolute value less than 1.")
        #expect(detail("-0.95", 1, 1) == "22003 numeric field overflow / A field with precision 1, scale 1 must round to an absolute value less than 1.")
        #expect(detail("12345.678", 5, 2) == "22003 numeric field overflow / A field with precision 5, scale 2 must round to an absolute value less than 10^3.")
        #expect(detail("999.99", 5, 2) == nil)
    }

    @Test func conversions() throws {
        // float8 → numeric (PostgreSQL: 15 significant digits), float4 → numeric (6)
        #expect(try Decimal(0.1).description == "0.1")
        #expect(try Decimal(1.0 / 3.0).description == "0.333333333333333")
        #expect(try Decimal(1e20).description == "100000000000000000000")
        #expect(try Decimal(1.5e-5).description == "0.000015")
        #expect(try Decimal(123456789012345678.0).description == "123456789012346000")
        #expect(try Decimal(Double(Float(2.0 / 3.0)), significantDigits: 6).description == "0.666667")
        #expect(throws: FreshetError.self) { try Decimal(Double.nan) }
        // numeric → float8 (correctly rounded)
        #expect(try Self.d("0.1").doubleValue == 0.1)
        #expect(try Self.d("12345678901234567890.123").doubleValue == 1.2345678901234567e+19)
        #expect(try Self.d("1e-30").doubleValue == 1e-30)
        // numeric → bigint rounds half away from zero
        #expect(try Self.d("2.5").toInt64() == 3)
        #expect(try Self.d("-2.5").toInt64() == -3)
        #expect(try Self.d("9223372036854775807.4").toInt64() == Int64.max)
        #expect(throws: FreshetError.self) { try Self.d("9223372036854775807.5").toInt64() }
    }

    @Test func overflowIsAnErrorNotATrap() throws {
        let max = try Self.d("99999999999999999999999999999999999999")   // 38 nines
        #expect(max.mantissa == Decimal.maxMantissa)
        #expect(throws: FreshetError.self) { try max.adding(Decimal(1)) }
        #expect(throws: FreshetError.self) { try max.multiplied(by: Decimal(10)) }
        #expect(throws: FreshetError.self) { try max.divided(by: Self.d("0.1")) }
        #expect(throws: FreshetError.self) { try Self.d("1e38") }
        do {
            _ = try max.adding(max)
            Issue.record("expected 22003")
        } catch let e as FreshetError {
            #expect(e.state == .numericValueOutOfRange)
        }
        #expect(throws: FreshetError.self) { try Decimal(1).divided(by: .zero) }
        // Results with too many fraction digits give up scale, not correctness.
        let third = try Self.d("0.33333333333333333333")
        let p = try third.multiplied(by: third)   // 40 fraction digits exactly; rounded to 38
        #expect(p.scale == 38)
        #expect(p.description == "0.11111111111111111110888888888888888889")
        #expect(try Self.d("1e-40").description == "0.0000000000000000000000000000000000000001")
    }

    @Test func parsing() throws {
        #expect(try Self.d("12.345") == Decimal(mantissa: 12345, scale: 3))
        #expect(try Self.d("-0.5") == Decimal(mantissa: -5, scale: 1))
        #expect(try Self.d("1e3").description == "1000")
        #expect(try Self.d(".5").description == "0.5")
        #expect(try Self.d("5.").description == "5")
        #expect(try Self.d("1.5E-3").description == "0.0015")
        for bad in ["", " ", "abc", "1e", ".", "1.2.3", "--1", "1 2", "e5"] {
            #expect(throws: FreshetError.self, "\(bad)") { try Self.d(bad) }
        }
        // 40 significant digits: the last two are rounded away.
        #expect(try Self.d("0.1234567890123456789012345678901234567890").description == "0.12345678901234567890123456789012345679")
        #expect(throws: FreshetError.self) { try Self.d("NaN") }
    }

    @Test func divisionScaleFollowsPostgres() throws {
        // avg() is sum / count: PostgreSQL prints 16 fraction digits here.
        #expect(try Decimal(3).divided(by: Decimal(2)).description == "1.5000000000000000")
        #expect(try Decimal(1).divided(by: Decimal(3)).description == "0.33333333333333333333")
        #expect(try Decimal(2).divided(by: Decimal(3)).description == "0.66666666666666666667")
        #expect(try Decimal(-2).divided(by: Decimal(3)).description == "-0.66666666666666666667")
        #expect(Decimal.divisionScale(try Self.d("1.000"), Decimal(8)) == 20)
    }
}
