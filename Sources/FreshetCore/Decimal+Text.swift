/// Decimal text input and output, as PostgreSQL's `numeric_in` / `numeric_out`:
/// input accepts `12.345`, `-0.5`, `+1`, `.5`, `5.`, `1e3`, `1.5E-3` with
/// surrounding white space; output keeps the value's scale (`1.50`).
extension Decimal: CustomStringConvertible {
    public var description: String {
        var b: [UInt8] = []
        appendText(to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Appends the PostgreSQL text form (`-12.50`, `0.001`, `1000`).
    public func appendText(to buffer: inout [UInt8]) {
        let m = mantissa.magnitude
        if mantissa < 0 { buffer.append(UInt8(ascii: "-")) }
        if scale == 0 {
            appendDecimal(m, to: &buffer)
            return
        }
        let digits = Decimal.digitCount(m)
        if digits > scale {
            // Integer part, point, fraction of exactly `scale` digits.
            let p = scale <= 38 ? UInt128(Decimal.powerOfTen[scale]) : 0
            let intPart = m / p
            let frac = m % p
            appendDecimal(intPart, to: &buffer)
            buffer.append(UInt8(ascii: "."))
            Decimal.appendZeroPadded(frac, width: scale, to: &buffer)
        } else {
            buffer.append(UInt8(ascii: "0"))
            buffer.append(UInt8(ascii: "."))
            Decimal.appendZeroPadded(m, width: scale, to: &buffer)
        }
    }

    static func appendZeroPadded(_ v: UInt128, width: Int, to buffer: inout [UInt8]) {
        let d = v == 0 ? 1 : digitCount(v)
        if d < width {
            for _ in 0..<(width - d) { buffer.append(UInt8(ascii: "0")) }
        }
        if v == 0 { buffer.append(UInt8(ascii: "0")) } else { appendDecimal(v, to: &buffer) }
    }

    /// Parses decimal text; throws 22P02 `invalid input syntax for type numeric: "…"`
    /// or 22003 when the integer part needs more than 38 digits. Fraction digits
    /// beyond 38 significant digits are rounded half away from zero.
    public init(parsing text: some StringProtocol) throws {
        var s = String(text)
        let r = s.withUTF8 { Decimal.parse(UnsafeRawBufferPointer($0)) }
        switch r {
        case .value(let d): self = d
        case .invalid:
            throw FreshetError(.invalidTextRepresentation, "invalid input syntax for type numeric: \"\(text)\"")
        case .special:
            throw FreshetError(.featureNotSupported, "numeric NaN and Infinity are not supported: \"\(text)\"")
        case .outOfRange:
            throw FreshetError(.numericValueOutOfRange, "value overflows numeric format",
                               detail: "Numeric values are limited to 38 significant digits.")
        }
    }

    enum ParseResult {
        case value(Decimal)
        case invalid
        case outOfRange
        case special
    }

    /// The byte-level parser behind `init(parsing:)`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> ParseResult {
        let r = trimmedBounds(bytes)
        var i = r.lowerBound
        let end = r.upperBound
        if i == end { return .invalid }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if bytes[i] == UInt8(ascii: "+") { i += 1 }
        var m: Int128 = 0
        var kept = 0            // significant digits in m
        var dropped = 0         // significant digits that did not fit (rounded away)
        var firstDropped: UInt8 = 0
        var fractionDigits = 0  // digits after the point that went into m (or were dropped)
        var sawDigit = false
        var sawPoint = false
        while i < end {
            let c = bytes[i]
            if isASCIIDigit(c) {
                sawDigit = true
                let d = c &- 48
                if sawPoint { fractionDigits += 1 }
                if kept == 0 && d == 0 {
                    // leading zero: contributes nothing
                } else if kept < 38 {
                    m = m * 10 + Int128(d)
                    kept += 1
                } else {
                    if dropped == 0 { firstDropped = d }
                    dropped += 1
                }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        if !sawDigit {
            // NaN / Infinity spellings are valid PostgreSQL numerics we cannot hold.
            let word = bytes[r].map { $0 | 0x20 }
            let specials: [[UInt8]] = [Array("nan".utf8), Array("infinity".utf8), Array("inf".utf8)]
            var w = word[...]
            if w.first == UInt8(ascii: "-") || w.first == UInt8(ascii: "+") { w = w.dropFirst() }
            if specials.contains(where: { $0[...] == w }) { return .special }
            return .invalid
        }
        var exponent = 0
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var eneg = false
            if i < end, bytes[i] == UInt8(ascii: "-") { eneg = true; i += 1 } else if i < end, bytes[i] == UInt8(ascii: "+") { i += 1 }
            var sawExpDigit = false
            while i < end, isASCIIDigit(bytes[i]) {
                sawExpDigit = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            if !sawExpDigit { return .invalid }
            if eneg { exponent = -exponent }
        }
        if i != end { return .invalid }
        if exponent > 1000 || exponent < -1000 {
            // PostgreSQL's own limit on the exponent.
            if m == 0 { return .value(Decimal(mantissa: 0, scale: 0)) }
            return exponent > 0 ? .outOfRange : .value(Decimal(mantissa: 0, scale: maxScale))
        }
        // value = (m × 10^dropped) × 10^-(fractionDigits - exponent)
        var scale = fractionDigits - exponent - dropped
        if dropped > 0 && firstDropped >= 5 {
            m += 1
            if m > maxMantissa {
                m /= 10
                scale -= 1
            }
        }
        if scale < 0 {
            guard let v = scaleUp(m, by: -scale) else { return .outOfRange }
            m = v
            scale = 0
        }
        if scale > maxScale {
            let d = Decimal(mantissa: negative ? -m : m, scale: scale)
            guard let r = try? d.rounded(scale: maxScale) else { return .outOfRange }
            return .value(r)
        }
        return .value(Decimal(mantissa: negative ? -m : m, scale: scale))
    }
}
