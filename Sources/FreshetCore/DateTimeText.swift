/// Text output and input of DATE, TIME and TIMESTAMP, as PostgreSQL 15 with
/// DateStyle `ISO, MDY`: output `2026-01-31`, `12:34:56.789`,
/// `2026-01-31 12:34:56.123456` (fraction trimmed of trailing zeros, years
/// before 1 AD as `0044-03-15 BC`, `infinity`/`-infinity`); input in ISO 8601
/// and the common forms of PostgreSQL's ParseDateTime/DecodeDateTime
/// (`2026-01-31T12:34:56.5`, `20260131`, `2026/01/31`, `1/31/2026`,
/// `Jan 31 2026`, `31-Jan-2026`, `1:2:3 pm`, `epoch`, `infinity`).
///
/// One deliberate difference: a time zone on TIMESTAMP input (`Z`, `+02`,
/// `+02:00`, `-0530`, `UTC`) converts the value to UTC, because Freshet's
/// timestamps are UTC instants written without a zone; PostgreSQL ignores
/// the zone for `timestamp without time zone`. TIME input ignores a zone, as
/// PostgreSQL does.
public enum DateTimeText {
    // MARK: Output

    /// Appends `YYYY-MM-DD` (` BC` for years ≤ 0), or `infinity` / `-infinity`.
    public static func appendDate(_ days: Int32, to buffer: inout [UInt8]) {
        if days == Int32.max { buffer.append(contentsOf: "infinity".utf8); return }
        if days == Int32.min { buffer.append(contentsOf: "-infinity".utf8); return }
        let (y, m, d) = Calendar.civilFromDays(Int64(days))
        appendYMD(y, m, d, to: &buffer)
        if y <= 0 { buffer.append(contentsOf: " BC".utf8) }
    }

    @inline(__always)
    static func appendYMD(_ y: Int64, _ m: Int, _ d: Int, to buffer: inout [UInt8]) {
        let displayYear = y > 0 ? y : 1 - y
        appendZeroPadded(UInt64(displayYear), width: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendZeroPadded(UInt64(m), width: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendZeroPadded(UInt64(d), width: 2, to: &buffer)
    }

    /// Appends `HH:MM:SS[.ffffff]` for microseconds since midnight (`24:00:00` allowed).
    public static func appendTime(_ micros: Int64, to buffer: inout [UInt8]) {
        let t = UInt64(max(micros, 0))
        let h = t / 3_600_000_000
        let mi = (t / 60_000_000) % 60
        let s = (t / 1_000_000) % 60
        appendZeroPadded(h, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendZeroPadded(mi, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendZeroPadded(s, width: 2, to: &buffer)
        appendFraction(t % 1_000_000, to: &buffer)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS[.ffffff][ BC]`, or `infinity` / `-infinity`.
    public static func appendTimestamp(_ ts: Int64, to buffer: inout [UInt8]) {
        if ts == Timestamp.infinity { buffer.append(contentsOf: "infinity".utf8); return }
        if ts == Timestamp.negativeInfinity { buffer.append(contentsOf: "-infinity".utf8); return }
        let (days, tod) = Calendar.floorDivMod(ts, Calendar.microsecondsPerDay)
        let (y, m, d) = Calendar.civilFromDays(days)
        appendYMD(y, m, d, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        appendTime(tod, to: &buffer)
        if y <= 0 { buffer.append(contentsOf: " BC".utf8) }
    }

    // MARK: Input

    /// The earliest and latest DATE (4714-11-24 BC … 5874897-12-31), as days since 1970.
    public static let minimumDate: Int32 = -2_440_588
    public static let maximumDate: Int32 = Int32(Calendar.daysFromCivil(year: 5_874_897, month: 12, day: 31))

    /// Parses DATE text; throws 22007 / 22008 with PostgreSQL's messages.
    public static func parseDate(_ text: Substring) throws -> Int32 {
        let f = try fields(text, typeName: "date")
        switch f.special {
        case .infinity: return Int32.max
        case .negativeInfinity: return Int32.min
        case .epoch: return 0
        case nil: break
        }
        guard let days = f.days else { throw syntax(text, "date") }
        guard days >= Int64(minimumDate), days <= Int64(maximumDate) else {
            throw FreshetError(.datetimeFieldOverflow, "date out of range: \"\(text)\"")
        }
        return Int32(days)
    }

    /// Parses TIME text (a date part, if any, is ignored, as is a zone).
    public static func parseTime(_ text: Substring) throws -> Int64 {
        let f = try fields(text, typeName: "time")
        guard f.special == nil, let tod = f.timeOfDay else { throw syntax(text, "time") }
        guard tod <= Calendar.microsecondsPerDay else {
            throw FreshetError(.datetimeFieldOverflow, "date/time field value out of range: \"\(text)\"")
        }
        return tod
    }

    /// Parses TIMESTAMP text; a date alone means midnight; a zone converts to UTC.
    public static func parseTimestamp(_ text: Substring) throws -> Int64 {
        let f = try fields(text, typeName: "timestamp")
        switch f.special {
        case .infinity: return Timestamp.infinity
        case .negativeInfinity: return Timestamp.negativeInfinity
        case .epoch: return 0
        case nil: break
        }
        guard let days = f.days else { throw syntax(text, "timestamp") }
        var micros = (f.timeOfDay ?? 0) - Int64(f.offsetSeconds ?? 0) * 1_000_000
        guard days > -3_000_000, days < 110_000_000 else {
            throw FreshetError(.datetimeFieldOverflow, "timestamp out of range: \"\(text)\"")
        }
        micros = micros + 0  // time of day may carry into the next day (24:00:00, :60)
        guard let ts = Timestamp.make(days: days, timeOfDay: micros) else {
            throw FreshetError(.datetimeFieldOverflow, "timestamp out of range: \"\(text)\"")
        }
        return ts
    }

    /// The canonical forms `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.f…]` and the same
    /// with `T`, parsed straight from bytes (the COPY FROM hot path); nil for
    /// anything else, which then goes through the general parser.
    @inline(__always)
    static func fastTimestamp(_ b: UnsafeRawBufferPointer) -> Int64? {
        let n = b.count
        guard n >= 10 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let d = b[i] &- 48
            return d < 10 ? Int64(d) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int64? {
            guard let a = digit(i), let c = digit(i + 1) else { return nil }
            return a * 10 + c
        }
        guard let y1 = two(0), let y2 = two(2), b[4] == UInt8(ascii: "-"), let mo = two(5),
              b[7] == UInt8(ascii: "-"), let d = two(8) else { return nil }
        let year = y1 * 100 + y2
        guard year >= 1, mo >= 1, mo <= 12, d >= 1, d <= Int64(Calendar.daysInMonth(year: year, month: Int(mo))) else { return nil }
        let days = Calendar.daysFromCivil(year: year, month: Int(mo), day: Int(d))
        if n == 10 { return days * Calendar.microsecondsPerDay }
        guard n >= 19, b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
              let h = two(11), b[13] == UInt8(ascii: ":"), let mi = two(14), b[16] == UInt8(ascii: ":"), let sec = two(17),
              h <= 23, mi <= 59, sec <= 59 else { return nil }
        var micros: Int64 = 0
        if n > 19 {
            guard b[19] == UInt8(ascii: "."), n > 20, n <= 26 else { return nil }
            var scale: Int64 = 100_000
            for i in 20..<n {
                guard let x = digit(i) else { return nil }
                micros += x * scale
                scale /= 10
            }
        }
        return days * Calendar.microsecondsPerDay + h * Calendar.microsecondsPerHour + mi * Calendar.microsecondsPerMinute
            + sec * 1_000_000 + micros
    }

    static func syntax(_ text: Substring, _ type: String) -> FreshetError {
        FreshetError(.invalidDatetimeFormat, "invalid input syntax for type \(type): \"\(text)\"")
    }

    enum Special { case infinity, negativeInfinity, epoch }

    struct Fields {
        var special: Special?
        var days: Int64?
        var timeOfDay: Int64?
        var offsetSeconds: Int?
    }

    static let monthNames: [String] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let fullMonthNames: [String] = ["january", "february", "march", "april", "may", "june", "july",
                                           "august", "september", "october", "november", "december"]

    static func month(named w: String) -> Int? {
        if let i = monthNames.firstIndex(of: w) { return i + 1 }
        if let i = fullMonthNames.firstIndex(of: w) { return i + 1 }
        if w == "sept" { return 9 }
        return nil
    }

    /// Splits date/time text into a date, a time of day and a zone offset.
    static func fields(_ text: Substring, typeName: String) throws -> Fields {
        let chars = Array(text.utf8)
        var i = 0
        let n = chars.count
        var out = Fields()
        func bad() -> FreshetError { syntax(text, typeName) }
        func fieldOverflow(hint: Bool = false) -> FreshetError {
            FreshetError(.datetimeFieldOverflow, "date/time field value out of range: \"\(text)\"",
                         hint: hint ? "Perhaps you need a different \"datestyle\" setting." : nil)
        }
        // Whole-word specials.
        let lower = String(decoding: chars.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
            .trimmingASCIISpaces()
        switch lower {
        case "infinity", "+infinity": out.special = .infinity; return out
        case "-infinity": out.special = .negativeInfinity; return out
        case "epoch": out.special = .epoch; return out
        case "now", "today", "tomorrow", "yesterday", "allballs":
            throw FreshetError(.featureNotSupported, "\"\(lower)\" is not supported in \(typeName) input; use CURRENT_TIMESTAMP, CURRENT_DATE or an explicit value")
        default: break
        }

        var year: Int64?, month: Int?, day: Int?
        var loose: [(value: Int64, digits: Int)] = []   // numbers next to a month name
        var textMonth: Int?
        var hour: Int64?, minute: Int64 = 0, second: Int64 = 0, micro: Int64 = 0
        var pm: Bool?
        var bc = false
        var sawDate = false

        func readDigits() -> (Int64, Int)? {
            var v: Int64 = 0
            var d = 0
            while i < n, isASCIIDigit(chars[i]) {
                if d < 18 { v = v * 10 + Int64(chars[i] - 48) }
                d += 1
                i += 1
            }
            return d == 0 ? nil : (v, d)
        }
        func readWord() -> String {
            var w: [UInt8] = []
            while i < n, (chars[i] | 0x20) >= 97, (chars[i] | 0x20) <= 122 { w.append(chars[i] | 0x20); i += 1 }
            return String(decoding: w, as: UTF8.self)
        }

        while i < n {
            let c = chars[i]
            if isASCIISpace(c) || c == UInt8(ascii: ",") { i += 1; continue }
            if isASCIIDigit(c) {
                let start = i
                guard let (v1, d1) = readDigits() else { throw bad() }
                if i < n, chars[i] == UInt8(ascii: ":") {
                    // Time: h:m[:s[.f]]
                    guard hour == nil, d1 <= 2 || true else { throw bad() }
                    i += 1
                    guard let (mv, _) = readDigits() else { throw bad() }
                    var sv: Int64 = 0
                    var us: Int64 = 0
                    if i < n, chars[i] == UInt8(ascii: ":") {
                        i += 1
                        guard let (s, _) = readDigits() else { throw bad() }
                        sv = s
                        if i < n, chars[i] == UInt8(ascii: ".") {
                            i += 1
                            // As PostgreSQL: the fraction as a double, rint(fraction × 10⁶).
                            var digits: Int64 = 0
                            var k = 0
                            while i < n, isASCIIDigit(chars[i]) {
                                if k < 15 { digits = digits * 10 + Int64(chars[i] - 48); k += 1 }
                                i += 1
                            }
                            let fraction = k == 0 ? 0 : Double(digits) / Double.exactPowerOfTen[k]
                            us = Int64((fraction * 1_000_000).rounded(.toNearestOrEven))
                        }
                    }
                    hour = v1; minute = mv; second = sv; micro = us
                    continue
                }
                if i < n, chars[i] == UInt8(ascii: "-") || chars[i] == UInt8(ascii: "/") || chars[i] == UInt8(ascii: "."),
                   i + 1 < n, !sawDate {
                    // Date with separators: y-m-d, m/d/y, d-Mon-y.
                    let sep = chars[i]
                    i += 1
                    var mid: Int64 = 0
                    var midIsName = false
                    if isASCIIDigit(chars[i]) {
                        guard let (v, _) = readDigits() else { throw bad() }
                        mid = v
                    } else {
                        let w = readWord()
                        guard let mo = DateTimeText.month(named: w) else { throw bad() }
                        mid = Int64(mo)
                        midIsName = true
                    }
                    guard i < n, chars[i] == sep else { throw bad() }
                    i += 1
                    guard let (v3, d3) = readDigits() else { throw bad() }
                    sawDate = true
                    if midIsName {
                        day = Int(v1); month = Int(mid); year = v3
                        if d1 >= 3 { year = v1; day = Int(v3) }
                    } else if d1 >= 3 {
                        year = v1; month = Int(mid); day = Int(v3)
                    } else if d3 >= 3 || true {
                        // MDY (DateStyle ISO, MDY)
                        month = Int(v1); day = Int(mid); year = v3
                        if d3 < 3 && d1 < 3 { /* two-digit year: as PostgreSQL, taken literally */ }
                    }
                    _ = start
                    // "T" between date and time
                    if i < n, chars[i] == UInt8(ascii: "T") || chars[i] == UInt8(ascii: "t") { i += 1 }
                    continue
                }
                if d1 == 8, !sawDate, textMonth == nil {
                    sawDate = true
                    year = v1 / 10_000; month = Int((v1 / 100) % 100); day = Int(v1 % 100)
                    if i < n, chars[i] == UInt8(ascii: "T") || chars[i] == UInt8(ascii: "t") { i += 1 }
                    continue
                }
                if d1 == 6, sawDate, hour == nil, textMonth == nil {
                    // "20260131 123456": hhmmss after a date
                    hour = v1 / 10_000; minute = (v1 / 100) % 100; second = v1 % 100
                    continue
                }
                loose.append((v1, d1))
                continue
            }
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")), hour != nil, out.offsetSeconds == nil {
                // Zone offset: ±hh, ±hh:mm, ±hhmm
                let neg = c == UInt8(ascii: "-")
                i += 1
                guard let (v, d) = readDigits() else { throw bad() }
                var h: Int64, m: Int64 = 0
                if i < n, chars[i] == UInt8(ascii: ":") {
                    i += 1
                    guard let (mv, _) = readDigits() else { throw bad() }
                    h = v; m = mv
                } else if d > 2 {
                    h = v / 100; m = v % 100
                } else {
                    h = v
                }
                guard h <= 15, m < 60 else {
                    throw FreshetError(SQLState("22009"), "time zone displacement out of range: \"\(text)\"")
                }
                let secs = Int(h * 3600 + m * 60)
                out.offsetSeconds = neg ? -secs : secs
                continue
            }
            if (c | 0x20) >= 97 && (c | 0x20) <= 122 {
                let w = readWord()
                if let mo = DateTimeText.month(named: w) {
                    guard textMonth == nil, !sawDate else { throw bad() }
                    textMonth = mo
                    if i < n, chars[i] == UInt8(ascii: "-") || chars[i] == UInt8(ascii: ".") { i += 1 }
                } else if w == "bc" {
                    bc = true
                } else if w == "ad" {
                    bc = false
                } else if w == "am" || w == "pm" {
                    pm = w == "pm"
                } else if w == "z" || w == "utc" || w == "gmt" || w == "zulu" {
                    out.offsetSeconds = 0
                } else if w == "t", i < n, isASCIIDigit(chars[i]) {
                    continue
                } else {
                    // Weekday names are accepted and ignored, as PostgreSQL does.
                    let weekdays = ["sun", "mon", "tue", "tues", "wed", "wednes", "thu", "thur", "thurs", "fri", "sat",
                                    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
                    if !weekdays.contains(w) { throw bad() }
                }
                continue
            }
            throw bad()
        }

        if let mo = textMonth {
            // "Jan 31 2026", "31 Jan 2026", "January 31, 2026"
            guard loose.count == 2 else { throw bad() }
            month = mo
            let a = loose[0], b = loose[1]
            if a.digits >= 3 || a.value > 31 { year = a.value; day = Int(b.value) } else { day = Int(a.value); year = b.value }
            sawDate = true
        } else if !loose.isEmpty {
            throw bad()
        }

        if sawDate {
            guard let y = year, let m = month, let d = day else { throw bad() }
            guard m >= 1, m <= 12 else { throw fieldOverflow(hint: true) }
            guard y >= 1, y < 6_000_000 else { throw fieldOverflow() }
            let astronomical = bc ? 1 - y : y
            guard d >= 1, d <= Calendar.daysInMonth(year: astronomical, month: m) else { throw fieldOverflow() }
            out.days = Calendar.daysFromCivil(year: astronomical, month: m, day: d)
        } else if bc {
            throw bad()
        }
        if var h = hour {
            if let pm {
                guard h >= 1, h <= 12 else { throw fieldOverflow() }
                if h == 12 { h = 0 }
                if pm { h += 12 }
            }
            guard h >= 0, h <= 24, minute >= 0, minute <= 59, second >= 0, second <= 60 else { throw fieldOverflow() }
            let tod = h * Calendar.microsecondsPerHour + minute * Calendar.microsecondsPerMinute + second * 1_000_000 + micro
            if h == 24 && tod != Calendar.microsecondsPerDay { throw fieldOverflow() }
            out.timeOfDay = tod
        } else if pm != nil {
            throw bad()
        }
        if out.days == nil && out.timeOfDay == nil { throw bad() }
        return out
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var u = Substring(self).utf8[...]
        while let f = u.first, isASCIISpace(f) { u = u.dropFirst() }
        while let l = u.last, isASCIISpace(l) { u = u.dropLast() }
        return String(Substring(u))
    }
}
