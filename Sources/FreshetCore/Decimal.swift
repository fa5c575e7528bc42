/// An exact decimal number: `mantissa × 10^-scale`, with a 128-bit mantissa
/// (38 significant digits, as DECIMAL(38, s)). Arithmetic is exact; an
/// operation that does not fit raises 22003 instead of rounding silently.
///
/// The scale is part of the value's display, as PostgreSQL's `dscale`:
/// `1.50` keeps two digits after the point when printed. Equality and hashing
/// are by numeric value, so `1.50 == 1.5` and both hash alike (GROUP BY and
/// DISTINCT put them together, as PostgreSQL does).
///
/// Invariants kept by every operation here: `0 <= scale <= Decimal.maxScale` and
/// `|mantissa| <= Decimal.maxMantissa`. Code building a Decimal through the
/// memberwise initialiser should keep them too (`Decimal.checked` verifies).
public struct Decimal: Hashable, Sendable {
    public var mantissa: Int128
    public var scale: Int
    public init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// 38 decimal digits: the most a mantissa may hold.
    public static let maxPrecision = 38
    /// The largest mantissa magnitude, 10^38 − 1.
    public static let maxMantissa: Int128 = powerOfTen[38] - 1
    /// The largest display scale (PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE).
    public static let maxScale = 1000

    public static let zero = Decimal(mantissa: 0, scale: 0)

    /// An integer as a decimal of scale 0.
    public init(_ value: Int64) {
        self.mantissa = Int128(value)
        self.scale = 0
    }

    /// Validates the invariants of a decimal built from raw parts.
    public static func checked(mantissa: Int128, scale: Int) throws -> Decimal {
        guard scale >= 0, scale <= maxScale, mantissa.magnitude <= maxMantissa.magnitude else {
            throw Decimal.overflowError()
        }
        return Decimal(mantissa: mantissa, scale: scale)
    }

    /// The value with trailing fractional zeros removed (`1.500` → `1.5`, `0.00` → `0`).
    public var normalized: Decimal {
        var m = mantissa
        var s = scale
        if m == 0 { return Decimal(mantissa: 0, scale: 0) }
        while s > 0, m % 10 == 0 {
            m /= 10
            s -= 1
        }
        return Decimal(mantissa: m, scale: s)
    }

    public static func == (a: Decimal, b: Decimal) -> Bool {
        if a.scale == b.scale { return a.mantissa == b.mantissa }
        return a.compare(b) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.mantissa)
        hasher.combine(n.scale)
    }

    /// −1, 0 or 1.
    public var signum: Int { mantissa < 0 ? -1 : (mantissa > 0 ? 1 : 0) }
    public var isZero: Bool { mantissa == 0 }

    /// The number of significant digits of the mantissa (0 for zero).
    public var digitCount: Int { Decimal.digitCount(mantissa.magnitude) }

    // MARK: - Internal helpers

    /// 10^0 … 10^38 as Int128.
    static let powerOfTen: [Int128] = {
        var table: [Int128] = []
        table.reserveCapacity(39)
        var p: Int128 = 1
        for _ in 0...38 {
            table.append(p)
            if table.count < 39 { p *= 10 }
        }
        return table
    }()

    static func digitCount(_ m: UInt128) -> Int {
        if m == 0 { return 0 }
        var n = 1
        var v = m
        while v >= 10_000_000_000 { v /= 10_000_000_000; n += 10 }
        while v >= 10 { v /= 10; n += 1 }
        return n
    }

    /// `m × 10^by`, or nil when it would not fit in 38 digits.
    static func scaleUp(_ m: Int128, by: Int) -> Int128? {
        if m == 0 || by == 0 { return m }
        guard by > 0, by <= 38 else { return by < 0 ? nil : nil }
        let (r, o) = m.multipliedReportingOverflow(by: powerOfTen[by])
        if o || r.magnitude > maxMantissa.magnitude { return nil }
        return r
    }

    static func overflowError() -> FreshetError {
        FreshetError(.numericValueOutOfRange, "numeric field overflow",
                     detail: "The result does not fit in 38 significant digits.")
    }
}
