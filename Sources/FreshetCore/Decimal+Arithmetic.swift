/// Exact decimal arithmetic with PostgreSQL's result scales:
/// `+`/`−` keep the larger scale, `×` the sum of the scales, `÷` PostgreSQL's
/// `select_div_scale` (at least 16 significant digits, never fewer fraction
/// digits than either input). A result keeps that scale when it fits in 38
/// digits; otherwise its scale is reduced, rounding half away from zero, and
/// only when even its integer part does not fit does the operation raise
/// 22003 "numeric field overflow".
extension Decimal {
    /// PostgreSQL's NUMERIC_MIN_SIG_DIGITS, the significant digits a quotient gets at least.
    static let minimumSignificantDigits = 16

    // MARK: Comparison

    /// −1, 0 or 1 as `self` is less than, equal to or greater than `other`, by value.
    public func compare(_ other: Decimal) -> Int {
        if scale == other.scale { return mantissa < other.mantissa ? -1 : (mantissa == other.mantissa ? 0 : 1) }
        let sa = signum, sb = other.signum
        if sa != sb { return sa < sb ? -1 : 1 }
        if sa == 0 { return 0 }
        // Same non-zero sign: compare at the larger scale; an overflow means
        // the rescaled side is the larger magnitude.
        if scale < other.scale {
            guard let a = Decimal.rescaleRaw(mantissa, by: other.scale - scale) else { return sa }
            return a < other.mantissa ? -1 : (a == other.mantissa ? 0 : 1)
        } else {
            guard let b = Decimal.rescaleRaw(other.mantissa, by: scale - other.scale) else { return -sa }
            return mantissa < b ? -1 : (mantissa == b ? 0 : 1)
        }
    }

    /// `m × 10^by` in Int128 (not limited to 38 digits), nil on overflow.
    static func rescaleRaw(_ m: Int128, by: Int) -> Int128? {
        if m == 0 { return 0 }
        if by > 38 { return nil }
        let (r, o) = m.multipliedReportingOverflow(by: powerOfTen[by])
        return o ? nil : r
    }

    public static func < (a: Decimal, b: Decimal) -> Bool { a.compare(b) < 0 }
}

extension Decimal: Comparable {}

extension Decimal {

    // MARK: Sign

    public var negated: Decimal { Decimal(mantissa: -mantissa, scale: scale) }
    public var magnitude: Decimal { Decimal(mantissa: mantissa < 0 ? -mantissa : mantissa, scale: scale) }

    // MARK: Addition and subtraction

    /// `self + other` at the larger of the two scales.
    public func adding(_ other: Decimal) throws -> Decimal {
        let s = Swift.max(scale, other.scale)
        if let a = Decimal.rescaleRaw(mantissa, by: s - scale),
           let b = Decimal.rescaleRaw(other.mantissa, by: s - other.scale) {
            let (r, o) = a.addingReportingOverflow(b)
            if !o, r.magnitude <= Decimal.maxMantissa.magnitude { return Decimal(mantissa: r, scale: s) }
        }
        return try Decimal.addWide(self, other, scale: s)
    }

    /// `self − other` at the larger of the two scales.
    public func subtracting(_ other: Decimal) throws -> Decimal {
        try adding(other.negated)
    }

    /// The slow path of addition: exact in 256 bits, then fitted to 38 digits.
    private static func addWide(_ x: Decimal, _ y: Decimal, scale s: Int) throws -> Decimal {
        guard s - x.scale <= 38 || x.mantissa == 0, s - y.scale <= 38 || y.mantissa == 0 else { throw overflowError() }
        let ax = x.mantissa == 0 ? UInt256(0) : UInt256.product(x.mantissa.magnitude, UInt128(powerOfTen[s - x.scale]))
        let ay = y.mantissa == 0 ? UInt256(0) : UInt256.product(y.mantissa.magnitude, UInt128(powerOfTen[s - y.scale]))
        let nx = x.mantissa < 0, ny = y.mantissa < 0
        if nx == ny {
            guard let sum = ax.adding(ay) else { throw overflowError() }
            return try fit(sum, negative: nx, scale: s, minimumScale: 0)
        }
        // Opposite signs: subtract the smaller magnitude from the larger.
        let (big, small, negative) = ay < ax ? (ax, ay, nx) : (ay, ax, ny)
        var diffLow = big.low &- small.low
        var diffHigh = big.high &- small.high
        if big.low < small.low { diffHigh &-= 1 }
        if diffHigh == 0 && diffLow == 0 { diffLow = 0 }
        return try fit(UInt256(high: diffHigh, low: diffLow), negative: negative, scale: s, minimumScale: 0)
    }

    // MARK: Multiplication

    /// `self × other`, exact at scale `self.scale + other.scale` when that fits.
    public func multiplied(by other: Decimal) throws -> Decimal {
        let s = scale + other.scale
        let (r, o) = mantissa.multipliedReportingOverflow(by: other.mantissa)
        if !o, r.magnitude <= Decimal.maxMantissa.magnitude, s <= Decimal.maxScale {
            return Decimal(mantissa: r, scale: s)
        }
        let p = UInt256.product(mantissa.magnitude, other.mantissa.magnitude)
        return try Decimal.fit(p, negative: (mantissa < 0) != (other.mantissa < 0), scale: s, minimumScale: 0)
    }

    // MARK: Division

    /// `self ÷ other` rounded half away from zero at PostgreSQL's division scale.
    /// Throws 22012 "division by zero".
    public func divided(by other: Decimal) throws -> Decimal {
        guard other.mantissa != 0 else { throw FreshetError(.divisionByZero, "division by zero") }
        return try divided(by: other, resultScale: Decimal.divisionScale(self, other))
    }

    /// `self ÷ other` rounded half away from zero at the given scale (reduced
    /// if the quotient would not fit in 38 digits).
    public func divided(by other: Decimal, resultScale: Int) throws -> Decimal {
        guard other.mantissa != 0 else { throw FreshetError(.divisionByZero, "division by zero") }
        if mantissa == 0 { return Decimal(mantissa: 0, scale: resultScale) }
        let negative = (mantissa < 0) != (other.mantissa < 0)
        let divisor = other.mantissa.magnitude
        var rs = resultScale
        // Estimate the quotient's integer digits to pick a scale that fits.
        let intDigits = (digitCount - scale) - (other.digitCount - other.scale) + 1
        if intDigits + rs > 38 { rs = Swift.max(0, 38 - Swift.max(intDigits, 0)) }
        while true {
            // quotient = |a| × 10^k / |b| where k = rs − a.scale + b.scale
            let k = rs - scale + other.scale
            var numerator = UInt256(mantissa.magnitude)
            var divisorWide = divisor
            var extraDivisor: UInt128 = 1
            if k >= 0 {
                var left = k
                var ok = true
                while left > 0 {
                    let step = Swift.min(left, 38)
                    guard let n = numerator.multiplied(by: UInt128(Decimal.powerOfTen[step])) else { ok = false; break }
                    numerator = n
                    left -= step
                }
                if !ok {
                    if rs == 0 { throw Decimal.overflowError() }
                    rs -= 1
                    continue
                }
            } else {
                // Divide by an extra 10^-k: fold it into the divisor when it fits.
                let (d, o) = divisor.multipliedReportingOverflow(by: -k <= 38 ? UInt128(Decimal.powerOfTen[-k]) : 0)
                if -k > 38 || o {
                    extraDivisor = -k <= 38 ? UInt128(Decimal.powerOfTen[-k]) : 0
                    if extraDivisor == 0 { return Decimal(mantissa: 0, scale: rs) }
                } else {
                    divisorWide = d
                }
            }
            var (q, r) = numerator.quotientAndRemainder(dividingBy: divisorWide)
            var roundUp = r.magnitude >= divisorWide - r  // 2r >= d without overflow
            if extraDivisor != 1 {
                let (q2, r2) = q.quotientAndRemainder(dividingBy: extraDivisor)
                q = q2
                roundUp = r2 >= extraDivisor - r2  // 2·r2 ≥ 10^j: the dropped part is at least one half
            }
            if roundUp { q = q.adding(UInt256(1)) ?? q }
            guard let qm = q.uint128, qm <= UInt128(Decimal.maxMantissa) else {
                if rs == 0 { throw Decimal.overflowError() }
                rs -= 1
                continue
            }
            let m = Int128(qm)
            return Decimal(mantissa: negative ? -m : m, scale: rs)
        }
    }

    /// PostgreSQL's `select_div_scale` (numeric.c), computed on base-10000
    /// digit groups as PostgreSQL stores them, so `1/3` gets 20 fraction digits
    /// and `3/2` 16.
    public static func divisionScale(_ a: Decimal, _ b: Decimal) -> Int {
        let (w1, f1) = a.baseTenThousandLeading
        let (w2, f2) = b.baseTenThousandLeading
        var qweight = w1 - w2
        if f1 <= f2 { qweight -= 1 }
        var rscale = minimumSignificantDigits - qweight * 4
        rscale = Swift.max(rscale, a.scale)
        rscale = Swift.max(rscale, b.scale)
        rscale = Swift.max(rscale, 0)
        rscale = Swift.min(rscale, maxScale)
        return rscale
    }

    /// The weight and value of the first non-zero base-10000 digit (0, 0 for zero).
    var baseTenThousandLeading: (weight: Int, digit: Int) {
        let d = digitCount
        if d == 0 { return (0, 0) }
        let e = d - 1 - scale                       // decimal exponent of the leading digit
        let w = e >= 0 ? e / 4 : -((-e + 3) / 4)    // floor(e / 4)
        let n = e - 4 * w + 1                       // digits in the leading group (1…4)
        let m = mantissa.magnitude
        let fd: UInt128 = d >= n ? m / UInt128(Decimal.powerOfTen[d - n]) : m * UInt128(Decimal.powerOfTen[n - d])
        return (w, Int(fd))
    }

    /// `self mod other` (sign of the dividend, as PostgreSQL), at the larger scale.
    public func remainder(dividingBy other: Decimal) throws -> Decimal {
        guard other.mantissa != 0 else { throw FreshetError(.divisionByZero, "division by zero") }
        let s = Swift.max(scale, other.scale)
        guard let a = Decimal.rescaleRaw(mantissa, by: s - scale) else {
            // |self| is huge compared with other's scale: go through the quotient.
            let q = try divided(by: other, resultScale: 0)
            let t = try q.truncated(scale: 0).multiplied(by: other)
            return try subtracting(t)
        }
        guard let b = Decimal.rescaleRaw(other.mantissa, by: s - other.scale) else {
            return Decimal(mantissa: a, scale: s)  // |other| > |self|
        }
        return Decimal(mantissa: a % b, scale: s)
    }

    // MARK: Rounding

    /// Rounds half away from zero to `newScale` digits after the point (as
    /// PostgreSQL's `round(numeric, int)`); a negative scale rounds to tens,
    /// hundreds… and gives scale 0. Raising the scale pads with zeros.
    public func rounded(scale newScale: Int) throws -> Decimal {
        try changeScale(to: newScale, roundHalfAway: true)
    }

    /// Truncates toward zero to `newScale` digits after the point (`trunc`).
    public func truncated(scale newScale: Int) throws -> Decimal {
        try changeScale(to: newScale, roundHalfAway: false)
    }

    private func changeScale(to newScale: Int, roundHalfAway: Bool) throws -> Decimal {
        if newScale >= scale {
            let target = Swift.min(newScale, Decimal.maxScale)
            if mantissa == 0 { return Decimal(mantissa: 0, scale: target) }
            guard let m = Decimal.scaleUp(mantissa, by: target - scale) else { throw Decimal.overflowError() }
            return Decimal(mantissa: m, scale: target)
        }
        let drop = scale - newScale
        let resultScale = Swift.max(newScale, 0)
        if drop > 38 { return Decimal(mantissa: 0, scale: resultScale) }
        let p = Decimal.powerOfTen[drop]
        var q = mantissa / p
        let r = mantissa % p
        if roundHalfAway, r.magnitude >= (p.magnitude - r.magnitude) { q += mantissa < 0 ? -1 : 1 }
        if newScale < 0 {
            guard let m = Decimal.scaleUp(q, by: -newScale) else { throw Decimal.overflowError() }
            return Decimal(mantissa: m, scale: 0)
        }
        guard q.magnitude <= Decimal.maxMantissa.magnitude else { throw Decimal.overflowError() }
        return Decimal(mantissa: q, scale: resultScale)
    }

    /// The largest integral value not greater than `self` (scale 0).
    public func floor() throws -> Decimal {
        let t = try truncated(scale: 0)
        if mantissa < 0, t.compare(self) != 0 { return try t.adding(Decimal(-1)) }
        return t
    }

    /// The smallest integral value not less than `self` (scale 0).
    public func ceiling() throws -> Decimal {
        let t = try truncated(scale: 0)
        if mantissa > 0, t.compare(self) != 0 { return try t.adding(Decimal(1)) }
        return t
    }

    // MARK: Fitting wide results

    /// Turns an exact 256-bit magnitude at `scale` into a Decimal, reducing the
    /// scale (rounding half away from zero) until the mantissa has at most 38
    /// digits; 22003 if that needs a scale below `minimumScale`.
    static func fit(_ value: UInt256, negative: Bool, scale: Int, minimumScale: Int) throws -> Decimal {
        var v = value
        var s = scale
        let digits = v.digitCount
        var drop = Swift.max(digits - 38, 0)
        if s - drop > maxScale { drop = s - maxScale }
        while true {
            if drop > s - minimumScale { throw overflowError() }
            if drop > 0 {
                // Truncate all but the last dropped digit exactly, then round on that digit:
                // round(v / 10^d) = floor((floor(v / 10^(d-1)) + 5) / 10).
                var w = value
                var left = drop - 1
                while left > 0 {
                    let step = Swift.min(left, 38)
                    w = w.quotientAndRemainder(dividingBy: UInt128(powerOfTen[step])).quotient
                    left -= step
                }
                let (qq, lastDigit) = w.quotientAndRemainder(dividingBy: 10)
                var q = qq
                let roundUp = lastDigit >= 5
                if roundUp { q = q.adding(UInt256(1)) ?? q }
                v = q
                s = scale - drop
            }
            if let m = v.uint128, m <= UInt128(maxMantissa) {
                let im = Int128(m)
                return Decimal(mantissa: negative ? -im : im, scale: s)
            }
            drop += 1  // rounding carried into a 39th digit
            v = value
            s = scale
        }
    }

    // MARK: DECIMAL(p, s)

    /// Applies a DECIMAL(precision, scale) column type as PostgreSQL's
    /// `apply_typmod`: rounds to `scale`, then requires fewer than
    /// `precision − scale` integer digits (22003 with PostgreSQL's detail).
    /// Unconstrained NUMERIC (precision nil) returns the value unchanged.
    public func coerced(precision: Int?, scale targetScale: Int?) throws -> Decimal {
        guard let precision else { return self }
        let s = targetScale ?? 0
        let r = try rounded(scale: s)
        let maxDigits = precision - s
        // The rounded value must be below 10^(p-s) in magnitude.
        if r.mantissa != 0 {
            let integerDigits = r.digitCount - r.scale
            if integerDigits > maxDigits {
                throw FreshetError(.numericValueOutOfRange, "numeric field overflow",
                                   detail: "A field with precision \(precision), scale \(s) must round to an absolute value less than \(maxDigits > 0 ? "10^\(maxDigits)" : "1").")
            }
        }
        return r
    }

    // MARK: Integers and doubles

    /// Rounds half away from zero to an integer; 22003 "bigint out of range" if it does not fit.
    public func toInt64() throws -> Int64 {
        guard let v = roundedInteger(), let i = Int64(exactly: v) else {
            throw FreshetError(.numericValueOutOfRange, "bigint out of range")
        }
        return i
    }

    /// The value rounded half away from zero to an integer (nil if beyond Int128).
    public func roundedInteger() -> Int128? {
        if scale == 0 { return mantissa }
        if scale > 38 { return 0 }
        let p = Decimal.powerOfTen[scale]
        var q = mantissa / p
        let r = mantissa % p
        if r.magnitude >= p.magnitude - r.magnitude { q += mantissa < 0 ? -1 : 1 }
        return q
    }

    /// The nearest Double (correctly rounded, as PostgreSQL's numeric → float8 via strtod).
    public var doubleValue: Double {
        let m = mantissa.magnitude
        if m < (1 << 53) {
            if scale == 0 { return Double(mantissa) }
            if scale <= 22 { return Double(mantissa) / Double.exactPowerOfTen[scale] }
        }
        var text: [UInt8] = []
        appendText(to: &text)
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    /// A Double as PostgreSQL's float8 → numeric cast does: rounded to
    /// `significantDigits` (15 for double, 6 for real) and then parsed, so
    /// `0.1::float8::numeric` is `0.1`. NaN and infinities raise 0A000.
    public init(_ value: Double, significantDigits: Int = 15) throws {
        guard value.isFinite else {
            throw FreshetError(.featureNotSupported, value.isNaN ? "cannot convert NaN to numeric" : "cannot convert infinity to numeric")
        }
        if value == 0 { self = .zero; return }
        var sd = ShortestDecimal(value)
        sd.round(toSignificantDigits: significantDigits)
        // value = significand × 10^(exponent − (digitCount − 1))
        var m = Int128(sd.significand)
        let e = sd.exponent - (sd.digitCount - 1)
        if e >= 0 {
            guard let v = Decimal.scaleUp(m, by: e) else { throw Decimal.overflowError() }
            m = v
            self.init(mantissa: sd.negative ? -m : m, scale: 0)
        } else {
            self.init(mantissa: sd.negative ? -m : m, scale: -e)
        }
    }
}

extension Double {
    /// 10^0 … 10^22, the powers of ten a Double holds exactly.
    static let exactPowerOfTen: [Double] = (0...22).map { e in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }
}
