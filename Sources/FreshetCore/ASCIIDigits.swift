// Byte-level integer printing and parsing shared by the text formats. These
// work on `[UInt8]` and `UnsafeRawBufferPointer` directly: they sit on the
// per-row paths of results, COPY TO and COPY FROM.

/// Two-digit pairs "00" … "99", to print two digits per division.
let decimalPairs: [UInt8] = {
    var t = [UInt8]()
    t.reserveCapacity(200)
    for i in 0..<100 {
        t.append(UInt8(48 + i / 10))
        t.append(UInt8(48 + i % 10))
    }
    return t
}()

/// Appends the decimal digits of `value`.
@inline(__always)
func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
    if value < 10 {
        buffer.append(UInt8(truncatingIfNeeded: 48 &+ value))
        return
    }
    var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
    let n = withUnsafeMutableBytes(of: &tmp) { raw -> Int in
        var v = value
        var i = 24
        decimalPairs.withUnsafeBufferPointer { pairs in
            while v >= 100 {
                let r = Int(v % 100)
                v /= 100
                i -= 2
                raw[i] = pairs[2 * r]
                raw[i + 1] = pairs[2 * r + 1]
            }
            if v >= 10 {
                i -= 2
                raw[i] = pairs[2 * Int(v)]
                raw[i + 1] = pairs[2 * Int(v) + 1]
            } else {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: 48 &+ v)
            }
        }
        return i
    }
    withUnsafeBytes(of: &tmp) { raw in
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[n..<24]))
    }
}

/// Appends a signed integer in decimal.
@inline(__always)
func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
    if value < 0 {
        buffer.append(UInt8(ascii: "-"))
        appendDecimal(value.magnitude, to: &buffer)
    } else {
        appendDecimal(UInt64(value), to: &buffer)
    }
}

/// Appends `value` with at least `width` digits, zero-padded on the left.
@inline(__always)
func appendZeroPadded(_ value: UInt64, width: Int, to buffer: inout [UInt8]) {
    var digits = 1
    var v = value
    while v >= 10 { v /= 10; digits += 1 }
    if digits < width {
        for _ in 0..<(width - digits) { buffer.append(UInt8(ascii: "0")) }
    }
    appendDecimal(value, to: &buffer)
}

/// Appends the decimal digits of a 128-bit magnitude.
func appendDecimal(_ value: UInt128, to buffer: inout [UInt8]) {
    if let small = UInt64(exactly: value) {
        appendDecimal(small, to: &buffer)
        return
    }
    let e19: UInt128 = 10_000_000_000_000_000_000
    let high = value / e19
    let low = UInt64(value % e19)
    appendDecimal(high, to: &buffer)
    appendZeroPadded(low, width: 19, to: &buffer)
}

@inline(__always) func isASCIISpace(_ c: UInt8) -> Bool {
    c == 0x20 || (c >= 0x09 && c <= 0x0D)
}

@inline(__always) func isASCIIDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

/// The bounds of `bytes` without leading and trailing ASCII white space.
@inline(__always)
func trimmedBounds(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
    var lo = 0
    var hi = bytes.count
    while lo < hi, isASCIISpace(bytes[lo]) { lo += 1 }
    while hi > lo, isASCIISpace(bytes[hi - 1]) { hi -= 1 }
    return lo..<hi
}

/// Result of parsing an integer from text.
enum IntegerParse {
    case value(Int64)
    case invalid
    case outOfRange
}

/// Parses a signed decimal integer as PostgreSQL's `pg_strtoint*`: optional
/// surrounding white space, an optional sign, at least one digit. Values
/// beyond `min...max` report `.outOfRange`.
@inline(__always)
func parseInteger(_ bytes: UnsafeRawBufferPointer, min: Int64, max: Int64) -> IntegerParse {
    let r = trimmedBounds(bytes)
    var i = r.lowerBound
    let end = r.upperBound
    if i == end { return .invalid }
    var negative = false
    if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if bytes[i] == UInt8(ascii: "+") { i += 1 }
    if i == end { return .invalid }
    var magnitude: UInt64 = 0
    var overflow = false
    while i < end {
        let d = bytes[i] &- 48
        if d >= 10 { return .invalid }
        let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
        let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
        if o1 || o2 { overflow = true }
        magnitude = m2
        i += 1
    }
    if overflow { return .outOfRange }
    if negative {
        if magnitude > min.magnitude { return .outOfRange }
        return .value(magnitude == 1 << 63 ? Int64.min : -Int64(magnitude))
    }
    if magnitude > UInt64(max) { return .outOfRange }
    return .value(Int64(magnitude))
}
