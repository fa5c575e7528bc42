import FreshetCore

extension BoundExpression {
    /// This expression with every column reference replaced by `transform(index, type)`.
    public func mapColumns(_ transform: (Int, DataType) -> BoundExpression) -> BoundExpression {
        func m(_ e: BoundExpression) -> BoundExpression { e.mapColumns(transform) }
        switch self {
        case let .column(i, t): return transform(i, t)
        case .literal, .parameter, .aggregate, .outerColumn: return self
        case let .unary(op, x, t): return .unary(op, m(x), t)
        case let .binary(op, a, b, t): return .binary(op, m(a), m(b), t)
        case let .and(xs): return .and(xs.map(m))
        case let .or(xs): return .or(xs.map(m))
        case let .not(x): return .not(m(x))
        case let .cast(x, from, to, explicit): return .cast(m(x), from: from, to: to, explicit: explicit)
        case let .isNull(x, negated): return .isNull(m(x), negated: negated)
        case let .isBoolean(x, value, negated): return .isBoolean(m(x), value: value, negated: negated)
        case let .caseWhen(branches, elseResult, t): return .caseWhen(branches.map { (m($0.0), m($0.1)) }, elseResult: elseResult.map(m), t)
        case let .inList(x, items, negated): return .inList(m(x), items.map(m), negated: negated)
        case let .like(x, p, ci, negated): return .like(m(x), pattern: m(p), caseInsensitive: ci, negated: negated)
        case let .function(f, args, t): return .function(f, args.map(m), t)
        case let .subquery(test, operand, t): return .subquery(test, operand: operand.map(m), t)
        }
    }

    /// The input columns this expression reads.
    public var referencedColumns: Set<Int> {
        var out = Set<Int>()
        _ = mapColumns { i, t in
            out.insert(i)
            return .column(i, t)
        }
        return out
    }
}
