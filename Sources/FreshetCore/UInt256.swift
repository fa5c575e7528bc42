/// A minimal unsigned 256-bit integer: just what exact decimal multiplication
/// and division need for their intermediate products (38 digits × 38 digits).
struct UInt256: Equatable {
    var high: UInt128
    var low: UInt128

    init(high: UInt128 = 0, low: UInt128) {
        self.high = high
        self.low = low
    }

    init(_ value: UInt128) { self.init(high: 0, low: value) }

    /// The full product of two 128-bit values (never overflows).
    static func product(_ a: UInt128, _ b: UInt128) -> UInt256 {
        let (h, l) = a.multipliedFullWidth(by: b)
        return UInt256(high: h, low: l)
    }

    /// `self × m`, or nil on overflow of 256 bits.
    func multiplied(by m: UInt128) -> UInt256? {
        let (h1, l1) = low.multipliedFullWidth(by: m)
        let (h2, l2) = high.multipliedFullWidth(by: m)
        if h2 != 0 { return nil }
        let (sum, o) = l2.addingReportingOverflow(h1)
        if o { return nil }
        return UInt256(high: sum, low: l1)
    }

    /// `self + b`, or nil on overflow.
    func adding(_ b: UInt256) -> UInt256? {
        let (l, c) = low.addingReportingOverflow(b.low)
        var (h, o) = high.addingReportingOverflow(b.high)
        if o { return nil }
        if c {
            (h, o) = h.addingReportingOverflow(1)
            if o { return nil }
        }
        return UInt256(high: h, low: l)
    }

    /// Quotient and remainder of division by a non-zero 128-bit divisor.
    func quotientAndRemainder(dividingBy d: UInt128) -> (quotient: UInt256, remainder: UInt128) {
        precondition(d != 0)
        let qh = high / d
        let rh = high % d
        let (ql, r) = d.dividingFullWidth((rh, low))
        return (UInt256(high: qh, low: ql), r)
    }

    static func < (a: UInt256, b: UInt256) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// The value when it fits in 128 bits.
    var uint128: UInt128? { high == 0 ? low : nil }

    /// Decimal digits in the value (0 for zero).
    var digitCount: Int {
        if high == 0 { return Decimal.digitCount(low) }
        var v = self
        var n = 0
        let e19: UInt128 = 10_000_000_000_000_000_000
        while v.high != 0 {
            v = v.quotientAndRemainder(dividingBy: e19).quotient
            n += 19
        }
        return n + Decimal.digitCount(v.low)
    }
}
