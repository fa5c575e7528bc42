/// The shortest decimal digits that read back as the same binary float
/// (what PostgreSQL 15 prints with extra_float_digits = 1, its Ryu output),
/// taken from Swift's own shortest round-trip printer and re-laid-out in
/// PostgreSQL's format.
struct ShortestDecimal {
    /// The significant digits as an integer, without leading or trailing zeros (0 for zero).
    var significand: UInt64
    /// Number of digits in `significand` (1 for zero).
    var digitCount: Int
    /// Decimal exponent of the first digit: value = d.ddd × 10^exponent.
    var exponent: Int
    var negative: Bool

    init(_ value: Double) {
        // `description` is Swift's shortest round-trip printer; strings up to 15
        // bytes are stored inline, so most values print without allocating.
        var text = value.description
        self = text.withUTF8 { ShortestDecimal(parsing: UnsafeRawBufferPointer($0)) }
    }

    init(_ value: Float) {
        var text = value.description
        self = text.withUTF8 { ShortestDecimal(parsing: UnsafeRawBufferPointer($0)) }
    }

    /// Parses the runtime's output: `[-]digits[.digits][e(+|-)digits]`.
    private init(parsing text: UnsafeRawBufferPointer) {
        var sig: UInt64 = 0
        var count = 0             // significant digits taken into `sig`
        var pendingZeros = 0      // zeros seen after the last non-zero digit
        var index = 0             // position of the current digit in the digit string
        var first = -1            // index of the first non-zero digit
        var beforePoint = -1      // digits before the point (-1 until a point is seen)
        var negative = false
        var exp = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "-") {
                negative = true
            } else if c == UInt8(ascii: ".") {
                beforePoint = index
            } else if c >= 48 && c <= 57 {
                let d = UInt64(c - 48)
                if d == 0 {
                    if first >= 0 { pendingZeros += 1 }
                } else {
                    if first < 0 { first = index }
                    for _ in 0..<pendingZeros { sig = sig &* 10 }
                    count += pendingZeros
                    pendingZeros = 0
                    sig = sig &* 10 &+ d
                    count += 1
                }
                index += 1
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var j = i + 1
                var eneg = false
                if j < text.count, text[j] == UInt8(ascii: "-") { eneg = true; j += 1 } else if j < text.count, text[j] == UInt8(ascii: "+") { j += 1 }
                while j < text.count { exp = exp * 10 + Int(text[j] &- 48); j += 1 }
                if eneg { exp = -exp }
                break
            }
            i += 1
        }
        if beforePoint < 0 { beforePoint = index }
        self.negative = negative
        if first < 0 {
            self.significand = 0; self.digitCount = 1; self.exponent = 0
            return
        }
        self.significand = sig
        self.digitCount = count
        self.exponent = beforePoint - 1 - first + exp
    }

    /// Rounds half away from zero to at most `n` significant digits and drops trailing zeros.
    mutating func round(toSignificantDigits n: Int) {
        if digitCount > n {
            var drop = digitCount - n
            var s = significand
            var last: UInt64 = 0
            while drop > 0 { last = s % 10; s /= 10; drop -= 1 }
            // Half away from zero on the decimal digits (as printf on the shortest digits).
            if last >= 5 { s += 1 }
            digitCount = n
            if s >= pow10u64(n) { s /= 10; exponent += 1 }
            significand = s
        }
        while digitCount > 1 && significand % 10 == 0 { significand /= 10; digitCount -= 1 }
    }

    /// Appends PostgreSQL's float output: fixed notation when
    /// `-4 <= exponent < fixedLimit` (15 for double, 6 for real), otherwise
    /// `d.ddde±XX` with at least two exponent digits.
    func appendPG(fixedLimit: Int, to buffer: inout [UInt8]) {
        if negative { buffer.append(UInt8(ascii: "-")) }
        if significand == 0 { buffer.append(UInt8(ascii: "0")); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 ASCII digits
        withUnsafeMutableBytes(of: &digits) { raw in
            var s = significand
            var i = digitCount
            while i > 0 { i -= 1; raw[i] = UInt8(48 + s % 10); s /= 10 }
        }
        withUnsafeBytes(of: &digits) { d in
            let n = digitCount
            if exponent >= -4 && exponent < fixedLimit {
                if exponent >= 0 {
                    let intCount = exponent + 1
                    for k in 0..<Swift.min(n, intCount) { buffer.append(d[k]) }
                    if n < intCount {
                        for _ in 0..<(intCount - n) { buffer.append(UInt8(ascii: "0")) }
                    } else if n > intCount {
                        buffer.append(UInt8(ascii: "."))
                        for k in intCount..<n { buffer.append(d[k]) }
                    }
                } else {
                    buffer.append(UInt8(ascii: "0"))
                    buffer.append(UInt8(ascii: "."))
                    for _ in 0..<(-exponent - 1) { buffer.append(UInt8(ascii: "0")) }
                    for k in 0..<n { buffer.append(d[k]) }
                }
            } else {
                buffer.append(d[0])
                if n > 1 {
                    buffer.append(UInt8(ascii: "."))
                    for k in 1..<n { buffer.append(d[k]) }
                }
                buffer.append(UInt8(ascii: "e"))
                buffer.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let e = exponent < 0 ? -exponent : exponent
                if e < 10 { buffer.append(UInt8(ascii: "0")) }
                appendDecimal(UInt64(e), to: &buffer)
            }
        }
    }
}

@inline(__always) func pow10u64(_ n: Int) -> UInt64 {
    var p: UInt64 = 1
    for _ in 0..<n { p &*= 10 }
    return p
}

