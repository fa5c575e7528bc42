/// INTERVAL text output with IntervalStyle `postgres` (`1 year 2 mons 3 days
/// 04:05:06.5`, `-1 days +01:00:00`, `00:00:00`) and input in the forms
/// PostgreSQL's DecodeInterval / DecodeISO8601Interval accept: unit words
/// (`2 days 3 hours`, `1.5 seconds`, `1h 30m`, `@ 1 hour ago`), clock times
/// (`1 day 02:03:04`), SQL-standard `1-2` and `2 3:4:5.678`, and ISO 8601
/// `P1Y2M3DT4H5M6S`.
extension Interval: CustomStringConvertible {
    public var description: String {
        var b: [UInt8] = []
        appendText(to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Appends the IntervalStyle `postgres` text form (PostgreSQL's EncodeInterval).
    public func appendText(to buffer: inout [UInt8]) {
        let year = Int64(months / 12)
        let month = Int64(months % 12)
        var isZero = true
        var isBefore = false
        func part(_ value: Int64, _ unit: StaticString) {
            if value == 0 { return }
            if !isZero { buffer.append(UInt8(ascii: " ")) }
            if isBefore && value > 0 { buffer.append(UInt8(ascii: "+")) }
            appendDecimal(value, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            unit.withUTF8Buffer { buffer.append(contentsOf: $0) }
            if value != 1 { buffer.append(UInt8(ascii: "s")) }
            isBefore = value < 0
            isZero = false
        }
        part(year, "year")
        part(month, "mon")
        part(Int64(days), "day")
        let t = microseconds
        if isZero || t != 0 {
            let minus = t < 0
            let mag = t.magnitude
            let hours = mag / UInt64(Calendar.microsecondsPerHour)
            var rest = mag % UInt64(Calendar.microsecondsPerHour)
            let minutes = rest / UInt64(Calendar.microsecondsPerMinute)
            rest %= UInt64(Calendar.microsecondsPerMinute)
            let seconds = rest / 1_000_000
            let fraction = rest % 1_000_000
            if !isZero { buffer.append(UInt8(ascii: " ")) }
            if minus { buffer.append(UInt8(ascii: "-")) } else if isBefore { buffer.append(UInt8(ascii: "+")) }
            appendZeroPadded(hours, width: 2, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendZeroPadded(minutes, width: 2, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendZeroPadded(seconds, width: 2, to: &buffer)
            appendFraction(fraction, to: &buffer)
        }
    }

    // MARK: Input

    /// Parses interval text as PostgreSQL's `interval_in`, optionally under an
    /// SQL interval qualifier (which picks the unit of a bare number — the
    /// qualifier's last field — reads `3:4` as minutes:seconds for MINUTE TO
    /// SECOND, and drops fields below its last field). Throws 22007
    /// `invalid input syntax for type interval: "…"` or 22015
    /// `interval field value out of range: "…"`.
    public static func parse(_ text: Substring, qualifier: IntervalQualifier? = nil) throws -> Interval {
        var s = String(text)
        let result = s.withUTF8 { utf8 in
            var parser = IntervalParser(bytes: UnsafeRawBufferPointer(utf8), qualifier: qualifier)
            return parser.parse()
        }
        switch result {
        case .success(let iv): return qualifier.map { $0.adjust(iv) } ?? iv
        case .failure(let kind):
            switch kind {
            case .syntax:
                throw FreshetError(.invalidDatetimeFormat, "invalid input syntax for type interval: \"\(text)\"")
            case .overflow:
                throw FreshetError(SQLState("22015"), "interval field value out of range: \"\(text)\"")
            }
        }
    }

    /// Parses with a qualifier given as its first and last fields.
    public static func parse(_ text: Substring, from start: IntervalQualifier.Field,
                             to end: IntervalQualifier.Field? = nil) throws -> Interval {
        guard let q = IntervalQualifier(start: start, end: end) else {
            throw FreshetError(.syntaxError, "invalid interval qualifier \(start.name) TO \((end ?? start).name)")
        }
        return try parse(text, qualifier: q)
    }
}

/// Appends `.ffffff` with trailing zeros removed, nothing when zero.
@inline(__always)
func appendFraction(_ micros: UInt64, to buffer: inout [UInt8]) {
    if micros == 0 { return }
    buffer.append(UInt8(ascii: "."))
    var f = micros
    var width = 6
    while f % 10 == 0 { f /= 10; width -= 1 }
    appendZeroPadded(f, width: width, to: &buffer)
}

enum IntervalParseFailure: Error { case syntax, overflow }

/// The interval input state machine: reads tokens left to right and
/// accumulates months, days and microseconds in 64-bit (checked at the end).
struct IntervalParser {
    let bytes: UnsafeRawBufferPointer
    let qualifier: IntervalQualifier?
    var i = 0
    var months: Int64 = 0
    var days: Int64 = 0
    var micros: Double = 0        // accumulated exactly for integers, rounded per unit
    var microsExact: Int64 = 0
    var seen: UInt16 = 0          // one bit per unit, as PostgreSQL's fmask

    init(bytes: UnsafeRawBufferPointer, qualifier: IntervalQualifier?) {
        self.bytes = bytes
        self.qualifier = qualifier
    }

    enum Unit: UInt16 {
        case microsecond = 1, millisecond = 2, second = 4, minute = 8, hour = 16, day = 32, week = 64
        case month = 128, year = 256, decade = 512, century = 1024, millennium = 2048
    }

    static func unit(_ word: [UInt8]) -> Unit? {
        switch String(decoding: word, as: UTF8.self) {
        case "microsecond", "microseconds", "us", "usec", "usecs", "useconds", "microsecon": return .microsecond
        case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds", "millisecon": return .millisecond
        case "second", "seconds", "s", "sec", "secs": return .second
        case "minute", "minutes", "m", "min", "mins": return .minute
        case "hour", "hours", "h", "hr", "hrs": return .hour
        case "day", "days", "d": return .day
        case "week", "weeks", "w": return .week
        case "month", "months", "mon", "mons": return .month
        case "year", "years", "y", "yr", "yrs": return .year
        case "decade", "decades", "dec", "decs": return .decade
        case "century", "centuries", "c", "cent": return .century
        case "millennium", "millennia", "mil", "mils", "millenniums": return .millennium
        default: return nil
        }
    }

    enum Token {
        case word([UInt8])
        case number(negative: Bool, integer: Int64, fraction: Double, hasSign: Bool)
        case time(negative: Bool, parts: [Int64], fraction: Double)  // h, m[, s]
        case yearMonth(negative: Bool, years: Int64, months: Int64)
    }

    mutating func parse() -> Result<Interval, IntervalParseFailure> {
        do {
            let r = trimmedBounds(bytes)
            i = r.lowerBound
            let end = r.upperBound
            if i == end { throw IntervalParseFailure.syntax }
            if bytes[i] == UInt8(ascii: "P") || bytes[i] == UInt8(ascii: "p") {
                try parseISO8601(end: end)
            } else {
                try parseTokens(end: end)
            }
            let totalMicros = micros.rounded(.toNearestOrEven)
            guard totalMicros.magnitude < 9.2e18 else { throw IntervalParseFailure.overflow }
            let (us, o) = microsExact.addingReportingOverflow(Int64(totalMicros))
            guard !o, let m = Int32(exactly: months), let d = Int32(exactly: days) else { throw IntervalParseFailure.overflow }
            return .success(Interval(months: m, days: d, microseconds: us))
        } catch let e as IntervalParseFailure {
            return .failure(e)
        } catch {
            return .failure(.syntax)
        }
    }

    // MARK: Tokens

    mutating func readTokens(end: Int) throws -> [Token] {
        var tokens: [Token] = []
        while i < end {
            let c = bytes[i]
            if isASCIISpace(c) || c == UInt8(ascii: ",") { i += 1; continue }
            if c == UInt8(ascii: "@") { i += 1; continue }
            if isAlpha(c) {
                var w: [UInt8] = []
                while i < end, isAlpha(bytes[i]) { w.append(bytes[i] | 0x20); i += 1 }
                tokens.append(.word(w))
                continue
            }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || isASCIIDigit(c) || c == UInt8(ascii: ".") {
                tokens.append(try readNumeric(end: end))
                continue
            }
            throw IntervalParseFailure.syntax
        }
        return tokens
    }

    @inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

    /// A number, `h:m[:s[.f]]` or `y-m`, with an optional leading sign.
    mutating func readNumeric(end: Int) throws -> Token {
        var negative = false
        var hasSign = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            hasSign = true
            i += 1
        }
        let (intPart, fraction, digits) = try readUnsigned(end: end)
        if i < end, bytes[i] == UInt8(ascii: ":") {
            guard fraction == 0, digits > 0 else { throw IntervalParseFailure.syntax }
            var parts = [intPart]
            var frac = 0.0
            while i < end, bytes[i] == UInt8(ascii: ":") {
                i += 1
                if i >= end || !isASCIIDigit(bytes[i]) {
                    // "10:" means 10:00
                    break
                }
                let (v, f, _) = try readUnsigned(end: end)
                parts.append(v)
                if f != 0 {
                    guard parts.count >= 2 else { throw IntervalParseFailure.syntax }
                    frac = f
                    break
                }
            }
            guard parts.count <= 3 else { throw IntervalParseFailure.syntax }
            return .time(negative: negative, parts: parts, fraction: frac)
        }
        if i < end, bytes[i] == UInt8(ascii: "-"), fraction == 0, digits > 0,
           i + 1 < end, isASCIIDigit(bytes[i + 1]) {
            i += 1
            let (m, f, _) = try readUnsigned(end: end)
            guard f == 0 else { throw IntervalParseFailure.syntax }
            return .yearMonth(negative: negative, years: intPart, months: m)
        }
        guard digits > 0 || fraction != 0 || sawPointDigits else { throw IntervalParseFailure.syntax }
        return .number(negative: negative, integer: intPart, fraction: fraction, hasSign: hasSign)
    }

    var sawPointDigits = false

    /// Digits with an optional fraction: (integer, fraction in [0,1), integer digit count).
    mutating func readUnsigned(end: Int) throws -> (Int64, Double, Int) {
        var v: Int64 = 0
        var digits = 0
        sawPointDigits = false
        while i < end, isASCIIDigit(bytes[i]) {
            let (a, o1) = v.multipliedReportingOverflow(by: 10)
            let (b, o2) = a.addingReportingOverflow(Int64(bytes[i] - 48))
            if o1 || o2 { throw IntervalParseFailure.overflow }
            v = b
            digits += 1
            i += 1
        }
        var fraction = 0.0
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < end, isASCIIDigit(bytes[i]) {
                fraction += Double(bytes[i] - 48) * scale
                scale /= 10
                sawPointDigits = true
                i += 1
            }
            if !sawPointDigits && digits == 0 { throw IntervalParseFailure.syntax }
        } else if digits == 0 {
            throw IntervalParseFailure.syntax
        }
        return (v, fraction, digits)
    }

    // MARK: PostgreSQL format

    mutating func parseTokens(end: Int) throws {
        let tokens = try readTokens(end: end)
        if tokens.isEmpty { throw IntervalParseFailure.syntax }
        var ago = false
        var k = 0
        let lastField = qualifier?.end ?? .second
        while k < tokens.count {
            switch tokens[k] {
            case .word(let w):
                if w == Array("ago".utf8) {
                    guard k == tokens.count - 1 else { throw IntervalParseFailure.syntax }
                    ago = true
                } else {
                    throw IntervalParseFailure.syntax
                }
                k += 1
            case let .number(negative, integer, fraction, _):
                // The unit: the next word, else implied by what follows or the qualifier.
                var unit: Unit
                if k + 1 < tokens.count, case .word(let w) = tokens[k + 1], w != Array("ago".utf8) {
                    guard let u = IntervalParser.unit(w) else { throw IntervalParseFailure.syntax }
                    unit = u
                    k += 2
                } else if k + 1 < tokens.count, case .time = tokens[k + 1] {
                    unit = .day
                    k += 1
                } else if k + 1 < tokens.count, case .number = tokens[k + 1], lastField == .hour || lastField == .minute || lastField == .second {
                    // "2 3" DAY TO HOUR: the left number is days.
                    guard lastField == .hour, k + 2 == tokens.count else { throw IntervalParseFailure.syntax }
                    unit = .day
                    k += 1
                } else {
                    switch lastField {
                    case .year: unit = .year
                    case .month: unit = .month
                    case .day: unit = .day
                    case .hour: unit = .hour
                    case .minute: unit = .minute
                    case .second: unit = .second
                    }
                    k += 1
                }
                try add(unit: unit, negative: negative, integer: integer, fraction: fraction)
            case let .time(negative, parts, fraction):
                try addTime(negative: negative, parts: parts, fraction: fraction)
                k += 1
            case let .yearMonth(negative, years, m):
                try mark(.year)
                try mark(.month)
                let (y12, o) = years.multipliedReportingOverflow(by: 12)
                if o { throw IntervalParseFailure.overflow }
                let total = try sum(y12, m)
                months = try sum(months, negative ? -total : total)
                k += 1
            }
        }
        if ago {
            guard microsExact != .min else { throw IntervalParseFailure.overflow }
            months = -months
            days = -days
            micros = -micros
            microsExact = -microsExact
        }
    }

    /// `x += y`, 22015 instead of a trap on overflow.
    @inline(__always)
    func sum(_ x: Int64, _ y: Int64) throws -> Int64 {
        let (r, o) = x.addingReportingOverflow(y)
        if o { throw IntervalParseFailure.overflow }
        return r
    }

    mutating func mark(_ u: Unit) throws {
        if seen & u.rawValue != 0 { throw IntervalParseFailure.syntax }
        seen |= u.rawValue
    }

    /// Adds `±integer.fraction unit`, cascading the fraction to smaller units
    /// as PostgreSQL does (a month is 30 days, a year's fraction rounds to months).
    mutating func add(unit: Unit, negative: Bool, integer: Int64, fraction: Double) throws {
        try mark(unit)
        let sign: Int64 = negative ? -1 : 1
        let v = integer * sign
        let f = fraction * Double(sign)
        func checked(_ a: Int64, _ m: Int64) throws -> Int64 {
            let (r, o) = a.multipliedReportingOverflow(by: m)
            if o { throw IntervalParseFailure.overflow }
            return r
        }
        switch unit {
        case .microsecond: microsExact = try sum(microsExact, v); micros += f
        case .millisecond: microsExact = try sum(microsExact, checked(v, 1000)); micros += f * 1000
        case .second: microsExact = try sum(microsExact, checked(v, 1_000_000)); micros += f * 1_000_000
        case .minute: microsExact = try sum(microsExact, checked(v, Calendar.microsecondsPerMinute)); micros += f * 60_000_000
        case .hour: microsExact = try sum(microsExact, checked(v, Calendar.microsecondsPerHour)); micros += f * 3_600_000_000
        case .day: days = try sum(days, v); try addFractionalDays(f)
        case .week: days = try sum(days, checked(v, 7)); try addFractionalDays(f * 7)
        case .month: months = try sum(months, v); try addFractionalDays(f * 30)
        case .year: months = try sum(months, checked(v, 12)); months = try sum(months, Int64((f * 12).rounded(.toNearestOrEven)))
        case .decade: months = try sum(months, checked(v, 120)); months = try sum(months, Int64((f * 120).rounded(.toNearestOrEven)))
        case .century: months = try sum(months, checked(v, 1200)); months = try sum(months, Int64((f * 1200).rounded(.toNearestOrEven)))
        case .millennium: months = try sum(months, checked(v, 12000)); months = try sum(months, Int64((f * 12000).rounded(.toNearestOrEven)))
        }
        if months.magnitude > UInt64(Int32.max) || days.magnitude > UInt64(Int32.max) { throw IntervalParseFailure.overflow }
    }

    /// PostgreSQL's AdjustFractDays: whole days, then the rest as seconds.
    mutating func addFractionalDays(_ f: Double) throws {
        if f == 0 { return }
        let whole = f.rounded(.towardZero)
        days = try sum(days, Int64(whole))
        micros += ((f - whole) * 86_400 * 1_000_000).rounded(.toNearestOrEven)
    }

    /// `h:m[:s.f]` (or `m:s.f` under MINUTE TO SECOND).
    mutating func addTime(negative: Bool, parts: [Int64], fraction: Double) throws {
        try mark(.hour); try mark(.minute); try mark(.second)
        var h: Int64 = 0, m: Int64 = 0, s: Int64 = 0
        if parts.count == 2, fraction != 0 || (qualifier?.start == .minute && qualifier?.end == .second) {
            // "m:s.f": a fraction after the second field means minutes:seconds.
            m = parts[0]; s = parts[1]
        } else {
            h = parts[0]
            m = parts.count > 1 ? parts[1] : 0
            s = parts.count > 2 ? parts[2] : 0
        }
        guard m <= 59, s <= 60 else { throw IntervalParseFailure.overflow }
        let (hm, o) = h.multipliedReportingOverflow(by: Calendar.microsecondsPerHour)
        if o { throw IntervalParseFailure.overflow }
        var total = try sum(hm, m * Calendar.microsecondsPerMinute + s * 1_000_000)
        var f = (fraction * 1_000_000).rounded(.toNearestOrEven)
        if negative { total = -total; f = -f }
        microsExact = try sum(microsExact, total)
        micros += f
    }

    // MARK: ISO 8601

    /// `P[nY][nM][nW][nD][T[nH][nM][nS]]`, numbers optionally signed and fractional.
    mutating func parseISO8601(end: Int) throws {
        i += 1
        if i >= end { throw IntervalParseFailure.syntax }
        var inTime = false
        while i < end {
            if bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") {
                guard !inTime else { throw IntervalParseFailure.syntax }
                inTime = true
                i += 1
                continue
            }
            var negative = false
            if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                negative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end else { throw IntervalParseFailure.syntax }
            let (v, f, _) = try readUnsigned(end: end)
            guard i < end else { throw IntervalParseFailure.syntax }
            let designator = bytes[i] & ~0x20
            i += 1
            let unit: Unit
            switch (inTime, designator) {
            case (false, UInt8(ascii: "Y")): unit = .year
            case (false, UInt8(ascii: "M")): unit = .month
            case (false, UInt8(ascii: "W")): unit = .week
            case (false, UInt8(ascii: "D")): unit = .day
            case (true, UInt8(ascii: "H")): unit = .hour
            case (true, UInt8(ascii: "M")): unit = .minute
            case (true, UInt8(ascii: "S")): unit = .second
            default: throw IntervalParseFailure.syntax
            }
            try add(unit: unit, negative: negative, integer: v, fraction: f)
        }
    }
}
