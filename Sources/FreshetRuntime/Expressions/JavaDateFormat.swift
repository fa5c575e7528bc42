import FreshetCore

/// A Java `SimpleDateFormat` pattern, as Kinesis Data Analytics'
/// CHAR_TO_TIMESTAMP and TIMESTAMP_TO_CHAR take it, compiled once: letters
/// repeat to set width (`yyyy-MM-dd HH:mm:ss.SSS`), text between single
/// quotes is literal (`''` is a quote), other characters are literal.
///
/// Supported letters: G (era, AD/BC), y/u-less years (`yy` two digits,
/// otherwise the full year), M (1–2 number, 3 short name, 4+ full name),
/// d, D (day of year), E (3- short, 4+ full day name), a (AM/PM), H (0–23),
/// k (1–24), K (0–11), h (1–12), m, s, S (milliseconds), z / Z / X (zone:
/// always UTC when formatting; offsets such as `+0100`, `-05:00`, `Z`,
/// `UTC`, `GMT` are applied when parsing). Timestamps are UTC (KDA).
struct JavaDateFormat {
    enum Field: Character {
        case era = "G", year = "y", month = "M", day = "d", dayOfYear = "D", dayName = "E", ampm = "a"
        case hour23 = "H", hour24 = "k", hour11 = "K", hour12 = "h", minute = "m", second = "s", milli = "S"
        case zoneName = "z", zoneRFC = "Z", zoneISO = "X"
    }
    enum Token { case literal(String), field(Field, Int) }
    let tokens: [Token]

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init(_ pattern: String) throws {
        var tokens: [Token] = []
        let chars = Array(pattern)
        var i = 0
        var lit = ""
        func flush() { if !lit.isEmpty { tokens.append(.literal(lit)); lit = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                if i + 1 < chars.count && chars[i + 1] == "'" { lit.append("'"); i += 2; continue }
                // Quoted text: up to the next lone quote; '' inside it is a quote.
                i += 1
                while true {
                    guard i < chars.count else {
                        throw FreshetError(.invalidDatetimeFormat, "unterminated quoted text in date format \"\(pattern)\"")
                    }
                    if chars[i] == "'" {
                        if i + 1 < chars.count && chars[i + 1] == "'" { lit.append("'"); i += 2; continue }
                        i += 1
                        break
                    }
                    lit.append(chars[i])
                    i += 1
                }
                continue
            }
            if c.isASCII && c.isLetter {
                guard let f = Field(rawValue: c) else {
                    throw FreshetError(.invalidDatetimeFormat, "date format letter '\(c)' is not supported in \"\(pattern)\"",
                                       hint: "Supported: G y M d D E a H k K h m s S z Z X; quote literal text with '…'.")
                }
                var n = 1
                while i + n < chars.count && chars[i + n] == c { n += 1 }
                flush()
                tokens.append(.field(f, n))
                i += n
                continue
            }
            lit.append(c)
            i += 1
        }
        flush()
        self.tokens = tokens
    }

    // MARK: formatting

    func format(_ ts: Int64) -> String {
        let p = Timestamp.parts(ts)
        var out = ""
        func num(_ v: Int64, _ width: Int) {
            let s = String(v.magnitude)
            if v < 0 { out.append("-") }
            if s.count < width { out += String(repeating: "0", count: width - s.count) }
            out += s
        }
        for t in tokens {
            switch t {
            case .literal(let s): out += s
            case let .field(f, n):
                switch f {
                case .era: out += p.year > 0 ? "AD" : "BC"
                case .year:
                    let y = p.year > 0 ? p.year : 1 - p.year
                    if n == 2 { num(y % 100, 2) } else { num(y, n) }
                case .month:
                    if n >= 4 { out += JavaDateFormat.monthNames[p.month - 1] }
                    else if n == 3 { out += JavaDateFormat.monthNames[p.month - 1].prefix(3) }
                    else { num(Int64(p.month), n) }
                case .day: num(Int64(p.day), n)
                case .dayOfYear:
                    num(p.days - Calendar.daysFromCivil(year: p.year, month: 1, day: 1) + 1, n)
                case .dayName:
                    let name = JavaDateFormat.dayNames[Calendar.dayOfWeek(days: p.days)]
                    out += n >= 4 ? name : String(name.prefix(3))
                case .ampm: out += p.hour < 12 ? "AM" : "PM"
                case .hour23: num(Int64(p.hour), n)
                case .hour24: num(Int64(p.hour == 0 ? 24 : p.hour), n)
                case .hour11: num(Int64(p.hour % 12), n)
                case .hour12: num(Int64(p.hour % 12 == 0 ? 12 : p.hour % 12), n)
                case .minute: num(Int64(p.minute), n)
                case .second: num(Int64(p.second), n)
                case .milli: num(Int64(p.microsecond / 1000), n)
                case .zoneName: out += "UTC"
                case .zoneRFC: out += "+0000"
                case .zoneISO: out += "Z"
                }
            }
        }
        return out
    }

    // MARK: parsing

    func parse(_ text: String) throws -> Int64 {
        let s = Array(text)
        var i = 0
        var year: Int64 = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, milli = 0
        var dayOfYear: Int?
        var pm: Bool?, hour12 = false, bc = false
        var offsetMinutes = 0
        func fail(_ why: String) -> FreshetError {
            FreshetError(.invalidDatetimeFormat, "cannot parse \"\(text)\" as a timestamp: \(why)")
        }
        /// Digits: exactly `width` when the next token is a number too (adjacent fields), else as many as there are.
        func number(_ width: Int, adjacent: Bool, allowSign: Bool = false) throws -> Int64 {
            var neg = false
            if allowSign, i < s.count, s[i] == "-" || s[i] == "+" { neg = s[i] == "-"; i += 1 }
            let start = i
            var v: Int64 = 0
            while i < s.count, let d = s[i].wholeNumberValue, s[i].isASCII, !adjacent || i - start < width {
                v = v * 10 + Int64(d)
                i += 1
                if i - start > 18 { throw fail("number too long") }
            }
            if i == start { throw fail("expected a number at position \(start + 1)") }
            return neg ? -v : v
        }
        func name(_ names: [String]) throws -> Int {
            for (k, n) in names.enumerated() {
                for candidate in [n, String(n.prefix(3))] {
                    let end = i + candidate.count
                    if end <= s.count, String(s[i..<end]).lowercased() == candidate.lowercased() {
                        i = end
                        return k
                    }
                }
            }
            throw fail("expected one of \(names.map { String($0.prefix(3)) }.joined(separator: ", ")) at position \(i + 1)")
        }
        for (k, t) in tokens.enumerated() {
            var adjacent = false
            if k + 1 < tokens.count, case .field(let nf, let nn) = tokens[k + 1], !(nf == .month && nn >= 3), nf != .dayName, nf != .ampm, nf != .era {
                adjacent = true
            }
            switch t {
            case .literal(let l):
                for c in l {
                    guard i < s.count, s[i] == c else { throw fail("expected \"\(l)\" at position \(i + 1)") }
                    i += 1
                }
            case let .field(f, n):
                switch f {
                case .era:
                    let v = try name(["AD", "BC"])
                    bc = v == 1
                case .year:
                    let start = i
                    year = try number(n == 2 ? 2 : max(n, 4), adjacent: adjacent || n == 2, allowSign: n != 2)
                    // A two-digit year (Java: within 80 years before and 20 after now; here 1970–2069).
                    if n == 2 && i - start == 2 { year += year < 70 ? 2000 : 1900 }
                case .month:
                    if n >= 3 { month = try name(JavaDateFormat.monthNames) + 1 } else { month = Int(try number(2, adjacent: adjacent)) }
                case .day: day = Int(try number(2, adjacent: adjacent))
                case .dayOfYear: dayOfYear = Int(try number(3, adjacent: adjacent))
                case .dayName: _ = try name(JavaDateFormat.dayNames)
                case .ampm: pm = try name(["AM", "PM"]) == 1
                case .hour23: hour = Int(try number(2, adjacent: adjacent))
                case .hour24: hour = Int(try number(2, adjacent: adjacent)) % 24
                case .hour11: hour = Int(try number(2, adjacent: adjacent)); hour12 = true
                case .hour12: hour = Int(try number(2, adjacent: adjacent)) % 12; hour12 = true
                case .minute: minute = Int(try number(2, adjacent: adjacent))
                case .second: second = Int(try number(2, adjacent: adjacent))
                case .milli:
                    let v = try number(n, adjacent: adjacent)
                    guard v < 1000 else { throw fail("milliseconds \(v) out of range") }
                    milli = Int(v)
                case .zoneName, .zoneRFC, .zoneISO:
                    offsetMinutes = try zone(s, &i, fail)
                }
            }
        }
        if i != s.count { throw fail("unexpected text \"\(String(s[i...]))\" after the format") }
        if let pm, hour12 || pm { if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 } }
        if bc { year = 1 - year }
        var ts: Int64?
        if let doy = dayOfYear {
            let days = Calendar.daysFromCivil(year: year, month: 1, day: 1) + Int64(doy) - 1
            if doy >= 1 && doy <= (Calendar.isLeapYear(year) ? 366 : 365), hour < 24, minute < 60, second < 60 {
                ts = Timestamp.make(days: days, timeOfDay: Int64(hour) * 3_600_000_000 + Int64(minute) * 60_000_000
                                    + Int64(second) * 1_000_000 + Int64(milli) * 1000)
            }
        } else {
            ts = Timestamp.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: milli * 1000)
        }
        guard let t = ts else {
            throw FreshetError(.datetimeFieldOverflow, "date/time field value out of range: \"\(text)\"")
        }
        return t - Int64(offsetMinutes) * 60_000_000
    }

    /// A zone: `Z`, `UTC`, `GMT`, `+hh`, `+hhmm`, `+hh:mm` (also after UTC/GMT). Returns minutes east of UTC.
    private func zone(_ s: [Character], _ i: inout Int, _ fail: (String) -> FreshetError) throws -> Int {
        if i < s.count, s[i] == "Z" { i += 1; return 0 }
        for prefix in ["UTC", "GMT"] where i + 3 <= s.count && String(s[i..<(i + 3)]).uppercased() == prefix {
            i += 3
            if i >= s.count || (s[i] != "+" && s[i] != "-") { return 0 }
        }
        guard i < s.count, s[i] == "+" || s[i] == "-" else { throw fail("expected a time zone at position \(i + 1)") }
        let sign = s[i] == "-" ? -1 : 1
        i += 1
        var digits: [Int] = []
        while i < s.count, digits.count < 4 {
            if s[i] == ":" && digits.count == 2 { i += 1; continue }
            guard let d = s[i].wholeNumberValue, s[i].isASCII else { break }
            digits.append(d)
            i += 1
        }
        guard digits.count == 2 || digits.count == 4 else { throw fail("time zone offset needs hh, hhmm or hh:mm") }
        let h = digits[0] * 10 + digits[1]
        let m = digits.count == 4 ? digits[2] * 10 + digits[3] : 0
        return sign * (h * 60 + m)
    }
}
