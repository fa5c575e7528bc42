import FreshetCore
import FreshetPlanner

/// The time functions of Kinesis Data Analytics: CURRENT_ROW_TIMESTAMP,
/// CURRENT_DATE, TSDIFF, UNIX_TIMESTAMP, TO_TIMESTAMP (milliseconds since
/// 1970, UTC), CHAR_TO_TIMESTAMP and TIMESTAMP_TO_CHAR (Java date patterns).
enum TimeFunctions {
    static func compile(_ f: ScalarFunction, _ args: [CompiledExpression], constants: [Value?],
                        context: EvaluationContext) throws -> CompiledExpression {
        switch f {
        case .currentRowTimestamp:
            let ctx = context
            return { _ in .timestamp(ctx.rowClock?() ?? ctx.statementTime) }
        case .currentDate:
            let ctx = context
            return { _ in
                let days = ctx.statementTime >= 0 ? ctx.statementTime / 86_400_000_000 : (ctx.statementTime + 1) / 86_400_000_000 - 1
                return .date(Int32(days))
            }
        case .tsdiff:
            let a = args[0], b = args[1]
            return { row in
                guard case .int(let start) = try a(row), case .int(let end) = try b(row) else { return .null }
                let (d, overflow) = end.subtractingReportingOverflow(start)
                if overflow { throw FreshetError(.numericValueOutOfRange, "bigint out of range") }
                return .int(d)
            }
        case .unixTimestamp:
            let a = args[0]
            return { row in
                guard case .timestamp(let t) = try a(row) else { return .null }
                guard Timestamp.isFinite(t) else { throw FreshetError(.datetimeFieldOverflow, "timestamp out of range") }
                // Floor to the millisecond, so times before 1970 round down as Java's getTime does.
                return .int(t >= 0 ? t / 1000 : (t - 999) / 1000)
            }
        case .toTimestamp:
            let a = args[0]
            return { row in
                guard case .int(let ms) = try a(row) else { return .null }
                let (us, overflow) = ms.multipliedReportingOverflow(by: 1000)
                guard !overflow, us >= Timestamp.minimum, us <= Timestamp.maximum else {
                    throw FreshetError(.datetimeFieldOverflow, "timestamp out of range: \(ms) milliseconds")
                }
                return .timestamp(us)
            }
        case .charToTimestamp, .timestampToChar:
            let fmt = args[0], x = args[1]
            var cache: (String, JavaDateFormat)?
            if case .string(let literal)? = constants[0] { cache = (literal, try JavaDateFormat(literal)) }
            let parsing = f == .charToTimestamp
            return { row in
                guard case .string(let pattern) = try fmt(row) else { return .null }
                let v = try x(row)
                if v.isNull { return .null }
                let format: JavaDateFormat
                if let c = cache, c.0 == pattern { format = c.1 } else {
                    format = try JavaDateFormat(pattern)
                    cache = (pattern, format)
                }
                if parsing {
                    guard case .string(let s) = v else { return .null }
                    return .timestamp(try format.parse(s))
                }
                guard case .timestamp(let t) = v else { return .null }
                guard Timestamp.isFinite(t) else { return .string(t > 0 ? "infinity" : "-infinity") }
                return .string(format.format(t))
            }
        default:
            preconditionFailure("not a time function: \(f)")
        }
    }
}
