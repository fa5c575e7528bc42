import FreshetCore
import FreshetPlanner

/// How the window operators update one aggregate call's accumulator for a row, chosen
/// once per query: COUNT(*), and COUNT / SUM / AVG (not DISTINCT) of a plain column of an
/// integer or floating-point type, read the row's value in place and update the
/// accumulator's typed fields directly — no compiled-expression call, no `Value`
/// returned, no dispatch on the function. Every other call (DECIMAL sums, expressions,
/// DISTINCT, MIN/MAX, …) goes through `Accumulator.add` as before.
///
/// The accumulator ends in exactly the state `Accumulator.add` would give (same fields:
/// `count`, `intSum`, `doubleSum`), so results, overflow checks (at `result`) and
/// operator snapshots are unchanged; a value of an unexpected kind falls back to `add`.
enum AggregateUpdate {
    case countStar
    case countColumn(Int)
    case sumInt(Int)
    case sumDouble(Int)
    case general(CompiledExpression?)

    init(_ call: AggregateCall, argument: CompiledExpression?) {
        guard !call.distinct else { self = .general(argument); return }
        switch (call.function, call.argument) {
        case (.countStar, _):
            self = .countStar
        case (.count, .column(let i, _)?):
            self = .countColumn(i)
        case (.sum, .column(let i, let t)?), (.avg, .column(let i, let t)?):
            switch t {
            case .tinyint, .smallint, .integer, .bigint: self = .sumInt(i)
            case .real, .double: self = .sumDouble(i)
            default: self = .general(argument)
            }
        default:
            self = .general(argument)
        }
    }

    @inline(__always)
    func apply(_ row: Row, to a: inout Accumulator) throws {
        switch self {
        case .countStar:
            a.count += 1
        case .countColumn(let i):
            if !row[i].isNull { a.count += 1 }
        case .sumInt(let i):
            switch row[i] {
            case .int(let x): a.count += 1; a.intSum += Int128(x)
            case .null: break
            case let v: try a.add(v)
            }
        case .sumDouble(let i):
            switch row[i] {
            case .double(let x): a.count += 1; a.doubleSum += x
            case .null: break
            case let v: try a.add(v)
            }
        case .general(let argument):
            try a.add(try argument.map { try $0(row) } ?? .null)
        }
    }
}
