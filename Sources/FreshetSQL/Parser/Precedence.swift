/// Operator binding power, weakest first: the one table of the expression
/// grammar (grammar/precedence.md mirrors it, and a test checks that it does).
///
/// The order is PostgreSQL's
/// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-PRECEDENCE):
/// `OR` < `AND` < `NOT` < `IS` < comparison < `LIKE`/`BETWEEN`/`IN` <
/// other operators (`||`, `~`, `&`, `|`, `OPERATOR(…)`) < `+ -` < `* / %` <
/// `^` < `AT TIME ZONE` < `COLLATE` < unary `+ -` < `::` < `[ ]`. A quantified
/// comparison (`x = ANY (…)`) binds at its operator's level. Binary operators are left
/// associative; the Pratt loop in `Parser+Expression.swift` continues while
/// the next operator binds more tightly than the current minimum.
enum Precedence: Int, Comparable, CaseIterable, Sendable {
    case lowest
    case or
    case and
    /// Prefix `NOT`.
    case not
    /// `IS [NOT] NULL/TRUE/FALSE/UNKNOWN/DISTINCT FROM`, `ISNULL`, `NOTNULL`.
    case `is`
    /// `= <> != < <= > >=`.
    case comparison
    /// `[NOT] LIKE/ILIKE/SIMILAR TO`, `[NOT] BETWEEN`, `[NOT] IN`.
    case like
    /// Any other operator: `||`, `~ ~* !~ !~*`, `& |`, `OPERATOR(…)`.
    case other
    /// Binary `+ -`.
    case additive
    /// `* / %`.
    case multiplicative
    /// `^`.
    case exponent
    /// `x AT TIME ZONE zone`.
    case atTimeZone
    /// `x COLLATE name`.
    case collate
    /// Prefix `+ -` and `~`.
    case unary
    /// `x::type`.
    case cast
    /// `x[i]`.
    case `subscript`
    /// Literals, names, calls, parenthesised expressions: never need parentheses.
    case atom

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// Operators of this level that may not be chained without parentheses in
    /// PostgreSQL (`a < b < c`); the printer parenthesises them when nested.
    var isNonAssociative: Bool {
        switch self {
        case .is, .comparison, .like: return true
        default: return false
        }
    }

    /// The level of a binary operator.
    static func of(_ op: BinaryOperator) -> Precedence {
        switch op {
        case .or: return .or
        case .and: return .and
        case .isDistinctFrom, .isNotDistinctFrom: return .is
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return .comparison
        case .concat, .regexMatch, .regexIMatch, .regexNotMatch, .regexNotIMatch, .bitwiseAnd, .bitwiseOr: return .other
        case .add, .subtract: return .additive
        case .multiply, .divide, .modulo: return .multiplicative
        case .power: return .exponent
        }
    }

    /// The binary operator a symbol spells, if any.
    static func binaryOperator(_ symbol: Symbol) -> BinaryOperator? {
        switch symbol {
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .modulo
        case .caret: return .power
        case .concat: return .concat
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .tilde: return .regexMatch
        case .tildeStar: return .regexIMatch
        case .bangTilde: return .regexNotMatch
        case .bangTildeStar: return .regexNotIMatch
        case .ampersand: return .bitwiseAnd
        case .pipe: return .bitwiseOr
        default: return nil
        }
    }

    /// The level at which an expression's top operator binds, for the printer.
    static func of(_ kind: ExpressionKind) -> Precedence {
        switch kind {
        case .binary(let op, _, _), .quantified(_, let op, _, _), .quantifiedSubquery(_, let op, _, _): return of(op)
        case .atTimeZone: return .atTimeZone
        case .unary(.not, _): return .not
        case .unary: return .unary
        case .isNull, .isBoolean: return .is
        case .between, .inList, .inSubquery, .like: return .like
        case .cast(_, _, syntax: .doubleColon): return .cast
        case .collate: return .collate
        case .subscript: return .subscript
        case .exists(_, negated: true): return .not
        default: return .atom
        }
    }
}
