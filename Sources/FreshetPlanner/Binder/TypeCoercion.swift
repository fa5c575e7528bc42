import FreshetCore
import FreshetSQL

/// SQL's implicit type rules for operators and assignments.
enum TypeCoercion {
    static func numericRank(_ t: DataType) -> Int? {
        switch t {
        case .tinyint: return 1
        case .smallint: return 2
        case .integer: return 3
        case .bigint: return 4
        case .decimal: return 5
        case .real: return 6
        case .double: return 7
        default: return nil
        }
    }

    /// The type two numeric operands are computed in.
    static func arithmeticType(_ a: DataType, _ b: DataType) -> DataType? {
        guard let ra = numericRank(a), let rb = numericRank(b) else { return nil }
        let t = ra >= rb ? a : b
        switch t {
        case .tinyint, .smallint: return .integer
        case .decimal: return .decimal(precision: nil, scale: nil)
        case .real: return .double
        default: return t
        }
    }

    /// The common type of two values compared or combined (CASE, COALESCE, UNION).
    static func commonType(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .unknown { return b }
        if b == .unknown { return a }
        if let t = arithmeticType(a, b) {
            // comparisons of ints keep bigint; decimals stay exact
            if case .decimal = t { return t }
            return t == .integer && (a == .bigint || b == .bigint) ? .bigint : t
        }
        if a.isString && b.isString { return .text }
        if (a == .date && b == .timestamp) || (a == .timestamp && b == .date) { return .timestamp }
        return nil
    }

    /// Whether a value of type `from` may be stored into a column of type `to` (assignment cast).
    static func assignable(_ from: DataType, to: DataType) -> Bool {
        if from == to || from == .unknown { return true }
        if numericRank(from) != nil && numericRank(to) != nil { return true }
        if from.isString && to.isString { return true }
        if to.isString { return true } // PostgreSQL allows assignment of any type to text (via output)
        if (from == .date && to == .timestamp) || (from == .timestamp && to == .date) { return true }
        return false
    }
}
