// PostgreSQL text format for values: output (what psql shows, COPY TO
// writes) and input (literals, parameters in text format, COPY FROM), as
// PostgreSQL 15 with DateStyle ISO and IntervalStyle postgres. Output writes
// bytes straight into the caller's buffer (no String per value for numbers
// and dates); input works on UTF-8 bytes.

extension Value {
    /// The PostgreSQL text output of this value for a column of `type`
    /// (e.g. `t`/`f` for booleans, `2026-01-01 12:00:00.5` for timestamps,
    /// `\x3f` for bytea, `1 day 02:00:00` for intervals). NULL gives "".
    public func pgText(as type: DataType) -> String {
        if case .string(let s) = self {
            if case .char = type {} else { return s }
        }
        var b: [UInt8] = []
        appendPGText(as: type, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Append the text output as UTF-8 to `buffer` (the hot path of results and COPY TO).
    /// `type` picks REAL's shorter float format and CHAR(n)'s blank padding;
    /// otherwise the value's own kind decides. NULL appends nothing.
    public func appendPGText(as type: DataType, to buffer: inout [UInt8]) {
        switch self {
        case .null: return
        case .bool(let b): buffer.append(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .int(let i): appendDecimal(i, to: &buffer)
        case .double(let d):
            if case .real = type { Value.appendReal(Float(d), to: &buffer) } else { Value.appendDouble(d, to: &buffer) }
        case .decimal(let d): d.appendText(to: &buffer)
        case .string(let s):
            buffer.append(contentsOf: s.utf8)
            if case .char(let n) = type {
                let count = s.unicodeScalars.count
                if count < n { for _ in 0..<(n - count) { buffer.append(UInt8(ascii: " ")) } }
            }
        case .bytes(let bytes): Value.appendByteaHex(bytes, to: &buffer)
        case .timestamp(let t): DateTimeText.appendTimestamp(t, to: &buffer)
        case .date(let d): DateTimeText.appendDate(d, to: &buffer)
        case .time(let t): DateTimeText.appendTime(t, to: &buffer)
        case .interval(let iv): iv.appendText(to: &buffer)
        }
    }

    /// float8out: shortest round-trip digits, exponent form below 1e-4 and from 1e15.
    public static func appendDouble(_ d: Double, to buffer: inout [UInt8]) {
        if d.isNaN { buffer.append(contentsOf: "NaN".utf8); return }
        if d.isInfinite { buffer.append(contentsOf: (d < 0 ? "-Infinity" : "Infinity").utf8); return }
        if d == 0 { if d.sign == .minus { buffer.append(contentsOf: "-0".utf8) } else { buffer.append(UInt8(ascii: "0")) }; return }
        if d == d.rounded(), abs(d) < 1e15 {
            appendDecimal(Int64(d), to: &buffer)
            return
        }
        ShortestDecimal(d).appendPG(fixedLimit: 15, to: &buffer)
    }

    /// float4out: shortest round-trip digits for a Float, exponent form below 1e-4 and from 1e6.
    public static func appendReal(_ f: Float, to buffer: inout [UInt8]) {
        if f.isNaN { buffer.append(contentsOf: "NaN".utf8); return }
        if f.isInfinite { buffer.append(contentsOf: (f < 0 ? "-Infinity" : "Infinity").utf8); return }
        if f == 0 { if f.sign == .minus { buffer.append(contentsOf: "-0".utf8) } else { buffer.append(UInt8(ascii: "0")) }; return }
        ShortestDecimal(f).appendPG(fixedLimit: 6, to: &buffer)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// bytea hex output: `\x` then two lowercase hex digits per byte.
    public static func appendByteaHex<C: Collection<UInt8>>(_ bytes: C, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "x"))
        hexDigits.withUnsafeBufferPointer { hex in
            for b in bytes {
                buffer.append(hex[Int(b >> 4)])
                buffer.append(hex[Int(b & 15)])
            }
        }
    }

    // MARK: Input

    /// Parse PostgreSQL text input for `type`. Throws FreshetError with 22P02
    /// (invalid text), 22003 (out of range), 22001 (too long for VARCHAR(n)/CHAR(n)),
    /// 22007/22008 (bad date/time).
    public static func parse(pgText text: Substring, as type: DataType) throws -> Value {
        if let v = try text.utf8.withContiguousStorageIfAvailable({ try parse(pgTextBytes: UnsafeRawBufferPointer($0), as: type) }) {
            return v
        }
        let copy = Array(text.utf8)
        return try copy.withUnsafeBytes { try parse(pgTextBytes: $0, as: type) }
    }

    /// The byte-level form of `parse(pgText:as:)`, for COPY FROM fields.
    public static func parse(pgTextBytes bytes: UnsafeRawBufferPointer, as type: DataType) throws -> Value {
        switch type {
        case .boolean: return .bool(try parseBool(bytes))
        case .tinyint: return .int(try parseInt(bytes, type: type, min: -128, max: 127))
        case .smallint: return .int(try parseInt(bytes, type: type, min: Int64(Int16.min), max: Int64(Int16.max)))
        case .integer: return .int(try parseInt(bytes, type: type, min: Int64(Int32.min), max: Int64(Int32.max)))
        case .bigint: return .int(try parseInt(bytes, type: type, min: .min, max: .max))
        case .double: return .double(try parseDouble(bytes))
        case .real: return .double(Double(try parseReal(bytes)))
        case let .decimal(p, s):
            switch Decimal.parse(bytes) {
            case .value(let d): return .decimal(try d.coerced(precision: p, scale: s))
            case .invalid: throw invalidSyntax(bytes, "numeric")
            case .special:
                throw FreshetError(.featureNotSupported, "numeric NaN and Infinity are not supported: \"\(string(bytes))\"")
            case .outOfRange:
                throw FreshetError(.numericValueOutOfRange, "value overflows numeric format",
                                   detail: "Numeric values are limited to 38 significant digits.")
            }
        case .char(let n): return .string(try fitString(bytes, limit: n, pad: true, typeName: type.sqlName))
        case .varchar(let n):
            if let n { return .string(try fitString(bytes, limit: n, pad: false, typeName: type.sqlName)) }
            return .string(try validUTF8(bytes))
        case .unknown: return .string(try validUTF8(bytes))
        case .bytea: return .bytes(try parseBytea(bytes))
        case .date: return .date(try DateTimeText.parseDate(Substring(try validUTF8(bytes))))
        case .time: return .time(try DateTimeText.parseTime(Substring(try validUTF8(bytes))))
        case .timestamp:
            if let t = DateTimeText.fastTimestamp(bytes) { return .timestamp(t) }
            return .timestamp(try DateTimeText.parseTimestamp(Substring(try validUTF8(bytes))))
        case .interval: return .interval(try Interval.parse(Substring(try validUTF8(bytes))))
        }
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }

    static func invalidSyntax(_ bytes: UnsafeRawBufferPointer, _ typeName: String) -> FreshetError {
        FreshetError(.invalidTextRepresentation, "invalid input syntax for type \(typeName): \"\(string(bytes))\"")
    }

    static func validUTF8(_ bytes: UnsafeRawBufferPointer) throws -> String {
        guard UTF8Check.characterCount(bytes) != nil else {
            throw FreshetError(.characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// boolin: true/false/yes/no/on/off/1/0 and their unique prefixes, any case, trimmed.
    static func parseBool(_ bytes: UnsafeRawBufferPointer) throws -> Bool {
        let r = trimmedBounds(bytes)
        let n = r.count
        if n == 0 { throw invalidSyntax(bytes, "boolean") }
        func isPrefix(of word: StaticString) -> Bool {
            guard n <= word.utf8CodeUnitCount else { return false }
            return word.withUTF8Buffer { w in
                for k in 0..<n where bytes[r.lowerBound + k] | 0x20 != w[k] { return false }
                return true
            }
        }
        switch bytes[r.lowerBound] | 0x20 {
        case UInt8(ascii: "t"): if isPrefix(of: "true") { return true }
        case UInt8(ascii: "f"): if isPrefix(of: "false") { return false }
        case UInt8(ascii: "y"): if isPrefix(of: "yes") { return true }
        case UInt8(ascii: "n"): if isPrefix(of: "no") { return false }
        case UInt8(ascii: "o"):
            if n >= 2 && isPrefix(of: "on") { return true }
            if n >= 2 && isPrefix(of: "off") { return false }
        case UInt8(ascii: "1"): if n == 1 { return true }
        case UInt8(ascii: "0"): if n == 1 { return false }
        default: break
        }
        throw invalidSyntax(bytes, "boolean")
    }

    static func parseInt(_ bytes: UnsafeRawBufferPointer, type: DataType, min: Int64, max: Int64) throws -> Int64 {
        switch parseInteger(bytes, min: min, max: max) {
        case .value(let v): return v
        case .invalid: throw invalidSyntax(bytes, type.sqlName)
        case .outOfRange:
            throw FreshetError(.numericValueOutOfRange, "value \"\(string(bytes))\" is out of range for type \(type.sqlName)")
        }
    }

    /// float8in: strtod syntax plus NaN/Infinity words; over- and underflow are 22003.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer) throws -> Double {
        let r = trimmedBounds(bytes)
        let body = UnsafeRawBufferPointer(rebasing: bytes[r])
        if let d = shortDecimal(body) { return d }
        if let special = specialFloat(body) { return special }
        guard let d = Double(String(decoding: body, as: UTF8.self)), !r.isEmpty, isPlainNumber(body) else {
            throw invalidSyntax(bytes, "double precision")
        }
        if d.isInfinite || (d == 0 && hasNonZeroDigit(body)) {
            throw FreshetError(.numericValueOutOfRange, "\"\(string(bytes))\" is out of range for type double precision")
        }
        return d
    }

    /// float4in: as float8in with Float's range.
    static func parseReal(_ bytes: UnsafeRawBufferPointer) throws -> Float {
        let r = trimmedBounds(bytes)
        let body = UnsafeRawBufferPointer(rebasing: bytes[r])
        if let special = specialFloat(body) { return Float(special) }
        guard let f = Float(String(decoding: body, as: UTF8.self)), !r.isEmpty, isPlainNumber(body) else {
            throw invalidSyntax(bytes, "real")
        }
        if f.isInfinite || (f == 0 && hasNonZeroDigit(body)) {
            throw FreshetError(.numericValueOutOfRange, "\"\(string(bytes))\" is out of range for type real")
        }
        return f
    }

    /// Decimal or hex float syntax only (Swift also accepts words we check separately).
    static func isPlainNumber(_ b: UnsafeRawBufferPointer) -> Bool {
        for c in b where !(isASCIIDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                           || c | 0x20 == UInt8(ascii: "e") || c | 0x20 == UInt8(ascii: "x") || c | 0x20 == UInt8(ascii: "p")
                           || ((c | 0x20) >= 97 && (c | 0x20) <= 102)) {
            return false
        }
        return true
    }

    static func hasNonZeroDigit(_ b: UnsafeRawBufferPointer) -> Bool {
        for c in b {
            if c | 0x20 == UInt8(ascii: "e") || c | 0x20 == UInt8(ascii: "p") { return false }
            if c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    /// `[+-]digits[.digits]` with at most 15 digits in all, converted without strtod
    /// (Clinger's fast path): the digits are an exact integer below 2^53 and 10^k
    /// (k ≤ 15) is exact, so one IEEE division gives the correctly rounded value —
    /// the same Double strtod returns. nil for anything else (exponents, more
    /// digits, words), which takes the general path. Most COPY floats are like this.
    @inline(__always)
    static func shortDecimal(_ b: UnsafeRawBufferPointer) -> Double? {
        let n = b.count
        guard n > 0, n <= 17 else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if b[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawPoint = false
        while i < n {
            let c = b[i]
            if c &- UInt8(ascii: "0") < 10 {
                mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                digits += 1
                if sawPoint { fraction += 1 }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        var d = Double(mantissa)
        if fraction > 0 { d /= exactPowersOfTen[fraction] }
        return negative ? -d : d
    }

    /// 10^0 … 10^15, all exact in a Double.
    static let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

    /// NaN and the infinities, any case, with an optional sign (float8in). Compares
    /// bytes: it runs for every float of a COPY, and most are plain numbers that the
    /// first letter already rules out.
    static func specialFloat(_ b: UnsafeRawBufferPointer) -> Double? {
        guard b.count >= 3, b.count <= 9 else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        let first = b[i] | 0x20
        guard first == UInt8(ascii: "n") || first == UInt8(ascii: "i") else { return nil }
        func rest(is word: StaticString) -> Bool {
            guard b.count - i == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<word.utf8CodeUnitCount where b[i + k] | 0x20 != w[k] { return false }
            return true
        }
        if rest(is: "nan") { return .nan }
        if rest(is: "infinity") || rest(is: "inf") { return negative ? -.infinity : .infinity }
        return nil
    }

    /// CHAR(n)/VARCHAR(n) input: longer values are an error (22001) unless the
    /// excess is all spaces, which is cut off; CHAR pads to n with spaces.
    static func fitString(_ bytes: UnsafeRawBufferPointer, limit n: Int, pad: Bool, typeName: String) throws -> String {
        let s = try validUTF8(bytes)
        var count = 0
        var cut = s.utf8.count   // byte offset after the n-th character
        var index = 0
        for scalar in s.unicodeScalars {
            count += 1
            index += UTF8.width(scalar)
            if count == n { cut = index }
        }
        if count > n {
            let excess = UnsafeRawBufferPointer(rebasing: bytes[cut...])
            for c in excess where c != UInt8(ascii: " ") {
                throw FreshetError(.stringDataRightTruncation, "value too long for type \(typeName)")
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<cut]), as: UTF8.self)
        }
        if pad && count < n { return s + String(repeating: " ", count: n - count) }
        return s
    }

    /// byteain: `\x` hex (white space allowed between byte pairs) or the escape
    /// format (`\\` for a backslash, `\ooo` octal, other bytes as themselves).
    static func parseBytea(_ b: UnsafeRawBufferPointer) throws -> [UInt8] {
        var out: [UInt8] = []
        if b.count >= 2, b[0] == UInt8(ascii: "\\"), b[1] == UInt8(ascii: "x") || b[1] == UInt8(ascii: "X") {
            out.reserveCapacity((b.count - 2) / 2)
            var i = 2
            while i < b.count {
                let c = b[i]
                if isASCIISpace(c) { i += 1; continue }
                guard let hi = hexValue(c) else {
                    throw FreshetError(.invalidParameterValue, "invalid hexadecimal digit: \"\(String(decoding: [c], as: UTF8.self))\"")
                }
                guard i + 1 < b.count else {
                    throw FreshetError(.invalidParameterValue, "invalid hexadecimal data: odd number of digits")
                }
                guard let lo = hexValue(b[i + 1]) else {
                    if isASCIISpace(b[i + 1]) { throw FreshetError(.invalidParameterValue, "invalid hexadecimal data: odd number of digits") }
                    throw FreshetError(.invalidParameterValue, "invalid hexadecimal digit: \"\(String(decoding: [b[i + 1]], as: UTF8.self))\"")
                }
                out.append(hi << 4 | lo)
                i += 2
            }
            return out
        }
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            if i + 1 < b.count, b[i + 1] == UInt8(ascii: "\\") { out.append(c); i += 2; continue }
            if i + 3 < b.count,
               (b[i + 1] >= 48 && b[i + 1] <= 51), (b[i + 2] >= 48 && b[i + 2] <= 55), (b[i + 3] >= 48 && b[i + 3] <= 55) {
                out.append((b[i + 1] - 48) << 6 | (b[i + 2] - 48) << 3 | (b[i + 3] - 48))
                i += 4
                continue
            }
            throw FreshetError(.invalidTextRepresentation, "invalid input syntax for type bytea")
        }
        return out
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
