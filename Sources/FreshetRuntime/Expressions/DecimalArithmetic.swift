import FreshetCore
import FreshetPlanner

/// DECIMAL arithmetic: exact, through FreshetCore's Decimal (PostgreSQL's
/// result scales, 22003 on overflow, 22012 on division by zero).
enum DecimalArithmetic {
    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        guard case .decimal(let x) = a, case .decimal(let y) = b else {
            throw FreshetError(.internalError, "decimal arithmetic on non-decimal values")
        }
        switch op {
        case .add: return .decimal(try x.adding(y))
        case .subtract: return .decimal(try x.subtracting(y))
        case .multiply: return .decimal(try x.multiplied(by: y))
        case .divide: return .decimal(try x.divided(by: y))
        case .modulo: return .decimal(try x.remainder(dividingBy: y))
        default:
            throw FreshetError(.featureNotSupported, "operator \(op) on numeric is not supported")
        }
    }
}
