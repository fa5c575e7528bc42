import FreshetCore
import FreshetSQL

/// The scalar catalogue beyond the PostgreSQL basics of `bindFunction`: the
/// string, numeric, time and JSON functions of SQL.md ("Functions"), with
/// Kinesis Data Analytics semantics where KDA defines the function and
/// PostgreSQL's where it does not. Returns nil for a name it does not know.
extension Binder {
    /// Names the binder resolves before user functions: a SQL function may not take one
    /// (it could never be called).
    public static let builtinFunctionNames: Set<String> = aggregateNames.union([
        "lower", "upper", "length", "char_length", "character_length", "abs", "round", "floor", "ceil", "ceiling",
        "coalesce", "greatest", "least", "nullif", "now", "current_timestamp", "localtimestamp", "substring", "substr",
        "position", "strpos", "trim", "btrim", "ltrim", "rtrim", "replace", "concat", "mod", "power", "pow", "sqrt",
        "exp", "ln", "log10", "log", "initcap", "reverse", "overlay", "left", "right", "repeat", "lpad", "rpad",
        "split_part", "regex_replace", "sign", "current_row_timestamp", "current_date", "tsdiff", "unix_timestamp",
        "to_timestamp", "char_to_timestamp", "timestamp_to_char", "json_value", "monotonic", "version",
        "current_database", "current_user", "session_user", "user", "current_schema",
    ]).union(analyticFunctionNames).union(LogParseSpec.functionNames)

    func bindCatalogueFunction(_ name: String, _ args: [BoundExpression], _ call: FunctionCall, _ scope: Scope,
                               grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression? {
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else {
                let want = n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)"
                throw PlanError.error(.undefinedFunction, "function \(name) takes \(want) argument(s), not \(args.count)", span)
            }
        }
        func text(_ i: Int) throws -> BoundExpression { try castExpression(args[i], to: .text, span: call.arguments[i].span, explicit: true) }
        func int(_ i: Int) throws -> BoundExpression { try castExpression(args[i], to: .bigint, span: call.arguments[i].span, explicit: false) }
        func timestamp(_ i: Int) throws -> BoundExpression {
            guard args[i].type == .timestamp || args[i].type == .date || args[i].type == .unknown || args[i].type.isString else {
                throw PlanError.error(.datatypeMismatch, "\(name) needs a timestamp, not \(args[i].type.sqlName)", call.arguments[i].span)
            }
            return try castExpression(args[i], to: .timestamp, span: call.arguments[i].span, explicit: false)
        }
        switch name {
        case "initcap", "reverse":
            try arity(1...1)
            return .function(name == "initcap" ? .initcap : .reverse, [try text(0)], .text)
        case "overlay":
            try arity(3...4)
            var a = [try text(0), try text(1), try int(2)]
            if args.count == 4 { a.append(try int(3)) }
            return .function(.overlay, a, .text)
        case "left", "right":
            try arity(2...2)
            return .function(name == "left" ? .left : .right, [try text(0), try int(1)], .text)
        case "repeat":
            try arity(2...2)
            return .function(.repeatText, [try text(0), try int(1)], .text)
        case "lpad", "rpad":
            try arity(2...3)
            var a = [try text(0), try int(1)]
            if args.count == 3 { a.append(try text(2)) }
            return .function(name == "lpad" ? .lpad : .rpad, a, .text)
        case "split_part":
            try arity(3...3)
            return .function(.splitPart, [try text(0), try text(1), try int(2)], .text)
        case "regex_replace":
            try arity(3...5)
            var a = [try text(0), try text(1), try text(2)]
            a.append(args.count > 3 ? try int(3) : .literal(.int(1), .bigint))
            a.append(args.count > 4 ? try int(4) : .literal(.int(0), .bigint))
            return .function(.regexReplace, a, .text)
        case "sign":
            try arity(1...1)
            let t = args[0].type == .unknown ? .double : args[0].type
            guard TypeCoercion.numericRank(t) != nil else {
                throw PlanError.error(.undefinedFunction, "function sign(\(t.sqlName)) does not exist", span)
            }
            return .function(.sign, [try castExpression(args[0], to: t, span: span, explicit: false)], t)
        case "current_row_timestamp":
            try arity(0...0)
            return .function(.currentRowTimestamp, [], .timestamp)
        case "current_date":
            try arity(0...0)
            return .function(.currentDate, [], .date)
        case "tsdiff":
            try arity(2...2)
            return .function(.tsdiff, [try epochMillis(args[0], call.arguments[0].span), try epochMillis(args[1], call.arguments[1].span)], .bigint)
        case "unix_timestamp":
            try arity(1...1)
            return .function(.unixTimestamp, [try timestamp(0)], .bigint)
        case "to_timestamp":
            try arity(1...1)
            guard args[0].type.isNumeric || args[0].type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function to_timestamp(\(args[0].type.sqlName)) does not exist", span,
                                      hint: "TO_TIMESTAMP takes milliseconds since 1970 as a BIGINT (Kinesis Data Analytics); for text use CHAR_TO_TIMESTAMP(format, text).")
            }
            return .function(.toTimestamp, [try int(0)], .timestamp)
        case "char_to_timestamp":
            try arity(2...2)
            return .function(.charToTimestamp, [try formatLiteral(args[0], call.arguments[0].span), try text(1)], .timestamp)
        case "timestamp_to_char":
            try arity(2...2)
            return .function(.timestampToChar, [try formatLiteral(args[0], call.arguments[0].span), try timestamp(1)], .text)
        case "json_value":
            try arity(2...2)
            return .function(.jsonValue, [try text(0), try text(1)], .text)
        case "monotonic":
            // An identity: KDA uses it to declare that an expression only grows, so a
            // GROUP BY over it may emit; the value passes through unchanged.
            try arity(1...1)
            return args[0]
        default:
            return nil
        }
    }

    /// TSDIFF's arguments: BIGINT milliseconds as KDA documents them, or timestamps (converted).
    private func epochMillis(_ b: BoundExpression, _ span: SourceSpan) throws -> BoundExpression {
        if b.type == .timestamp || b.type == .date {
            return .function(.unixTimestamp, [try castExpression(b, to: .timestamp, span: span, explicit: false)], .bigint)
        }
        return try castExpression(b, to: .bigint, span: span, explicit: false)
    }

    /// A date format argument: text (checked once at plan time when it is a literal).
    private func formatLiteral(_ b: BoundExpression, _ span: SourceSpan) throws -> BoundExpression {
        try castExpression(b, to: .text, span: span, explicit: true)
    }
}
