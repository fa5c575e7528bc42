import FreshetCore
import FreshetPlanner
import Foundation

/// Compiles a BoundExpression into a closure tree, once per query: no AST
/// walk and no name lookup happens per row.
public struct ExpressionCompiler {
    public let context: EvaluationContext
    /// The log parsers of this compilation, shared by the fields of one call.
    let logParsers = LogParseMemo()
    public init(context: EvaluationContext) { self.context = context }

    public func compile(_ e: BoundExpression) throws -> CompiledExpression {
        switch e {
        case .literal(let v, _):
            return { _ in v }
        case .column(let i, _):
            return { row in row[i] }
        case .parameter(let i, let t):
            let ctx = context
            return { _ in
                guard i < ctx.parameters.count else {
                    throw FreshetError(.undefinedParameter, "there is no parameter $\(i + 1)")
                }
                let v = ctx.parameters[i]
                if case .string(let s) = v, !t.isString, t != .unknown { return try Value.parse(pgText: Substring(s), as: t) }
                return v
            }
        case let .unary(.negate, x, t):
            let cx = try compile(x)
            return { row in try Arithmetic.negate(try cx(row), type: t) }
        case let .binary(op, l, r, t):
            let cl = try compile(l), cr = try compile(r)
            var constant: Value?
            if case .literal(let v, _) = r { constant = v }
            return try compileBinary(op, cl, cr, operandType: l.type, resultType: t, rightConstant: constant)
        case .and(let xs):
            let cs = try xs.map(compile)
            if cs.count == 2 {
                // The common `p AND q`, without the loop.
                let p = cs[0], q = cs[1]
                return { row in
                    let a = try p(row)
                    if case .bool(false) = a { return a }
                    let b = try q(row)
                    if case .bool(false) = b { return b }
                    return a.isNull || b.isNull ? .null : .bool(true)
                }
            }
            return { row in
                var sawNull = false
                for c in cs {
                    switch try c(row) {
                    case .bool(false): return .bool(false)
                    case .null: sawNull = true
                    default: break
                    }
                }
                return sawNull ? .null : .bool(true)
            }
        case .or(let xs):
            let cs = try xs.map(compile)
            return { row in
                var sawNull = false
                for c in cs {
                    switch try c(row) {
                    case .bool(true): return .bool(true)
                    case .null: sawNull = true
                    default: break
                    }
                }
                return sawNull ? .null : .bool(false)
            }
        case .not(let x):
            let cx = try compile(x)
            return { row in
                if case .bool(let b) = try cx(row) { return .bool(!b) }
                return .null
            }
        case let .cast(x, from, to, explicit):
            let cx = try compile(x)
            return { row in try cx(row).cast(to: to, from: from, explicit: explicit) }
        case let .isNull(x, negated):
            let cx = try compile(x)
            return { row in .bool(try cx(row).isNull != negated) }
        case let .isBoolean(x, value, negated):
            let cx = try compile(x)
            return { row in
                let v = try cx(row)
                let matches: Bool
                switch (v, value) {
                case (.null, nil): matches = true
                case (.bool(let b), let want?): matches = b == want
                default: matches = false
                }
                return .bool(matches != negated)
            }
        case let .caseWhen(branches, elseResult, _):
            let cb = try branches.map { (try compile($0.0), try compile($0.1)) }
            let ce = try elseResult.map(compile)
            return { row in
                for (c, r) in cb {
                    if case .bool(true) = try c(row) { return try r(row) }
                }
                return try ce?(row) ?? .null
            }
        case let .inList(x, items, negated):
            let cx = try compile(x)
            let ci = try items.map(compile)
            return { row in
                let v = try cx(row)
                if v.isNull { return .null }
                var sawNull = false
                for c in ci {
                    let w = try c(row)
                    if w.isNull { sawNull = true; continue }
                    if Value.sortCompare(v, w) == 0 { return .bool(!negated) }
                }
                return sawNull ? .null : .bool(negated)
            }
        case let .like(x, pattern, caseInsensitive, negated):
            let cx = try compile(x), cp = try compile(pattern)
            var literal: Value?
            if case .literal(let v, _) = pattern { literal = v }
            return try LikeMatcher.compile(cx, cp, literal: literal, caseInsensitive: caseInsensitive, negated: negated)
        case let .function(f, args, t):
            let cargs = try args.map(compile)
            // Literal arguments (patterns, formats, paths) let a function prepare its work once per query.
            let constants: [Value?] = args.map { if case .literal(let v, _) = $0 { return v } else { return nil } }
            if f == .logParse { return try LogParseFunctions.compile(cargs, constants: constants, memo: logParsers, context: context) }
            return try ScalarFunctions.compile(f, cargs, resultType: t, argumentTypes: args.map(\.type), constants: constants, context: context)
        case .aggregate(let i, _):
            return { row in row[i] }
        case let .subquery(test, operand, _):
            return try compileSubquery(test, operand: operand.map(compile))
        case let .outerColumn(level, i, _):
            let ctx = context
            return { _ in
                guard ctx.outerRows.count >= level else {
                    throw FreshetError(.internalError, "a correlated subquery ran without its outer row")
                }
                return ctx.outerRows[ctx.outerRows.count - level][i]
            }
        }
    }

    func compileBinary(_ op: BinaryOp, _ l: @escaping CompiledExpression, _ r: @escaping CompiledExpression,
                       operandType: DataType, resultType: DataType, rightConstant: Value? = nil) throws -> CompiledExpression {
        if operandType.isInteger, let fast = IntegerFastPaths.comparison(op, l, r, constant: rightConstant) { return fast }
        if resultType.isInteger, operandType.isInteger,
           let fast = IntegerFastPaths.arithmetic(op, l, r, resultType: resultType, constant: rightConstant) { return fast }
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let test: (Int) -> Bool
            switch op {
            case .equal: test = { $0 == 0 }
            case .notEqual: test = { $0 != 0 }
            case .less: test = { $0 < 0 }
            case .lessOrEqual: test = { $0 <= 0 }
            case .greater: test = { $0 > 0 }
            default: test = { $0 >= 0 }
            }
            return { row in
                let a = try l(row)
                if a.isNull { return .null }
                let b = try r(row)
                if b.isNull { return .null }
                return .bool(test(Value.sortCompare(a, b)))
            }
        case .isDistinctFrom, .isNotDistinctFrom:
            let distinct = op == .isDistinctFrom
            return { row in
                let a = try l(row), b = try r(row)
                let same = (a.isNull && b.isNull) || (!a.isNull && !b.isNull && Value.sortCompare(a, b) == 0)
                return .bool(same != distinct)
            }
        case .regexMatch(let ci, let negated):
            var cache: (String, NSRegularExpression)?
            return { row in
                guard case .string(let s) = try l(row), case .string(let p) = try r(row) else { return .null }
                let re: NSRegularExpression
                if let c = cache, c.0 == p { re = c.1 } else {
                    do { re = try NSRegularExpression(pattern: p, options: ci ? [.caseInsensitive] : []) } catch {
                        throw FreshetError(.invalidParameterValue, "invalid regular expression: \(p)")
                    }
                    cache = (p, re)
                }
                let found = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
                return .bool(found != negated)
            }
        case .concat:
            return { row in
                guard case .string(let a) = try l(row), case .string(let b) = try r(row) else { return .null }
                return .string(a + b)
            }
        case .add, .subtract, .multiply, .divide, .modulo, .power:
            return { row in
                let a = try l(row)
                if a.isNull { return .null }
                let b = try r(row)
                if b.isNull { return .null }
                return try Arithmetic.apply(op, a, b, type: resultType)
            }
        }
    }
}
