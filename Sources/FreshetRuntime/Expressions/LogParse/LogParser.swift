import FreshetCore
import FreshetPlanner

/// Parses one log line into the fields of a LogParseSpec (Kinesis Data Analytics log-parsing
/// functions). A line that does not fit the layout gives nil (every field NULL, as KDA's
/// REGEX_LOG_PARSE documents for a failed match); a field that does not convert to its
/// declared type is NULL alone. Built once per query; `parse` runs per row.
final class LogParser {
    let spec: LogParseSpec
    private let regex: Regex<AnyRegexOutput>?
    /// The year syslog lines (which carry none) are read in: the statement's, UTC.
    private let syslogYear: Int

    init(spec: LogParseSpec, statementTime: Int64) throws {
        self.spec = spec
        if case .regex(let pattern, _) = spec.kind {
            do { regex = try Regex(pattern) } catch {
                throw FreshetError(.invalidRegularExpression, "invalid regular expression: \(pattern)", detail: "\(error)")
            }
        } else {
            regex = nil
        }
        syslogYear = LogParser.civil(fromDays: Int(statementTime / 86_400_000_000)).year
    }

    func parse(_ line: String) -> [Value]? {
        switch spec.kind {
        case .w3c(let tokens): return parseW3C(line, tokens)
        case .regex: return parseRegex(line)
        case let .variable(delimiter, escape, open, close): return parseVariable(line, delimiter, escape, open, close)
        case .fixed: return parseFixed(line)
        case .syslog: return parseSyslog(line)
        }
    }

    /// A piece of text as a value of the field's type; NULL when it does not convert.
    private func convert(_ s: Substring, _ type: DataType) -> Value {
        if type.isString { return .string(String(s)) }
        return (try? Value.parse(pgText: s.trimmingCharacters(" "), as: type)) ?? .null
    }

    // MARK: W3C (Apache common / combined layouts)

    private func parseW3C(_ line: String, _ tokens: [LogParseSpec.W3CToken]) -> [Value]? {
        var line = line
        return line.withUTF8 { u in parseW3C(u, tokens) }
    }

    /// Over the line's UTF-8 bytes in place: no copy of the line, one String per field.
    private func parseW3C(_ u: UnsafeBufferPointer<UInt8>, _ tokens: [LogParseSpec.W3CToken]) -> [Value]? {
        var out: [Value] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        func skipSpaces() { while i < u.count, u[i] == 0x20 { i += 1 } }
        for (n, t) in tokens.enumerated() {
            skipSpaces()
            guard i < u.count else { return nil }
            let start: Int, end: Int
            switch t {
            case .plain:
                start = i
                while i < u.count, u[i] != 0x20 { i += 1 }
                end = i
            case .bracketed:
                guard u[i] == UInt8(ascii: "[") else { return nil }
                start = i + 1
                i = start
                while i < u.count, u[i] != UInt8(ascii: "]") { i += 1 }
                guard i < u.count else { return nil }
                end = i
                i += 1
            case .quoted:
                guard u[i] == UInt8(ascii: "\"") else { return nil }
                start = i + 1
                i = start
                while i < u.count, u[i] != UInt8(ascii: "\"") { i += u[i] == UInt8(ascii: "\\") ? 2 : 1 }
                guard i < u.count else { return nil }
                end = i
                i += 1
            }
            let field = UnsafeBufferPointer(rebasing: u[start..<end])
            let type = spec.fields[n].type
            if type == .bigint || type == .integer {
                out.append(LogParser.integer(field, dashIsZero: type == .bigint))
            } else {
                out.append(.string(String(decoding: field, as: UTF8.self)))
            }
        }
        skipSpaces()
        return i == u.count ? out : nil
    }

    /// Decimal digits as an integer; `-` is 0 for %b (CLF writes it for no bytes); anything else NULL.
    private static func integer(_ b: UnsafeBufferPointer<UInt8>, dashIsZero: Bool) -> Value {
        if b.count == 1 && b[0] == UInt8(ascii: "-") { return dashIsZero ? .int(0) : .null }
        guard !b.isEmpty, b.count <= 18 else { return .null }
        var v: Int64 = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return .null }
            v = v * 10 + Int64(c - 0x30)
        }
        return .int(v)
    }

    // MARK: REGEX_LOG_PARSE, FAST_REGEX_LOG_PARSE

    private func parseRegex(_ line: String) -> [Value]? {
        guard let regex, let m = try? regex.wholeMatch(in: line) else { return nil }
        var out: [Value] = []
        for (n, f) in spec.fields.enumerated() {
            let g = n + 1
            if g < m.output.count, let s = m.output[g].substring { out.append(convert(s, f.type)) } else { out.append(.null) }
        }
        return out
    }

    // MARK: VARIABLE_COLUMN_LOG_PARSE

    private func parseVariable(_ line: String, _ delimiter: String, _ escape: Character?, _ open: Character?, _ close: Character?) -> [Value]? {
        var pieces: [String] = []
        var cur = ""
        let cs = Array(line), d = Array(delimiter)
        var i = 0
        var quoted = false
        while i < cs.count {
            let c = cs[i]
            if let escape, c == escape, i + 1 < cs.count { cur.append(cs[i + 1]); i += 2; continue }
            if quoted {
                if c == close { quoted = false } else { cur.append(c) }
                i += 1
                continue
            }
            if let open, c == open { quoted = true; i += 1; continue }
            if c == d[0], i + d.count <= cs.count, Array(cs[i..<(i + d.count)]) == d {
                pieces.append(cur)
                cur = ""
                i += d.count
                continue
            }
            cur.append(c)
            i += 1
        }
        pieces.append(cur)
        return spec.fields.enumerated().map { n, f in n < pieces.count ? convert(Substring(pieces[n]), f.type) : .null }
    }

    // MARK: FIXED_COLUMN_LOG_PARSE

    private func parseFixed(_ line: String) -> [Value]? {
        let cs = Array(line)
        return spec.fields.map { f in
            guard f.start < cs.count else { return .null }
            let end = f.width.map { min(cs.count, f.start + $0) } ?? cs.count
            let piece = String(cs[f.start..<end])
            return convert(f.type.isString ? Substring(piece) : piece.trimmingCharacters(" "), f.type)
        }
    }

    // MARK: SYS_LOG_PARSE

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mon DD HH:MM:SS rest` (RFC 3164): COLUMN1 the time in the statement's year, COLUMN2 the rest.
    private func parseSyslog(_ line: String) -> [Value]? {
        let u = Array(line.utf8)
        guard u.count >= 15, let month = LogParser.months.firstIndex(of: String(decoding: u[0..<3], as: UTF8.self)), u[3] == 0x20 else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for b in u[r] {
                if b == 0x20 { continue }
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard let day = digits(4..<6), u[6] == 0x20, let h = digits(7..<9), u[9] == 0x3A, let mi = digits(10..<12), u[12] == 0x3A,
              let s = digits(13..<15), (1...31).contains(day), h < 24, mi < 60, s < 61 else { return nil }
        var rest = 15
        while rest < u.count, u[rest] == 0x20 { rest += 1 }
        let days = LogParser.days(year: syslogYear, month: month + 1, day: day)
        let micros = (Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s)) * 1_000_000
        return [.timestamp(micros), .string(String(decoding: u[rest...], as: UTF8.self))]
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension StringProtocol {
    /// The text without leading and trailing `c`.
    func trimmingCharacters(_ c: Character) -> Substring {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return s
    }
}
