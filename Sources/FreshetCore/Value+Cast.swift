/// SQL CAST between the Freshet types, as PostgreSQL's cast catalogue allows:
/// numeric ↔ numeric with range checks (22003) — float → integer rounds half
/// to even (`rint`, as PostgreSQL), numeric → integer half away from zero —
/// anything ↔ text through the text I/O, date ↔ timestamp, timestamp → time,
/// time ↔ interval, integer ↔ boolean. Other pairs raise 42846
/// "cannot cast type x to y".
extension Value {
    /// Casts this value of type `source` to `target`. `explicit` is true for
    /// CAST / `::` (a too-long string is cut to VARCHAR(n)/CHAR(n)), false for
    /// assignment (INSERT), where it is 22001 unless the excess is spaces.
    public func cast(to target: DataType, from source: DataType, explicit: Bool = true) throws -> Value {
        if case .null = self { return .null }
        if case .unknown = target { return self }
        let fail = { FreshetError(.cannotCoerce, "cannot cast type \(source.sqlName) to \(target.sqlName)") }

        // Strings to anything: the target's text input.
        if case .string(let s) = self {
            var text = Substring(s)
            if case .char = source {
                // bpchar drops its trailing spaces when it becomes another type.
                while text.last == " " { text = text.dropLast() }
            }
            switch target {
            case .varchar(let n), .char(let n as Int?):
                return .string(try Value.fitForCast(String(text), target: target, limit: n, explicit: explicit))
            default:
                return try Value.parse(pgText: text, as: target)
            }
        }

        // Anything to strings: the text output.
        if target.isString {
            let text: String
            switch self {
            case .bool(let b): text = b ? "true" : "false"
            default: text = pgText(as: source)
            }
            let limit: Int?
            if case .varchar(let n) = target { limit = n } else if case .char(let n) = target { limit = n } else { limit = nil }
            return .string(try Value.fitForCast(text, target: target, limit: limit, explicit: explicit))
        }

        switch (self, target) {
        // Integers
        case let (.int(i), t) where t.isInteger:
            return .int(try SQLArithmetic.checked(i, as: t))
        case let (.int(i), .real): return .double(Double(Float(i)))
        case let (.int(i), .double): return .double(Double(i))
        case let (.int(i), .decimal(p, s)): return .decimal(try Decimal(i).coerced(precision: p, scale: s))
        case let (.int(i), .boolean):
            guard source == .integer || source == .unknown || source == .tinyint || source == .smallint else { throw fail() }
            return .bool(i != 0)
        case let (.bool(b), t) where t == .integer || t == .smallint || t == .tinyint:
            return .int(b ? 1 : 0)
        case (.bool, .boolean): return self

        // Floats
        case let (.double(d), t) where t.isInteger:
            let r = d.rounded(.toNearestOrEven)
            guard r.isFinite, r >= -9.223372036854775808e18, r < 9.223372036854775808e18 else { throw SQLArithmetic.outOfRange(t) }
            return .int(try SQLArithmetic.checked(Int64(r), as: t))
        case let (.double(d), .real):
            let f = Float(d)
            if f.isInfinite && d.isFinite { throw SQLArithmetic.overflow }
            if f == 0 && d != 0 { throw SQLArithmetic.underflow }
            return .double(Double(f))
        case (.double, .double): return self
        case let (.double(d), .decimal(p, s)):
            let digits = source == .real ? 6 : 15
            return .decimal(try Decimal(d, significantDigits: digits).coerced(precision: p, scale: s))

        // Decimals
        case let (.decimal(x), t) where t.isInteger:
            guard let v = x.roundedInteger(), let i = Int64(exactly: v) else { throw SQLArithmetic.outOfRange(t) }
            return .int(try SQLArithmetic.checked(i, as: t))
        case let (.decimal(x), .double): return .double(x.doubleValue)
        case let (.decimal(x), .real):
            let f = Float(x.doubleValue)
            if f.isInfinite { throw SQLArithmetic.overflow }
            return .double(Double(f))
        case let (.decimal(x), .decimal(p, s)): return .decimal(try x.coerced(precision: p, scale: s))

        // Date and time
        case (.date, .date), (.timestamp, .timestamp), (.time, .time), (.interval, .interval), (.bytes, .bytea):
            return self
        case let (.date(d), .timestamp):
            return .timestamp(Value.timestamp(ofDate: d))
        case let (.timestamp(t), .date):
            if t == Timestamp.infinity { return .date(Int32.max) }
            if t == Timestamp.negativeInfinity { return .date(Int32.min) }
            return .date(Int32(Calendar.floorDivMod(t, Calendar.microsecondsPerDay).quotient))
        case let (.timestamp(t), .time):
            guard Timestamp.isFinite(t) else { throw FreshetError(.datetimeFieldOverflow, "timestamp out of range") }
            return .time(Calendar.floorDivMod(t, Calendar.microsecondsPerDay).remainder)
        case let (.time(t), .interval):
            return .interval(Interval(microseconds: t))
        case let (.interval(iv), .time):
            // PostgreSQL's interval_time: the time part modulo one day.
            var t = iv.microseconds % Calendar.microsecondsPerDay
            if t < 0 { t += Calendar.microsecondsPerDay }
            return .time(t)

        default:
            throw fail()
        }
    }

    /// Fits cast text to VARCHAR(n)/CHAR(n): explicit casts cut, assignments
    /// allow only excess spaces; CHAR pads.
    static func fitForCast(_ s: String, target: DataType, limit: Int?, explicit: Bool) throws -> String {
        guard let n = limit else { return s }
        let scalars = s.unicodeScalars
        let count = scalars.count
        var result = s
        if count > n {
            let cutIndex = scalars.index(scalars.startIndex, offsetBy: n)
            let excess = scalars[cutIndex...]
            if !explicit && excess.contains(where: { $0 != " " }) {
                throw FreshetError(.stringDataRightTruncation, "value too long for type \(target.sqlName)")
            }
            result = String(String.UnicodeScalarView(scalars[..<cutIndex]))
        } else if case .char = target, count < n {
            result += String(repeating: " ", count: n - count)
        }
        return result
    }
}
