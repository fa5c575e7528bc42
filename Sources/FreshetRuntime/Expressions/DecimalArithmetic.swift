import FreshetCore
import FreshetPlanner

/// DECIMAL arithmetic (exact). Delegates to FreshetCore's Decimal.
enum DecimalArithmetic {
    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        guard case .decimal(let x) = a, case .decimal(let y) = b else {
            throw FreshetError(.internalError, "decimal arithmetic on non-decimal values")
        }
        let scale = max(x.scale, y.scale)
        func align(_ d: Decimal) throws -> Int128 {
            var m = d.mantissa
            for _ in d.scale..<scale {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { throw FreshetError(.numericValueOutOfRange, "numeric field overflow") }
                m = r
            }
            return m
        }
        switch op {
        case .add, .subtract:
            let ma = try align(x), mb = try align(y)
            let (r, o) = op == .add ? ma.addingReportingOverflow(mb) : ma.subtractingReportingOverflow(mb)
            if o { throw FreshetError(.numericValueOutOfRange, "numeric field overflow") }
            return .decimal(Decimal(mantissa: r, scale: scale))
        case .multiply:
            let (r, o) = x.mantissa.multipliedReportingOverflow(by: y.mantissa)
            if o { throw FreshetError(.numericValueOutOfRange, "numeric field overflow") }
            return .decimal(Decimal(mantissa: r, scale: x.scale + y.scale))
        default:
            throw FreshetError(.featureNotSupported, "decimal operator \(op) is not supported yet")
        }
    }
}
