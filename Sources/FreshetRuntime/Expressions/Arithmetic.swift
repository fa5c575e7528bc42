import FreshetCore
import FreshetPlanner

/// Arithmetic on values with SQL's error rules: integer overflow is 22003,
/// division by zero 22012; the result type (from the binder) picks the width.
enum Arithmetic {
    static func outOfRange(_ t: DataType) -> FreshetError {
        switch t {
        case .smallint, .tinyint: return FreshetError(.numericValueOutOfRange, "smallint out of range")
        case .integer: return FreshetError(.numericValueOutOfRange, "integer out of range")
        default: return FreshetError(.numericValueOutOfRange, "bigint out of range")
        }
    }

    static func checkWidth(_ v: Int64, _ t: DataType) throws -> Value {
        switch t {
        case .integer where v < Int64(Int32.min) || v > Int64(Int32.max): throw outOfRange(t)
        case .smallint where v < Int64(Int16.min) || v > Int64(Int16.max): throw outOfRange(t)
        case .tinyint where v < Int64(Int8.min) || v > Int64(Int8.max): throw outOfRange(t)
        default: return .int(v)
        }
    }

    static func negate(_ v: Value, type: DataType) throws -> Value {
        switch v {
        case .null: return .null
        case .int(let i):
            guard i != .min else { throw outOfRange(type) }
            return try checkWidth(-i, type)
        case .double(let d): return .double(-d)
        case .decimal(let d): return .decimal(FreshetCore.Decimal(mantissa: -d.mantissa, scale: d.scale))
        case .interval(let i): return .interval(Interval(months: -i.months, days: -i.days, microseconds: -i.microseconds))
        default: throw FreshetError(.undefinedFunction, "operator does not exist: - \(type.sqlName)")
        }
    }

    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value, type: DataType) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            switch op {
            case .add:
                let (r, o) = x.addingReportingOverflow(y)
                if o { throw outOfRange(type) }
                return try checkWidth(r, type)
            case .subtract:
                let (r, o) = x.subtractingReportingOverflow(y)
                if o { throw outOfRange(type) }
                return try checkWidth(r, type)
            case .multiply:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if o { throw outOfRange(type) }
                return try checkWidth(r, type)
            case .divide:
                if y == 0 { throw FreshetError(.divisionByZero, "division by zero") }
                let (r, o) = x.dividedReportingOverflow(by: y)
                if o { throw outOfRange(type) }
                return try checkWidth(r, type)
            case .modulo:
                if y == 0 { throw FreshetError(.divisionByZero, "division by zero") }
                if y == -1 { return .int(0) }
                return .int(x % y)
            case .power:
                return .double(pow(Double(x), Double(y)))
            default: break
            }
        case let (.double(x), .double(y)):
            switch op {
            case .add: return try finite(x + y)
            case .subtract: return try finite(x - y)
            case .multiply: return try finite(x * y)
            case .divide:
                if y == 0 { throw FreshetError(.divisionByZero, "division by zero") }
                return try finite(x / y)
            case .modulo:
                if y == 0 { throw FreshetError(.divisionByZero, "division by zero") }
                return .double(x.truncatingRemainder(dividingBy: y))
            case .power: return .double(pow(x, y))
            default: break
            }
        case (.decimal, .decimal):
            return try DecimalArithmetic.apply(op, a, b)
        case let (.timestamp(t), .interval(i)):
            switch op {
            case .add: return .timestamp(try TimeArithmetic.add(t, i))
            case .subtract: return .timestamp(try TimeArithmetic.add(t, Interval(months: -i.months, days: -i.days, microseconds: -i.microseconds)))
            default: break
            }
        case let (.timestamp(x), .timestamp(y)) where op == .subtract:
            return .interval(try TimeArithmetic.difference(x, y))
        case let (.date(d), .int(n)) where op == .add || op == .subtract:
            guard n != .min else { throw FreshetError(.datetimeFieldOverflow, "date out of range") }
            return .date(try SQLDate.adding(days: op == .add ? n : -n, to: d))
        case let (.date(x), .date(y)) where op == .subtract:
            return try checkWidth(try SQLDate.difference(x, y), type)
        case let (.interval(i), .double(f)) where op == .multiply:
            return .interval(try i.multiplied(by: f))
        case let (.interval(i), .double(f)) where op == .divide:
            return .interval(try i.divided(by: f))
        case let (.interval(x), .interval(y)):
            let sign: Int32 = op == .subtract ? -1 : 1
            if op == .add || op == .subtract {
                return .interval(Interval(months: x.months + sign * y.months, days: x.days + sign * y.days,
                                          microseconds: x.microseconds + Int64(sign) * y.microseconds))
            }
        default: break
        }
        throw FreshetError(.undefinedFunction, "operator \(op) is not defined for these operand types")
    }

    static func finite(_ d: Double) throws -> Value {
        if d.isInfinite { throw FreshetError(.numericValueOutOfRange, "value out of range: overflow") }
        return .double(d)
    }
}

import Foundation
