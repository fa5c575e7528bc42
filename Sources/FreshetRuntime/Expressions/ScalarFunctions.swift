import FreshetCore
import FreshetPlanner
import Foundation

/// The scalar function library: each function compiled to a closure over its
/// compiled arguments. NULL in gives NULL out unless SQL says otherwise
/// (COALESCE, CONCAT).
enum ScalarFunctions {
    static func compile(_ f: ScalarFunction, _ args: [CompiledExpression], resultType: DataType,
                        argumentTypes: [DataType], constants: [Value?] = [], context: EvaluationContext) throws -> CompiledExpression {
        func text1(_ body: @escaping (String) throws -> Value) -> CompiledExpression {
            let a = args[0]
            return { row in
                guard case .string(let s) = try a(row) else { return .null }
                return try body(s)
            }
        }
        switch f {
        case .lower: return text1 { .string($0.lowercased()) }
        case .upper: return text1 { .string($0.uppercased()) }
        // Characters as PostgreSQL counts them: code points (UTF-8 lead bytes).
        case .length, .charLength: return text1 { s in
            var s = s
            return .int(s.withUTF8 { b in Int64(b.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }) })
        }
        case .abs:
            let a = args[0]
            return { row in
                switch try a(row) {
                case .int(let i):
                    guard i != .min else { throw Arithmetic.outOfRange(resultType) }
                    return .int(Swift.abs(i))
                case .double(let d): return .double(Swift.abs(d))
                case .decimal(let d): return .decimal(FreshetCore.Decimal(mantissa: d.mantissa < 0 ? -d.mantissa : d.mantissa, scale: d.scale))
                default: return .null
                }
            }
        case .round, .floor, .ceil:
            let a = args[0]
            let digitsArg = args.count > 1 ? args[1] : nil
            return { row in
                let v = try a(row)
                var digits = 0
                if let d = digitsArg {
                    guard case .int(let n) = try d(row) else { return .null }
                    digits = Int(n)
                }
                switch v {
                case .double(let d):
                    let scale = pow(10.0, Double(digits))
                    let x = d * scale
                    let r: Double = f == .round ? x.rounded(.toNearestOrAwayFromZero) : (f == .floor ? x.rounded(.down) : x.rounded(.up))
                    return .double(r / scale)
                case .decimal(let dec):
                    return .decimal(roundDecimal(dec, to: f == .round ? digits : 0, mode: f))
                case .int: return v
                default: return .null
                }
            }
        case .coalesce:
            return { row in
                for a in args {
                    let v = try a(row)
                    if !v.isNull { return v }
                }
                return .null
            }
        case .greatest, .least:
            let wantGreater = f == .greatest
            return { row in
                var best: Value = .null
                for a in args {
                    let v = try a(row)
                    if v.isNull { continue }
                    if best.isNull { best = v; continue }
                    let c = Value.sortCompare(v, best)
                    if (wantGreater && c > 0) || (!wantGreater && c < 0) { best = v }
                }
                return best
            }
        case .nullif:
            let a = args[0], b = args[1]
            return { row in
                let x = try a(row), y = try b(row)
                if !x.isNull && !y.isNull && Value.sortCompare(x, y) == 0 { return .null }
                return x
            }
        case .now, .currentTimestamp:
            let ctx = context
            return { _ in .timestamp(ctx.statementTime) }
        case .version:
            return { _ in .string("PostgreSQL 15.0 (Freshet 0.1, a SQL-first streaming database) on x86_64-pc-linux-gnu") }
        case .currentDatabase:
            let ctx = context
            return { _ in .string(ctx.database) }
        case .currentUser:
            let ctx = context
            return { _ in .string(ctx.user) }
        case .currentSchema:
            return { _ in .string("public") }
        case .substring:
            let s = args[0], from = args[1], len = args.count > 2 ? args[2] : nil
            return { row in
                guard case .string(let str) = try s(row), case .int(let start) = try from(row) else { return .null }
                var count: Int64? = nil
                if let len {
                    guard case .int(let n) = try len(row) else { return .null }
                    if n < 0 { throw FreshetError(.invalidParameterValue, "negative substring length not allowed") }
                    count = n
                }
                let chars = Array(str)
                // SQL positions are 1-based; characters before 1 are counted against the length.
                var lo = start - 1
                var hi = count.map { lo + $0 } ?? Int64(chars.count)
                lo = max(lo, 0)
                hi = min(hi, Int64(chars.count))
                if hi <= lo { return .string("") }
                return .string(String(chars[Int(lo)..<Int(hi)]))
            }
        case .position:
            let needle = args[0], hay = args[1]
            return { row in
                guard case .string(let n) = try needle(row), case .string(let h) = try hay(row) else { return .null }
                if n.isEmpty { return .int(1) }
                guard let r = h.range(of: n) else { return .int(0) }
                return .int(Int64(h.distance(from: h.startIndex, to: r.lowerBound) + 1))
            }
        case .trim, .ltrim, .rtrim:
            let s = args[0], chars = args.count > 1 ? args[1] : nil
            return { row in
                guard case .string(let str) = try s(row) else { return .null }
                var set: Set<Character> = [" "]
                if let chars {
                    guard case .string(let c) = try chars(row) else { return .null }
                    set = Set(c)
                }
                var sub = Substring(str)
                if f != .rtrim { while let c = sub.first, set.contains(c) { sub = sub.dropFirst() } }
                if f != .ltrim { while let c = sub.last, set.contains(c) { sub = sub.dropLast() } }
                return .string(String(sub))
            }
        case .replace:
            let s = args[0], from = args[1], to = args[2]
            return { row in
                guard case .string(let str) = try s(row), case .string(let a) = try from(row), case .string(let b) = try to(row) else { return .null }
                if a.isEmpty { return .string(str) }
                return .string(str.replacingOccurrences(of: a, with: b))
            }
        case .concat:
            return { row in
                var out = ""
                for a in args { if case .string(let s) = try a(row) { out += s } }
                return .string(out)
            }
        case .sqrt, .exp, .ln, .log10:
            let a = args[0]
            return { row in
                guard case .double(let d) = try a(row) else { return .null }
                switch f {
                case .sqrt:
                    if d < 0 { throw FreshetError(.invalidParameterValue, "cannot take square root of a negative number") }
                    return .double(d.squareRoot())
                case .exp: return try Arithmetic.finite(Foundation.exp(d))
                case .ln, .log10:
                    if d == 0 { throw FreshetError(.invalidParameterValue, "cannot take logarithm of zero") }
                    if d < 0 { throw FreshetError(.invalidParameterValue, "cannot take logarithm of a negative number") }
                    return .double(f == .ln ? Foundation.log(d) : Foundation.log10(d))
                default: return .null
                }
            }
        case .floorTo, .ceilTo:
            let x = args[0], unitArg = args[1]
            return { row in
                guard case .timestamp(let t) = try x(row), case .string(let u) = try unitArg(row) else { return .null }
                guard let unit = DateTimeField(rawValue: u) else {
                    throw FreshetError(.invalidParameterValue, "unit \"\(u)\" not recognized for FLOOR/CEIL")
                }
                return .timestamp(f == .floorTo ? try Timestamp.truncate(t, to: unit) : try Timestamp.ceiling(t, to: unit))
            }
        case .stepBy:
            let x = args[0], width = args[1]
            return { row in
                let v = try x(row), w = try width(row)
                switch (v, w) {
                case let (.timestamp(t), .interval(i)):
                    let size = try TimeWindows.fixedLength(i)
                    return .timestamp(TimeWindows.floor(t, size))
                case let (.int(a), .int(b)):
                    if b <= 0 { throw FreshetError(.invalidParameterValue, "STEP width must be positive") }
                    return .int(TimeWindows.floor(a, b))
                case let (.double(a), .double(b)):
                    if b <= 0 { throw FreshetError(.invalidParameterValue, "STEP width must be positive") }
                    return .double((a / b).rounded(.down) * b)
                case (.null, _), (_, .null): return .null
                default: throw FreshetError(.datatypeMismatch, "STEP arguments have unsupported types")
                }
            }
        case .extract:
            let fieldArg = args[0], x = args[1]
            return { row in
                guard case .string(let name) = try fieldArg(row) else { return .null }
                guard let field = DateTimeField(rawValue: name) ?? DateTimeField(rawValue: name + "s") else {
                    throw FreshetError(.invalidParameterValue, "EXTRACT field \"\(name)\" not recognized")
                }
                switch try x(row) {
                case .timestamp(let t):
                    let d = try Timestamp.extract(field, from: t)
                    return .double(d.doubleValue)
                case .null: return .null
                default: throw FreshetError(.datatypeMismatch, "EXTRACT needs a timestamp")
                }
            }
        case .mod, .power:
            throw FreshetError(.featureNotSupported, "function \(f.rawValue) is not supported yet")
        case .overlay, .initcap, .left, .right, .repeatText, .reverse, .lpad, .rpad, .splitPart:
            return StringFunctions.compile(f, args)
        case .regexReplace, .similarTo:
            return try RegexFunctions.compile(f, args, constants: constants)
        case .likeEscape, .ilikeEscape:
            return try LikeMatcher.compileWithEscape(args, constants: constants, caseInsensitive: f == .ilikeEscape)
        case .sign:
            let a = args[0]
            return { row in
                switch try a(row) {
                case .int(let i): return .int(i.signum())
                case .double(let d): return .double(d > 0 ? 1 : (d < 0 ? -1 : 0))
                case .decimal(let d): return .decimal(FreshetCore.Decimal(mantissa: Int128(d.mantissa.signum()), scale: 0))
                default: return .null
                }
            }
        case .currentRowTimestamp, .currentDate, .tsdiff, .unixTimestamp, .toTimestamp, .charToTimestamp, .timestampToChar:
            return try TimeFunctions.compile(f, args, constants: constants, context: context)
        case .jsonValue:
            return try JSONPath.compileJSONValue(args, constants: constants)
        case .logParse:
            return try LogParseFunctions.compile(args, constants: constants, memo: LogParseMemo(), context: context)
        }
    }

    static func roundDecimal(_ d: FreshetCore.Decimal, to digits: Int, mode: ScalarFunction) -> FreshetCore.Decimal {
        guard d.scale > digits else { return d }
        var m = d.mantissa
        var divisor: Int128 = 1
        for _ in digits..<d.scale { divisor *= 10 }
        let q = m / divisor, r = m % divisor
        switch mode {
        case .round:
            let twice = (r < 0 ? -r : r) * 2
            m = twice >= divisor ? q + (m < 0 ? -1 : 1) : q
        case .floor: m = (r < 0) ? q - 1 : q
        default: m = (r > 0) ? q + 1 : q
        }
        return FreshetCore.Decimal(mantissa: m, scale: max(digits, 0))
    }
}
