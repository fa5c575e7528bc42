import FreshetCore
import FreshetPlanner

/// The running state of one aggregate in one group, in typed fields (no
/// boxing): COUNT, SUM, AVG, MIN, MAX, STDDEV/VARIANCE, FIRST_VALUE/LAST_VALUE
/// (arrival order, NULLs skipped), ANY/EVERY (NULLs skipped; NULL when none), with DISTINCT.
struct Accumulator {
    let function: AggregateCall.Function
    let resultType: DataType
    var count: Int64 = 0
    var intSum: Int128 = 0
    var doubleSum: Double = 0
    var decimalSum: Decimal? = nil
    var intervalSum = Interval()
    var extreme: Value = .null
    /// Welford's running mean and sum of squared deviations (STDDEV/VARIANCE).
    var mean: Double = 0
    var m2: Double = 0
    var seen: Set<Value>?
    /// APPROX_COUNT_DISTINCT's counter (only for that aggregate): exact up to 10,000
    /// distinct values, then a HyperLogLog sketch (the one COUNT_DISTINCT_ITEMS_TUMBLING uses).
    var sketch: DistinctCounter?
    /// APPROX_PERCENTILE's values (only for that aggregate) and fraction: kept whole, so the
    /// answer is exact for the group (memory grows with the group's rows).
    var samples: [Double]?
    var fraction: Double = 0.5

    init(_ call: AggregateCall) {
        function = call.function
        resultType = call.resultType
        if call.distinct && call.function != .approxCountDistinct { seen = [] }
        if call.function == .approxCountDistinct { sketch = DistinctCounter() }
        if call.function == .approxPercentile {
            samples = []
            fraction = call.fraction ?? 0.5
            if call.distinct { seen = [] }
        }
    }

    mutating func add(_ v: Value) throws {
        if function == .countStar { count += 1; return }
        if v.isNull { return }
        if seen != nil {
            if seen!.contains(v) { return }
            seen!.insert(v)
        }
        count += 1
        switch function {
        case .count, .countStar: break
        case .sum, .avg:
            switch v {
            case .int(let i): intSum += Int128(i)
            case .double(let d): doubleSum += d
            case .decimal(let d):
                if let s = decimalSum {
                    decimalSum = try DecimalArithmetic.apply(.add, .decimal(s), .decimal(d)).decimalValue
                } else { decimalSum = d }
            case .interval(let i):
                intervalSum = Interval(months: intervalSum.months + i.months, days: intervalSum.days + i.days,
                                       microseconds: intervalSum.microseconds + i.microseconds)
            default: throw FreshetError(.datatypeMismatch, "cannot sum values of this type")
            }
        case .stddevPop, .stddevSamp, .varPop, .varSamp:
            let x: Double
            switch v {
            case .int(let i): x = Double(i)
            case .double(let d): x = d
            case .decimal(let d): x = d.doubleValue
            default: throw FreshetError(.datatypeMismatch, "cannot compute a variance of this type")
            }
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
        case .approxCountDistinct:
            sketch!.add(v)
        case .approxPercentile:
            switch v {
            case .int(let i): samples!.append(Double(i))
            case .double(let d): samples!.append(d)
            case .decimal(let d): samples!.append(d.doubleValue)
            default: throw FreshetError(.datatypeMismatch, "APPROX_PERCENTILE needs numbers")
            }
        case .firstValue:
            if count == 1 { extreme = v }
        case .lastValue:
            extreme = v
        case .any:
            if case .bool(true) = v { extreme = .bool(true) } else if extreme.isNull { extreme = .bool(false) }
        case .every:
            if case .bool(false) = v { extreme = .bool(false) } else if extreme.isNull { extreme = .bool(true) }
        case .min:
            if extreme.isNull || Value.sortCompare(v, extreme) < 0 { extreme = v }
        case .max:
            if extreme.isNull || Value.sortCompare(v, extreme) > 0 { extreme = v }
        }
    }

    func result(inputType: DataType?) throws -> Value {
        switch function {
        case .count, .countStar: return .int(count)
        case .approxCountDistinct: return .int(sketch?.estimate ?? 0)
        case .approxPercentile: return Accumulator.percentile(samples ?? [], fraction)
        case .min, .max, .firstValue, .lastValue, .any, .every: return extreme
        case .varPop: return count == 0 ? .null : .double(m2 / Double(count))
        case .varSamp: return count < 2 ? .null : .double(m2 / Double(count - 1))
        case .stddevPop: return count == 0 ? .null : .double((m2 / Double(count)).squareRoot())
        case .stddevSamp: return count < 2 ? .null : .double((m2 / Double(count - 1)).squareRoot())
        case .sum:
            if count == 0 { return .null }
            switch resultType {
            case .bigint:
                guard let i = Int64(exactly: intSum) else { throw FreshetError(.numericValueOutOfRange, "bigint out of range") }
                return .int(i)
            case .double: return .double(doubleSum)
            case .decimal:
                if let d = decimalSum { return .decimal(d) }
                return .decimal(Decimal(mantissa: intSum, scale: 0))
            case .interval: return .interval(intervalSum)
            default: return .double(doubleSum)
            }
        case .avg:
            if count == 0 { return .null }
            switch resultType {
            case .double: return .double(doubleSum / Double(count))
            case .interval:
                let c = Int64(count)
                return .interval(Interval(months: 0, days: 0,
                    microseconds: (Int64(intervalSum.months) * 30 * 86_400_000_000 + Int64(intervalSum.days) * 86_400_000_000 + intervalSum.microseconds) / c))
            default:
                let total = decimalSum ?? Decimal(mantissa: intSum, scale: 0)
                // PostgreSQL's numeric division scale (avg(1, 2) = 1.5000000000000000).
                return .decimal(try total.divided(by: Decimal(mantissa: Int128(count), scale: 0)))
            }
        }
    }

    /// The `p`-quantile of `values`, interpolated linearly between the closest ranks
    /// (PERCENTILE_CONT): position p·(n−1) in the sorted values. NULL for no values.
    static func percentile(_ values: [Double], _ p: Double) -> Value {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return .double(sorted[lower] + (sorted[upper] - sorted[lower]) * weight)
    }

    /// total / n with at least 16 significant fractional digits, rounded half away from zero.
    static func divide(_ total: Decimal, by n: Int64) throws -> Decimal {
        let targetScale = max(total.scale, 16)
        var m = total.mantissa
        for _ in total.scale..<targetScale {
            let (r, o) = m.multipliedReportingOverflow(by: 10)
            if o { throw FreshetError(.numericValueOutOfRange, "numeric field overflow") }
            m = r
        }
        let d = Int128(n)
        var q = m / d
        let r = m % d
        if (r < 0 ? -r : r) * 2 >= d { q += m < 0 ? -1 : 1 }
        return Decimal(mantissa: q, scale: targetScale)
    }
}

extension Value {
    var decimalValue: Decimal? {
        if case .decimal(let d) = self { return d }
        return nil
    }
}
