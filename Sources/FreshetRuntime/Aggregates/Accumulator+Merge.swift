import FreshetCore
import FreshetPlanner

extension Accumulator {
    /// Fold `other` (the same aggregate over other rows) into this one, as if its rows
    /// had been added here: session windows merge when a row bridges two of them.
    mutating func merge(_ other: Accumulator) throws {
        if seen != nil, let values = other.seen {
            // DISTINCT: re-adding the other side's distinct values skips those already seen here.
            for v in values { try add(v) }
            return
        }
        if function == .countStar { count += other.count; return }
        guard other.count > 0 else { return }
        switch function {
        case .count, .countStar: break
        case .sum, .avg:
            intSum += other.intSum
            doubleSum += other.doubleSum
            if let d = other.decimalSum {
                if let s = decimalSum {
                    decimalSum = try DecimalArithmetic.apply(.add, .decimal(s), .decimal(d)).decimalValue
                } else { decimalSum = d }
            }
            intervalSum = Interval(months: intervalSum.months + other.intervalSum.months, days: intervalSum.days + other.intervalSum.days,
                                   microseconds: intervalSum.microseconds + other.intervalSum.microseconds)
        case .stddevPop, .stddevSamp, .varPop, .varSamp:
            // Chan et al.'s parallel combination of Welford states.
            let n = Double(count), m = Double(other.count), total = n + m
            let delta = other.mean - mean
            mean += delta * m / total
            m2 += other.m2 + delta * delta * n * m / total
        case .approxCountDistinct:
            if let o = other.sketch { sketch?.merge(o) }
        case .approxPercentile:
            samples?.append(contentsOf: other.samples ?? [])
        case .firstValue:
            // The other rows come after these: keep the first unless there is none yet.
            if extreme.isNull { extreme = other.extreme }
        case .lastValue:
            if !other.extreme.isNull { extreme = other.extreme }
        case .any:
            if extreme.isNull || other.extreme == .bool(true) { extreme = other.extreme }
        case .every:
            if extreme.isNull || other.extreme == .bool(false) { extreme = other.extreme }
        case .min:
            if extreme.isNull || Value.sortCompare(other.extreme, extreme) < 0 { extreme = other.extreme }
        case .max:
            if extreme.isNull || Value.sortCompare(other.extreme, extreme) > 0 { extreme = other.extreme }
        }
        count += other.count
    }
}
