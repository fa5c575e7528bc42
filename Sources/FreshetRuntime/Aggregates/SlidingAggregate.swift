#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import FreshetCore
import FreshetPlanner

/// The running state of one window aggregate in one partition of a sliding
/// window, updated incrementally as rows enter (`add`) and leave (`remove`)
/// the window — never by re-scanning it:
///
/// - COUNT, SUM, AVG keep typed running totals (Int128 for integers, exact
///   Decimal, Double, Interval) and subtract what leaves.
/// - MIN and MAX keep a monotonic deque of (sequence, value): a new value first
///   drops every older value it beats (they can never be the extreme again), so
///   the front is the extreme and each row enters and leaves it at most once
///   (amortized O(1) per row).
/// - EXP_AVG keeps Σ xᵢ·2^((tᵢ−r)/h) and Σ 2^((tᵢ−r)/h) for a reference time r
///   (see `expAvg` in docs/continuous-queries.md): the current row's factor
///   2^(−(t−r)/h) cancels in the ratio, so the weights need no update as time moves.
///
/// FIRST_VALUE, LAST_VALUE, NTH_VALUE and LAG keep no state here: they read the
/// window's stored rows (SlidingWindowOperator).
struct SlidingAggregate {
    let function: WindowFunctionCall.Function
    let resultType: DataType
    /// Non-NULL arguments in the window (all rows for COUNT(*)).
    var count: Int64 = 0
    var intSum: Int128 = 0
    var doubleSum: Double = 0
    var decimalSum = Decimal.zero
    var intervalSum = Interval()
    /// MIN/MAX: the monotonic deque, oldest first; the front is the window's extreme.
    var extremes: SlidingRing<Value>
    var extremeSequences: SlidingRing<Int64>
    /// EXP_AVG: weighted sums relative to `reference`, and the half-life in microseconds.
    var weightedSum: Double = 0
    var weightSum: Double = 0
    var reference: Int64 = 0
    private let halfLife: Double
    /// SUM/AVG of DECIMAL (else integers are summed in `intSum`).
    private let decimalArgument: Bool

    init(_ call: WindowFunctionCall) {
        function = call.function
        resultType = call.resultType
        halfLife = Double(call.halfLifeMicros)
        if case .decimal? = call.argument?.type { decimalArgument = true } else { decimalArgument = false }
        extremes = SlidingRing(filler: .null)
        extremeSequences = SlidingRing(filler: 0)
    }

    /// True when the aggregate needs the argument again when its row leaves the window.
    static func storesArgument(_ f: WindowFunctionCall.Function) -> Bool {
        switch f {
        case .countStar, .min, .max: return false
        default: return true
        }
    }

    /// A row enters the window: its argument `v`, ROWTIME `time`, and its sequence in the partition.
    mutating func add(_ v: Value, time: Int64, sequence: Int64) throws {
        if function == .countStar { count += 1; return }
        if v.isNull { return }
        switch function {
        case .count:
            count += 1
        case .sum, .avg:
            count += 1
            try accumulate(v, negate: false)
        case .min, .max:
            // Drop the candidates the new value beats (or ties: the newer one outlives them).
            while !extremes.isEmpty {
                let c = Value.sortCompare(extremes.last, v)
                if function == .min ? c >= 0 : c <= 0 {
                    extremes.removeLast()
                    extremeSequences.removeLast()
                } else { break }
            }
            extremes.append(v)
            extremeSequences.append(sequence)
        case .expAvg:
            guard case .double(let x) = v else { throw FreshetError(.internalError, "EXP_AVG of a non-double value") }
            if count == 0 {
                reference = time
            } else if Double(time &- reference) > 64 * halfLife {
                // Rebase before the weights of new rows leave Double's range.
                let scale = exp2(Double(reference &- time) / halfLife)
                weightedSum *= scale
                weightSum *= scale
                reference = time
            }
            count += 1
            let w = exp2(Double(time &- reference) / halfLife)
            weightedSum += x * w
            weightSum += w
        case .countStar, .firstValue, .lastValue, .nthValue, .lag:
            break
        }
    }

    /// The row added with these values leaves the window (rows leave oldest first).
    mutating func remove(_ v: Value, time: Int64, sequence: Int64) throws {
        switch function {
        case .countStar:
            count -= 1
        case .min, .max:
            if !extremeSequences.isEmpty && extremeSequences.first == sequence {
                extremes.removeFirst()
                extremeSequences.removeFirst()
            }
        case .count:
            if !v.isNull { count -= 1 }
        case .sum, .avg:
            if v.isNull { return }
            count -= 1
            if count == 0 {
                // Start again from exact zero: no rounding residue of Double sums survives an empty window.
                intSum = 0; doubleSum = 0; decimalSum = .zero; intervalSum = Interval()
            } else {
                try accumulate(v, negate: true)
            }
        case .expAvg:
            guard case .double(let x) = v else { return }
            count -= 1
            if count == 0 {
                weightedSum = 0; weightSum = 0
            } else {
                let w = exp2(Double(time &- reference) / halfLife)
                weightedSum -= x * w
                weightSum -= w
            }
        case .firstValue, .lastValue, .nthValue, .lag:
            break
        }
    }

    private mutating func accumulate(_ v: Value, negate: Bool) throws {
        switch v {
        case .int(let i): intSum += negate ? -Int128(i) : Int128(i)
        case .double(let d): doubleSum += negate ? -d : d
        case .decimal(let d): decimalSum = negate ? try decimalSum.subtracting(d) : try decimalSum.adding(d)
        case .interval(let i):
            let s: Int32 = negate ? -1 : 1
            intervalSum = Interval(months: intervalSum.months + s * i.months, days: intervalSum.days + s * i.days,
                                   microseconds: intervalSum.microseconds + Int64(s) * i.microseconds)
        default: throw FreshetError(.datatypeMismatch, "cannot sum values of this type")
        }
    }

    /// The aggregate over the rows now in the window.
    func result() throws -> Value {
        switch function {
        case .count, .countStar: return .int(count)
        case .min, .max: return extremes.isEmpty ? .null : extremes.first
        case .expAvg: return count == 0 || weightSum == 0 ? .null : .double(weightedSum / weightSum)
        case .sum:
            if count == 0 { return .null }
            switch resultType {
            case .bigint:
                guard let i = Int64(exactly: intSum) else { throw FreshetError(.numericValueOutOfRange, "bigint out of range") }
                return .int(i)
            case .double: return .double(doubleSum)
            case .interval: return .interval(intervalSum)
            default: return .decimal(total)
            }
        case .avg:
            if count == 0 { return .null }
            switch resultType {
            case .double: return .double(doubleSum / Double(count))
            case .interval:
                let micros = Int64(intervalSum.months) * 30 * 86_400_000_000 + Int64(intervalSum.days) * 86_400_000_000
                    + intervalSum.microseconds
                return .interval(Interval(months: 0, days: 0, microseconds: micros / count))
            default:
                // PostgreSQL's numeric division scale (avg(1, 2) = 1.5000000000000000).
                return .decimal(try total.divided(by: Decimal(mantissa: Int128(count), scale: 0)))
            }
        case .firstValue, .lastValue, .nthValue, .lag:
            return .null
        }
    }

    /// The exact total of an integer or decimal argument.
    var total: Decimal { decimalArgument ? decimalSum : Decimal(mantissa: intSum, scale: 0) }
}
