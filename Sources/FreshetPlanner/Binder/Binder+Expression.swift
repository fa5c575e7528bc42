import FreshetCore
import FreshetSQL

/// How expressions of a grouped query refer to the grouped row.
final class GroupingContext {
    /// GROUP BY expressions as written (compared structurally).
    var keyExpressions: [Expression]
    var keyTypes: [DataType]
    var aggregates: [AggregateCall] = []
    /// The source scope aggregate arguments are bound in.
    let sourceScope: Scope
    init(keyExpressions: [Expression], keyTypes: [DataType], sourceScope: Scope) {
        self.keyExpressions = keyExpressions
        self.keyTypes = keyTypes
        self.sourceScope = sourceScope
    }
}

extension Binder {
    static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp",
                                              "variance", "var_pop", "var_samp", "any", "some", "bool_or", "every", "bool_and",
                                              "approx_count_distinct", "approx_percentile"]
    /// Aggregates in GROUP BY, analytic functions with OVER.
    static let aggregateOrAnalyticNames: Set<String> = ["first_value", "last_value"]

    /// Bind an expression in `scope`. With `grouping`, the expression is evaluated over
    /// grouped rows: it may use GROUP BY expressions and aggregates, nothing else.
    func bind(_ e: Expression, _ scope: Scope, grouping: GroupingContext? = nil, expected: DataType? = nil) throws -> BoundExpression {
        if let g = grouping, let k = g.keyExpressions.firstIndex(of: e) {
            return .column(k, g.keyTypes[k])
        }
        switch e.kind {
        case .literal(let lit):
            return try bindLiteral(lit, e.span, expected: expected)
        case .parameter(let n):
            guard n >= 1 else { throw PlanError.error(.undefinedParameter, "there is no parameter $\(n)", e.span) }
            let t = noteParameter(n - 1, type: expected)
            return .parameter(n - 1, t)
        case .column(let name):
            return try bindColumn(name, scope, grouping: grouping, span: e.span)
        case let .unary(op, operand):
            switch op {
            case .not:
                let b = try coerceBoolean(try bind(operand, scope, grouping: grouping, expected: .boolean), operand.span, "NOT")
                return .not(b)
            case .plus:
                return try bind(operand, scope, grouping: grouping, expected: expected)
            case .minus:
                if case .literal(.integer(let digits)) = operand.kind { return try bindLiteral(.integer("-" + digits), e.span, expected: expected) }
                if case .literal(.decimal(let digits)) = operand.kind { return try bindLiteral(.decimal("-" + digits), e.span, expected: expected) }
                let b = try bind(operand, scope, grouping: grouping, expected: expected)
                guard TypeCoercion.numericRank(b.type) != nil || b.type == .interval || b.type == .unknown else {
                    throw PlanError.error(.undefinedFunction, "operator does not exist: - \(b.type.sqlName)", e.span)
                }
                return .unary(.negate, b, b.type == .unknown ? .double : b.type)
            case .bitwiseNot:
                throw PlanError.error(.featureNotSupported, "operator ~ is not supported", e.span)
            }
        case let .binary(op, l, r):
            return try bindBinary(op, l, r, scope, grouping: grouping, span: e.span)
        case let .function(call):
            return try bindFunction(call, scope, grouping: grouping, span: e.span)
        case let .cast(inner, typeName, _):
            let target = try TypeNames.resolve(typeName)
            let b = try bind(inner, scope, grouping: grouping, expected: target)
            return try castExpression(b, to: target, span: e.span, explicit: true)
        case let .isNull(inner, negated):
            return .isNull(try bind(inner, scope, grouping: grouping), negated: negated)
        case let .isBoolean(inner, value, negated):
            let b = try coerceBoolean(try bind(inner, scope, grouping: grouping, expected: .boolean), inner.span, "IS")
            return .isBoolean(b, value: value, negated: negated)
        case let .between(x, low, high, negated):
            let lowCmp = Expression(.binary(.greaterOrEqual, x, low), span: e.span)
            let highCmp = Expression(.binary(.lessOrEqual, x, high), span: e.span)
            let both = BoundExpression.and([try bind(lowCmp, scope, grouping: grouping), try bind(highCmp, scope, grouping: grouping)])
            return negated ? .not(both) : both
        case let .inList(x, list, negated):
            var bx = try bind(x, scope, grouping: grouping)
            var items = try list.map { try bind($0, scope, grouping: grouping, expected: bx.type) }
            var common = bx.type
            for i in items {
                guard let c = TypeCoercion.commonType(common, i.type) else {
                    throw PlanError.error(.datatypeMismatch, "IN types \(common.sqlName) and \(i.type.sqlName) cannot be matched", e.span)
                }
                common = c
            }
            if common == .unknown { common = .text }
            bx = try castExpression(bx, to: common, span: x.span, explicit: false)
            items = try items.map { try castExpression($0, to: common, span: e.span, explicit: false) }
            return .inList(bx, items, negated: negated)
        case let .like(x, pattern, escape, kind, negated):
            let bx = try castExpression(try bind(x, scope, grouping: grouping, expected: .text), to: .text, span: x.span, explicit: false)
            let bp = try castExpression(try bind(pattern, scope, grouping: grouping, expected: .text), to: .text, span: pattern.span, explicit: false)
            let be = try escape.map { try castExpression(try bind($0, scope, grouping: grouping, expected: .text), to: .text, span: $0.span, explicit: false) }
            if kind == .similarTo {
                let m = BoundExpression.function(.similarTo, [bx, bp] + (be.map { [$0] } ?? []), .boolean)
                return negated ? .not(m) : m
            }
            if let be {
                let m = BoundExpression.function(kind == .ilike ? .ilikeEscape : .likeEscape, [bx, bp, be], .boolean)
                return negated ? .not(m) : m
            }
            return .like(bx, pattern: bp, caseInsensitive: kind == .ilike, negated: negated)
        case let .caseWhen(operand, branches, elseResult):
            var conds: [BoundExpression] = []
            var results: [BoundExpression] = []
            let boundOperand = try operand.map { try bind($0, scope, grouping: grouping) }
            for br in branches {
                if let bo = boundOperand, let op = operand {
                    let cmp = Expression(.binary(.equal, op, br.condition), span: br.condition.span)
                    _ = bo
                    conds.append(try bind(cmp, scope, grouping: grouping))
                } else {
                    conds.append(try coerceBoolean(try bind(br.condition, scope, grouping: grouping, expected: .boolean), br.condition.span, "CASE/WHEN"))
                }
                results.append(try bind(br.result, scope, grouping: grouping))
            }
            let boundElse = try elseResult.map { try bind($0, scope, grouping: grouping) }
            var t: DataType = .unknown
            for r in results + (boundElse.map { [$0] } ?? []) {
                guard let c = TypeCoercion.commonType(t, r.type) else {
                    throw PlanError.error(.datatypeMismatch, "CASE types \(t.sqlName) and \(r.type.sqlName) cannot be matched", e.span)
                }
                t = c
            }
            if t == .unknown { t = .text }
            let castResults = try results.map { try castExpression($0, to: t, span: e.span, explicit: false) }
            let castElse = try boundElse.map { try castExpression($0, to: t, span: e.span, explicit: false) }
            return .caseWhen(Array(zip(conds, castResults)), elseResult: castElse, t)
        case let .collate(inner, _):
            return try bind(inner, scope, grouping: grouping, expected: expected)
        case let .extract(field, inner):
            let b = try bind(inner, scope, grouping: grouping, expected: .timestamp)
            let field = BoundExpression.literal(.string(field.lowercased()), .text)
            return .function(.extract, [field, try castExpression(b, to: b.type == .unknown ? .timestamp : b.type, span: inner.span, explicit: false)], .double)
        case let .floorCeilTo(inner, unit, ceil):
            let b = try bind(inner, scope, grouping: grouping, expected: .timestamp)
            guard b.type == .timestamp || b.type == .date || b.type == .unknown else {
                throw PlanError.error(.datatypeMismatch, "\(ceil ? "CEIL" : "FLOOR")(… TO \(unit.rawValue)) needs a timestamp, not \(b.type.sqlName)", e.span)
            }
            let cb = try castExpression(b, to: .timestamp, span: inner.span, explicit: false)
            return .function(ceil ? .ceilTo : .floorTo, [cb, .literal(.string(unit.rawValue.lowercased()), .text)], .timestamp)
        case .specialFunction(let name, let args, _):
            let call = FunctionCall(name: ObjectName([Identifier(name.lowercased())]), arguments: args)
            return try bindFunction(call, scope, grouping: grouping, span: e.span)
        case .scalarSubquery, .exists, .inSubquery, .quantifiedSubquery:
            return try bindSubqueryExpression(e, scope, grouping: grouping)
        case let .step(x, by):
            let bx = try bind(x, scope, grouping: grouping, expected: .timestamp)
            if bx.type == .timestamp || bx.type == .date || bx.type == .unknown {
                let bt = try castExpression(bx, to: .timestamp, span: x.span, explicit: false)
                let bw = try castExpression(try bind(by, scope, grouping: grouping, expected: .interval), to: .interval, span: by.span, explicit: false)
                return .function(.stepBy, [bt, bw], .timestamp)
            }
            guard TypeCoercion.numericRank(bx.type) != nil else {
                throw PlanError.error(.datatypeMismatch, "STEP needs a timestamp or a number, not \(bx.type.sqlName)", x.span)
            }
            let bw = try castExpression(try bind(by, scope, grouping: grouping, expected: bx.type), to: bx.type, span: by.span, explicit: false)
            return .function(.stepBy, [bx, bw], bx.type)
        case .row, .array, .subscript:
            throw PlanError.error(.featureNotSupported, "row and array values are not supported", e.span)
        case .cursor:
            throw PlanError.error(.featureNotSupported, "CURSOR(…) arguments (table functions over streams) are not supported yet", e.span)
        case .quantified:
            throw PlanError.error(.featureNotSupported, "ANY/ALL over an array is not supported yet; use a subquery", e.span)
        case .arraySubquery:
            throw PlanError.error(.featureNotSupported, "ARRAY(subquery) is not supported yet", e.span)
        case .atTimeZone:
            throw PlanError.error(.featureNotSupported, "AT TIME ZONE is not supported yet", e.span)
        case .defaultValue:
            throw PlanError.error(.featureNotSupported, "DEFAULT values are not supported yet", e.span)
        }
    }

    func bindColumn(_ name: ObjectName, _ scope: Scope, grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression {
        let parts = name.parts.map(\.value)
        let qualifier = parts.count >= 2 ? parts[parts.count - 2] : nil
        let column = parts[parts.count - 1]
        let lookupScope = grouping?.sourceScope ?? scope
        switch lookupScope.lookup(qualifier: qualifier, name: column) {
        case .found(let entry):
            if let g = grouping {
                // A column used outside an aggregate must be a GROUP BY key.
                for (i, k) in g.keyExpressions.enumerated() {
                    if case .column(let kn) = k.kind, kn.last.value == column || kn.last.value.lowercased() == entry.name {
                        return .column(i, g.keyTypes[i])
                    }
                }
                throw PlanError.error(.groupingError,
                    "column \"\(name)\" must appear in the GROUP BY clause or be used in an aggregate function", span)
            }
            return .column(entry.index, entry.type)
        case .ambiguous:
            throw PlanError.error(.ambiguousColumn, "column reference \"\(name)\" is ambiguous", span)
        case .notFound:
            if let outer = try outerReference(qualifier: qualifier, name: column, display: "\(name)", span: span) { return outer }
            var hint: String?
            if let s = lookupScope.suggestion(for: column) { hint = "Perhaps you meant to reference the column \"\(s)\"." }
            throw PlanError.error(.undefinedColumn, "column \"\(name)\" does not exist", span, hint: hint)
        }
    }

    func bindLiteral(_ lit: Literal, _ span: SourceSpan, expected: DataType?) throws -> BoundExpression {
        do {
            switch lit {
            case .null: return .literal(.null, expected ?? .unknown)
            case .boolean(let b): return .literal(.bool(b), .boolean)
            case .integer(let digits):
                if let i = Int64(digits) {
                    if let ex = expected, TypeCoercion.numericRank(ex) != nil, ex.isInteger == false {
                        return .literal(try Value.int(i).cast(to: ex, from: .bigint), ex)
                    }
                    return .literal(.int(i), (Int64(Int32.min)...Int64(Int32.max)).contains(i) ? .integer : .bigint)
                }
                let d = DataType.decimal(precision: nil, scale: nil)
                return .literal(try Value.parse(pgText: Substring(digits), as: d), d)
            case .decimal(let text):
                if let ex = expected, ex == .double || ex == .real, let d = Double(text) { return .literal(.double(d), ex) }
                let d = DataType.decimal(precision: nil, scale: nil)
                return .literal(try Value.parse(pgText: Substring(text), as: d), d)
            case .string(let s):
                if let ex = expected, ex != .unknown, !ex.isString {
                    return .literal(try Value.parse(pgText: Substring(s), as: ex), ex)
                }
                return .literal(.string(s), .unknown)
            case .bytes(let b): return .literal(.bytes(b), .bytea)
            case let .typed(typeName, text):
                let t = try TypeNames.resolve(typeName)
                return .literal(try Value.parse(pgText: Substring(text), as: t), t)
            case let .interval(text, qualifier):
                var input = text
                if let q = qualifier, Double(text.filter { $0 != " " }) != nil {
                    input = text + " " + q.start.rawValue.lowercased()
                }
                return .literal(try Value.parse(pgText: Substring(input), as: .interval), .interval)
            }
        } catch var error as FreshetError {
            if error.position == nil { error.position = span.start.offset + 1 }
            throw error
        }
    }

    /// Insert a cast from `b.type` to `target` when they differ; unknown-typed
    /// literals are converted at plan time.
    func castExpression(_ b: BoundExpression, to target: DataType, span: SourceSpan, explicit: Bool,
                        assignment: Bool = false) throws -> BoundExpression {
        let from = b.type
        if from == target { return b }
        if case let .literal(v, _) = b {
            do {
                let fromType: DataType = from == .unknown ? .text : from
                return .literal(try v.cast(to: target, from: fromType, explicit: !assignment), target)
            } catch var error as FreshetError {
                if error.position == nil { error.position = span.start.offset + 1 }
                throw error
            }
        }
        if case let .parameter(i, _) = b, from == .unknown {
            return .parameter(i, noteParameter(i, type: target))
        }
        if !explicit && !TypeCoercion.assignable(from, to: target) && TypeCoercion.commonType(from, target) == nil {
            throw PlanError.error(.datatypeMismatch, "cannot use a value of type \(from.sqlName) where \(target.sqlName) is expected", span)
        }
        return .cast(b, from: from == .unknown ? .text : from, to: target, explicit: !assignment)
    }

    func coerceBoolean(_ b: BoundExpression, _ span: SourceSpan, _ context: String) throws -> BoundExpression {
        if b.type == .boolean { return b }
        if b.type == .unknown { return try castExpression(b, to: .boolean, span: span, explicit: false) }
        throw PlanError.error(.datatypeMismatch, "argument of \(context) must be type boolean, not type \(b.type.sqlName)", span)
    }

    func bindBinary(_ op: BinaryOperator, _ l: Expression, _ r: Expression, _ scope: Scope,
                    grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression {
        switch op {
        case .and, .or:
            let bl = try coerceBoolean(try bind(l, scope, grouping: grouping, expected: .boolean), l.span, op.rawValue)
            let br = try coerceBoolean(try bind(r, scope, grouping: grouping, expected: .boolean), r.span, op.rawValue)
            return op == .and ? .and([bl, br]) : .or([bl, br])
        default: break
        }
        // Bind the side with a known type first so literals and parameters on the other side adopt it.
        var bl = try bind(l, scope, grouping: grouping)
        var br = try bind(r, scope, grouping: grouping, expected: bl.type == .unknown ? nil : bl.type)
        if bl.type == .unknown && br.type != .unknown {
            bl = try bind(l, scope, grouping: grouping, expected: br.type)
        }
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .isDistinctFrom, .isNotDistinctFrom:
            guard var common = TypeCoercion.commonType(bl.type, br.type) else {
                throw PlanError.error(.undefinedFunction, "operator does not exist: \(bl.type.sqlName) \(op.rawValue) \(br.type.sqlName)", span,
                                      hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
            }
            if common == .unknown { common = .text }
            bl = try castExpression(bl, to: common, span: l.span, explicit: false)
            br = try castExpression(br, to: common, span: r.span, explicit: false)
            let bop: BinaryOp
            switch op {
            case .equal: bop = .equal
            case .notEqual: bop = .notEqual
            case .less: bop = .less
            case .lessOrEqual: bop = .lessOrEqual
            case .greater: bop = .greater
            case .greaterOrEqual: bop = .greaterOrEqual
            case .isDistinctFrom: bop = .isDistinctFrom
            default: bop = .isNotDistinctFrom
            }
            return .binary(bop, bl, br, .boolean)
        case .regexMatch, .regexIMatch, .regexNotMatch, .regexNotIMatch:
            bl = try castExpression(bl, to: .text, span: l.span, explicit: false)
            br = try castExpression(br, to: .text, span: r.span, explicit: false)
            return .binary(.regexMatch(caseInsensitive: op == .regexIMatch || op == .regexNotIMatch,
                                       negated: op == .regexNotMatch || op == .regexNotIMatch), bl, br, .boolean)
        case .concat:
            bl = try castExpression(bl, to: .text, span: l.span, explicit: true)
            br = try castExpression(br, to: .text, span: r.span, explicit: true)
            return .binary(.concat, bl, br, .text)
        case .add, .subtract, .multiply, .divide, .modulo, .power:
            let lt = bl.type == .unknown ? br.type : bl.type
            let rt = br.type == .unknown ? bl.type : br.type
            // timestamp ± interval, timestamp - timestamp, interval ± interval
            if (lt == .timestamp || lt == .date) && rt == .interval && (op == .add || op == .subtract) {
                bl = try castExpression(bl, to: .timestamp, span: l.span, explicit: false)
                br = try castExpression(br, to: .interval, span: r.span, explicit: false)
                return .binary(op == .add ? .add : .subtract, bl, br, .timestamp)
            }
            if lt == .interval && rt == .timestamp && op == .add {
                return .binary(.add, try castExpression(br, to: .timestamp, span: r.span, explicit: false),
                               try castExpression(bl, to: .interval, span: l.span, explicit: false), .timestamp)
            }
            if lt == .timestamp && rt == .timestamp && op == .subtract {
                return .binary(.subtract, bl, br, .interval)
            }
            if lt == .interval && rt == .interval && (op == .add || op == .subtract) {
                return .binary(op == .add ? .add : .subtract, bl, br, .interval)
            }
            // date ± integer days → date, date − date → integer days, interval × / number → interval (PostgreSQL).
            if lt == .date && rt.isInteger && (op == .add || op == .subtract) {
                return .binary(op == .add ? .add : .subtract, bl, try castExpression(br, to: .bigint, span: r.span, explicit: false), .date)
            }
            if lt.isInteger && rt == .date && op == .add {
                return .binary(.add, br, try castExpression(bl, to: .bigint, span: l.span, explicit: false), .date)
            }
            if lt == .date && rt == .date && op == .subtract {
                return .binary(.subtract, bl, br, .integer)
            }
            if lt == .interval && TypeCoercion.numericRank(rt) != nil && (op == .multiply || op == .divide) {
                return .binary(op == .multiply ? .multiply : .divide, bl, try castExpression(br, to: .double, span: r.span, explicit: false), .interval)
            }
            if TypeCoercion.numericRank(lt) != nil && rt == .interval && op == .multiply {
                return .binary(.multiply, br, try castExpression(bl, to: .double, span: l.span, explicit: false), .interval)
            }
            var ltN = lt, rtN = rt
            if ltN == .unknown { ltN = .double }
            if rtN == .unknown { rtN = .double }
            guard var t = TypeCoercion.arithmeticType(ltN, rtN) else {
                throw PlanError.error(.undefinedFunction, "operator does not exist: \(lt.sqlName) \(op.rawValue) \(rt.sqlName)", span,
                                      hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
            }
            // Computed in double precision, also for numeric (PostgreSQL would keep numeric).
            if op == .power, t.isInteger || { if case .decimal = t { return true } else { return false } }() { t = .double }
            bl = try castExpression(bl, to: t, span: l.span, explicit: false)
            br = try castExpression(br, to: t, span: r.span, explicit: false)
            let bop: BinaryOp = [.add: .add, .subtract: .subtract, .multiply: .multiply, .divide: .divide,
                                 .modulo: .modulo, .power: .power][op]!
            return .binary(bop, bl, br, t)
        default:
            throw PlanError.error(.featureNotSupported, "operator \(op.rawValue) is not supported yet", span)
        }
    }

    /// The aggregate `name(argument)` (its function and result type); `argument` is
    /// already bound (nil for `count(*)`). Shared by GROUP BY aggregates and aggregates over a window.
    func aggregateCall(_ name: String, _ call: FunctionCall, argument: BoundExpression?, span: SourceSpan) throws -> AggregateCall {
        var arg = argument
        let fn: AggregateCall.Function
        var resultType: DataType
        var percentile: Double?
        switch name {
        case "count":
            fn = call.star ? .countStar : .count
            resultType = .bigint
        case "sum":
            fn = .sum
            guard let a = arg, TypeCoercion.numericRank(a.type) != nil || a.type == .interval || a.type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function sum(\(arg?.type.sqlName ?? "*")) does not exist", span)
            }
            switch a.type {
            case .tinyint, .smallint, .integer: resultType = .bigint
            case .bigint, .decimal: resultType = .decimal(precision: nil, scale: nil)
            case .real, .double, .unknown: resultType = .double
            default: resultType = a.type
            }
        case "avg":
            fn = .avg
            guard let a = arg, TypeCoercion.numericRank(a.type) != nil || a.type == .interval || a.type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function avg(\(arg?.type.sqlName ?? "*")) does not exist", span)
            }
            switch a.type {
            case .real, .double, .unknown: resultType = .double
            case .interval: resultType = .interval
            default: resultType = .decimal(precision: nil, scale: nil)
            }
        case "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp":
            guard let a = arg, TypeCoercion.numericRank(a.type) != nil || a.type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function \(name)(\(arg?.type.sqlName ?? "*")) does not exist", span)
            }
            // Computed in double precision (PostgreSQL returns numeric for integer and numeric input).
            fn = ["stddev": .stddevSamp, "stddev_samp": .stddevSamp, "stddev_pop": .stddevPop,
                  "variance": .varSamp, "var_samp": .varSamp, "var_pop": .varPop][name]!
            resultType = .double
        case "approx_count_distinct":
            fn = .approxCountDistinct
            guard arg != nil else { throw PlanError.error(.syntaxError, "approx_count_distinct(*) is not valid", span) }
            resultType = .bigint
        case "approx_percentile":
            fn = .approxPercentile
            guard let a = arg else { throw PlanError.error(.syntaxError, "approx_percentile(*) is not valid", span) }
            guard TypeCoercion.numericRank(a.type) != nil || a.type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function approx_percentile(\(a.type.sqlName), …) does not exist", span,
                                      hint: "APPROX_PERCENTILE takes a number and a fraction: APPROX_PERCENTILE(latency, 0.95).")
            }
            percentile = try percentileFraction(call.arguments[1])
            resultType = .double
        case "first_value", "last_value":
            fn = name == "first_value" ? .firstValue : .lastValue
            guard let a = arg else { throw PlanError.error(.syntaxError, "\(name)(*) is not valid", span) }
            resultType = a.type == .unknown ? .text : a.type
        case "any", "some", "bool_or", "every", "bool_and":
            fn = name == "every" || name == "bool_and" ? .every : .any
            guard let a = arg else { throw PlanError.error(.syntaxError, "\(name)(*) is not valid", span) }
            arg = try coerceBoolean(a, call.arguments[0].span, name.uppercased())
            resultType = .boolean
        case "min", "max":
            fn = name == "min" ? .min : .max
            guard let a = arg else { throw PlanError.error(.syntaxError, "\(name)(*) is not valid", span) }
            resultType = a.type == .unknown ? .text : a.type
        default: fatalError("unreachable")
        }
        var aggregate = AggregateCall(function: fn, argument: arg, distinct: call.distinct, resultType: resultType)
        aggregate.fraction = percentile
        return aggregate
    }

    func bindFunction(_ call: FunctionCall, _ scope: Scope, grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression {
        let name = call.name.last.value.lowercased()
        if name == Binder.rowFieldFunction || LogParseSpec.functionNames.contains(name) {
            return try bindLogParse(call, scope, grouping: grouping, span: span)
        }
        if let over = call.over {
            return try bindWindowFunction(call, over, scope, grouping: grouping, span: span)
        }
        if Binder.windowOnlyFunctionNames.contains(name) {
            throw PlanError.error(.wrongObjectType, "window function \(name) requires an OVER clause", span,
                                  hint: "Example: \(name)(\(name == "ntile" ? "4" : name == "lead" ? "x" : "")) OVER (ORDER BY x)")
        }
        let groupedFirstLast = grouping != nil && Binder.aggregateOrAnalyticNames.contains(name)
        if Binder.analyticFunctionNames.contains(name) && !groupedFirstLast {
            throw PlanError.error(.windowingError, "\(name.uppercased()) is an analytic function and needs a window: add OVER (…)", span,
                                  hint: "Example: \(name.uppercased())(price\(name == "exp_avg" ? ", INTERVAL '10' SECOND" : name == "nth_value" ? ", 2" : "")) OVER (PARTITION BY ticker ROWS 10 PRECEDING)")
        }
        if Binder.aggregateNames.contains(name) || groupedFirstLast {
            guard let g = grouping else {
                throw PlanError.error(.groupingError, "aggregate functions are not allowed here", span)
            }
            if call.filter != nil { throw PlanError.error(.featureNotSupported, "FILTER is not supported yet", span) }
            var arg: BoundExpression?
            if !call.star {
                guard call.arguments.count == (name == "approx_percentile" ? 2 : 1) else {
                    throw PlanError.error(.undefinedFunction, name == "approx_percentile"
                        ? "function approx_percentile takes two arguments: the value and a fraction between 0 and 1"
                        : "function \(name) takes exactly one argument", span)
                }
                // Aggregate arguments see the source rows, and cannot nest aggregates or contain window functions.
                let enclosing = windowFunctions?.insideAggregate
                windowFunctions?.insideAggregate = true
                defer { windowFunctions?.insideAggregate = enclosing ?? false }
                arg = try bind(call.arguments[0], g.sourceScope, grouping: nil)
            }
            if call.distinct && call.star {
                throw PlanError.error(.syntaxError, "count(DISTINCT *) is not valid", span)
            }
            let index = g.aggregates.count
            let aggregate = try aggregateCall(name, call, argument: arg, span: span)
            g.aggregates.append(aggregate)
            return .column(g.keyExpressions.count + index, aggregate.resultType)
        }
        if call.star || call.distinct {
            throw PlanError.error(.syntaxError, "\(name)(\(call.star ? "*" : "DISTINCT …")) is only valid for aggregate functions", span)
        }
        let args = try call.arguments.map { try bind($0, scope, grouping: grouping) }
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else {
                throw PlanError.error(.undefinedFunction, "function \(name) with \(args.count) argument(s) does not exist", span)
            }
        }
        func text(_ i: Int) throws -> BoundExpression { try castExpression(args[i], to: .text, span: span, explicit: true) }
        switch name {
        case "lower", "upper":
            try arity(1...1)
            return .function(name == "lower" ? .lower : .upper, [try text(0)], .text)
        case "length", "char_length", "character_length":
            try arity(1...1)
            return .function(.length, [try text(0)], .integer)
        case "abs":
            try arity(1...1)
            let t = args[0].type == .unknown ? .double : args[0].type
            guard TypeCoercion.numericRank(t) != nil else {
                throw PlanError.error(.undefinedFunction, "function abs(\(t.sqlName)) does not exist", span)
            }
            return .function(.abs, [try castExpression(args[0], to: t, span: span, explicit: false)], t)
        case "round", "floor", "ceil", "ceiling":
            try arity(1...2)
            var t = args[0].type == .unknown ? .double : args[0].type
            if t.isInteger { t = .decimal(precision: nil, scale: nil) }
            guard TypeCoercion.numericRank(t) != nil else {
                throw PlanError.error(.undefinedFunction, "function \(name)(\(t.sqlName)) does not exist", span)
            }
            var bargs = [try castExpression(args[0], to: t, span: span, explicit: false)]
            if args.count == 2 { bargs.append(try castExpression(args[1], to: .integer, span: span, explicit: false)) }
            let f: ScalarFunction = name == "round" ? .round : (name == "floor" ? .floor : .ceil)
            return .function(f, bargs, t)
        case "coalesce", "greatest", "least":
            guard !args.isEmpty else { throw PlanError.error(.syntaxError, "\(name) needs at least one argument", span) }
            var t: DataType = .unknown
            for a in args {
                guard let c = TypeCoercion.commonType(t, a.type) else {
                    throw PlanError.error(.datatypeMismatch, "\(name.uppercased()) types \(t.sqlName) and \(a.type.sqlName) cannot be matched", span)
                }
                t = c
            }
            if t == .unknown { t = .text }
            let cargs = try args.map { try castExpression($0, to: t, span: span, explicit: false) }
            let f: ScalarFunction = name == "coalesce" ? .coalesce : (name == "greatest" ? .greatest : .least)
            return .function(f, cargs, t)
        case "nullif":
            try arity(2...2)
            guard var t = TypeCoercion.commonType(args[0].type, args[1].type) else {
                throw PlanError.error(.datatypeMismatch, "NULLIF types cannot be matched", span)
            }
            if t == .unknown { t = .text }
            return .function(.nullif, try args.map { try castExpression($0, to: t, span: span, explicit: false) }, t)
        case "now", "current_timestamp", "localtimestamp", "transaction_timestamp", "statement_timestamp", "clock_timestamp":
            try arity(0...0)
            return .function(.now, [], .timestamp)
        case "version":
            try arity(0...0)
            return .function(.version, [], .text)
        case "current_database":
            return .function(.currentDatabase, [], .text)
        case "current_user", "session_user", "user":
            return .function(.currentUser, [], .text)
        case "current_schema":
            return .function(.currentSchema, [], .text)
        case "substring", "substr":
            try arity(2...3)
            var bargs = [try text(0)]
            for i in 1..<args.count { bargs.append(try castExpression(args[i], to: .bigint, span: span, explicit: false)) }
            return .function(.substring, bargs, .text)
        case "position", "strpos":
            try arity(2...2)
            // The parser normalises POSITION(needle IN haystack) to position(haystack, needle), strpos's order.
            let pair = [try text(1), try text(0)]
            return .function(.position, pair, .integer)
        case "trim", "btrim", "ltrim", "rtrim":
            try arity(1...2)
            let f: ScalarFunction = name == "ltrim" ? .ltrim : (name == "rtrim" ? .rtrim : .trim)
            return .function(f, try (0..<args.count).map { try text($0) }, .text)
        case "replace":
            try arity(3...3)
            return .function(.replace, try (0..<3).map { try text($0) }, .text)
        case "concat":
            return .function(.concat, try (0..<args.count).map { try text($0) }, .text)
        case "mod":
            try arity(2...2)
            return try bindBinary(.modulo, call.arguments[0], call.arguments[1], scope, grouping: grouping, span: span)
        case "power", "pow":
            try arity(2...2)
            return try bindBinary(.power, call.arguments[0], call.arguments[1], scope, grouping: grouping, span: span)
        case "sqrt", "exp", "ln", "log10", "log":
            try arity(1...1)
            let f: ScalarFunction = [ "sqrt": .sqrt, "exp": .exp, "ln": .ln, "log10": .log10, "log": .log10][name]!
            return .function(f, [try castExpression(args[0], to: .double, span: span, explicit: false)], .double)
        default:
            if let b = try bindCatalogueFunction(name, args, call, scope, grouping: grouping, span: span) { return b }
            if let b = try bindUserFunction(call, args, span: span) { return b }
            throw PlanError.error(.undefinedFunction, "function \(call.name)(\(args.map { $0.type.sqlName }.joined(separator: ", "))) does not exist", span,
                                  hint: "No function matches the given name and argument types.")
        }
    }
}
