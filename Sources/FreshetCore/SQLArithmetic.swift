/// Integer and float arithmetic with PostgreSQL's checks, for the runtime's
/// operators: integer overflow raises 22003 "<type> out of range", division
/// by zero 22012, and float results that overflow or underflow from finite
/// inputs 22003 "value out of range: overflow/underflow" (float.c's
/// check_float8_val). Integer widths are those of the result type
/// (tinyint, smallint, integer, bigint), all carried in Int64.
public enum SQLArithmetic {
    /// 22003 "integer out of range" (named after the type as PostgreSQL does).
    public static func outOfRange(_ type: DataType) -> FreshetError {
        let name: String
        switch type {
        case .tinyint: name = "tinyint"
        case .smallint: name = "smallint"
        case .integer: name = "integer"
        case .bigint: name = "bigint"
        default: name = type.sqlName
        }
        return FreshetError(.numericValueOutOfRange, "\(name) out of range")
    }

    public static let divisionByZero = FreshetError(.divisionByZero, "division by zero")

    /// The value range of an integer type.
    public static func range(of type: DataType) -> ClosedRange<Int64> {
        switch type {
        case .tinyint: return -128...127
        case .smallint: return Int64(Int16.min)...Int64(Int16.max)
        case .integer: return Int64(Int32.min)...Int64(Int32.max)
        default: return Int64.min...Int64.max
        }
    }

    /// `v` if it fits `type`, else 22003.
    @inline(__always)
    public static func checked(_ v: Int64, as type: DataType) throws -> Int64 {
        guard range(of: type).contains(v) else { throw outOfRange(type) }
        return v
    }

    @inline(__always)
    public static func add(_ a: Int64, _ b: Int64, as type: DataType = .bigint) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw outOfRange(type) }
        return try checked(r, as: type)
    }

    @inline(__always)
    public static func subtract(_ a: Int64, _ b: Int64, as type: DataType = .bigint) throws -> Int64 {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { throw outOfRange(type) }
        return try checked(r, as: type)
    }

    @inline(__always)
    public static func multiply(_ a: Int64, _ b: Int64, as type: DataType = .bigint) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw outOfRange(type) }
        return try checked(r, as: type)
    }

    /// Integer division truncating toward zero; `min / -1` overflows.
    @inline(__always)
    public static func divide(_ a: Int64, _ b: Int64, as type: DataType = .bigint) throws -> Int64 {
        if b == 0 { throw divisionByZero }
        let (r, o) = a.dividedReportingOverflow(by: b)
        if o { throw outOfRange(type) }
        return try checked(r, as: type)
    }

    /// Remainder with the sign of the dividend; `x % -1` is 0.
    @inline(__always)
    public static func remainder(_ a: Int64, _ b: Int64) throws -> Int64 {
        if b == 0 { throw divisionByZero }
        if b == -1 { return 0 }
        return a % b
    }

    @inline(__always)
    public static func negate(_ a: Int64, as type: DataType = .bigint) throws -> Int64 {
        if a == .min { throw outOfRange(type) }
        return try checked(-a, as: type)
    }

    @inline(__always)
    public static func abs(_ a: Int64, as type: DataType = .bigint) throws -> Int64 {
        if a == .min { throw outOfRange(type) }
        return try checked(Swift.abs(a), as: type)
    }

    // MARK: Floats

    static let overflow = FreshetError(.numericValueOutOfRange, "value out of range: overflow")
    static let underflow = FreshetError(.numericValueOutOfRange, "value out of range: underflow")

    /// check_float8_val: an infinite result from finite inputs is an overflow,
    /// a zero result from non-zero inputs an underflow.
    @inline(__always)
    static func checkFloat(_ r: Double, infinityAllowed: Bool, zeroAllowed: Bool, real: Bool) throws -> Double {
        let v = real ? Double(Float(r)) : r
        if v.isInfinite && !infinityAllowed { throw overflow }
        if v == 0 && !zeroAllowed { throw underflow }
        return v
    }

    /// `a + b` for double precision (or real when `real`).
    public static func add(_ a: Double, _ b: Double, real: Bool = false) throws -> Double {
        try checkFloat(a + b, infinityAllowed: a.isInfinite || b.isInfinite, zeroAllowed: true, real: real)
    }

    public static func subtract(_ a: Double, _ b: Double, real: Bool = false) throws -> Double {
        try checkFloat(a - b, infinityAllowed: a.isInfinite || b.isInfinite, zeroAllowed: true, real: real)
    }

    public static func multiply(_ a: Double, _ b: Double, real: Bool = false) throws -> Double {
        try checkFloat(a * b, infinityAllowed: a.isInfinite || b.isInfinite, zeroAllowed: a == 0 || b == 0, real: real)
    }

    public static func divide(_ a: Double, _ b: Double, real: Bool = false) throws -> Double {
        if b == 0 && !a.isNaN { throw divisionByZero }
        return try checkFloat(a / b, infinityAllowed: a.isInfinite, zeroAllowed: a == 0 || b.isInfinite, real: real)
    }
}
