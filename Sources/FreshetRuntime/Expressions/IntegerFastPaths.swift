import FreshetCore
import FreshetPlanner

/// Closures specialised for integer operands (every integer width is carried
/// as Int64): comparisons and + − × without the generic value dispatch of
/// `Value.sortCompare` / `Arithmetic.apply`. Same results and errors
/// (NULL in, NULL out; overflow of the result type is 22003).
enum IntegerFastPaths {
    /// `constant`: the right operand when it is a literal (most comparisons: `x > 10`), read once.
    static func comparison(_ op: BinaryOp, _ l: @escaping CompiledExpression, _ r: @escaping CompiledExpression,
                           constant: Value? = nil) -> CompiledExpression? {
        func make(_ test: @escaping (Int64, Int64) -> Bool) -> CompiledExpression {
            if case .int(let y)? = constant {
                return { row in
                    guard case .int(let x) = try l(row) else { return .null }
                    return .bool(test(x, y))
                }
            }
            return { row in
                guard case .int(let x) = try l(row) else { return .null }
                guard case .int(let y) = try r(row) else { return .null }
                return .bool(test(x, y))
            }
        }
        switch op {
        case .equal: return make(==)
        case .notEqual: return make(!=)
        case .less: return make(<)
        case .lessOrEqual: return make(<=)
        case .greater: return make(>)
        case .greaterOrEqual: return make(>=)
        default: return nil
        }
    }

    static func arithmetic(_ op: BinaryOp, _ l: @escaping CompiledExpression, _ r: @escaping CompiledExpression,
                           resultType: DataType, constant: Value? = nil) -> CompiledExpression? {
        let narrow = resultType != .bigint
        func make(_ f: @escaping (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) -> CompiledExpression {
            if case .int(let y)? = constant {
                return { row in
                    guard case .int(let x) = try l(row) else { return .null }
                    let (v, o) = f(x, y)
                    if o { throw Arithmetic.outOfRange(resultType) }
                    return narrow ? try Arithmetic.checkWidth(v, resultType) : .int(v)
                }
            }
            return { row in
                guard case .int(let x) = try l(row) else { return .null }
                guard case .int(let y) = try r(row) else { return .null }
                let (v, o) = f(x, y)
                if o { throw Arithmetic.outOfRange(resultType) }
                return narrow ? try Arithmetic.checkWidth(v, resultType) : .int(v)
            }
        }
        switch op {
        case .add: return make { $0.addingReportingOverflow($1) }
        case .subtract: return make { $0.subtractingReportingOverflow($1) }
        case .multiply: return make { $0.multipliedReportingOverflow(by: $1) }
        default: return nil
        }
    }
}
