#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// SlidingWindowOperator driven row by row with explicit ROWTIMEs: exact frames
/// (RANGE inclusive, ROWS n = n + 1 rows), incremental aggregates checked against
/// a naive re-computation over random input, and bounded state.
@Suite struct SlidingWindowOperatorTests {
    static let second: Int64 = 1_000_000
    /// Input rows are (k TEXT, v, ROWTIME).
    static let k = BoundExpression.column(0, .text)
    static func v(_ t: DataType = .integer) -> BoundExpression { .column(1, t) }

    func makeOperator(_ windows: [SlidingWindowDefinition], _ calls: [WindowFunctionCall]) throws -> (SlidingWindowOperator, CollectingSink) {
        let sink = CollectingSink()
        let plan = SlidingWindowPlan(windows: windows, calls: calls, rowtimeIndex: 2, inputWidth: 3)
        let op = try SlidingWindowOperator(plan: plan, compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
        return (op, sink)
    }

    func row(_ k: String, _ v: Value, at seconds: Int64) -> Row { [.string(k), v, .timestamp(seconds * Self.second)] }

    /// The window results (after the 3 input columns) of each output row.
    func results(_ rows: [Row]) -> [[Value]] { rows.map { Array($0.dropFirst(3)) } }

    @Test func rangeBoundsAreInclusiveAndPartitionsApart() throws {
        let w = SlidingWindowDefinition(partitionBy: [Self.k], frame: .range(micros: 60 * Self.second))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint),
            WindowFunctionCall(function: .sum, argument: Self.v(), window: 0, resultType: .bigint),
        ])
        try op.push([row("a", .int(1), at: 0), row("b", .int(100), at: 0), row("a", .int(2), at: 30)])
        try op.push([row("a", .int(4), at: 60)])   // 60 s after the first: still in (inclusive)
        try op.push([row("a", .int(8), at: 61)])   // 61 s: the row of 0 s is out
        #expect(results(sink.take()) == [[.int(1), .int(1)], [.int(1), .int(100)], [.int(2), .int(3)], [.int(3), .int(7)], [.int(3), .int(14)]])
    }

    @Test func rowsNPrecedingHoldsNPlusOneRows() throws {
        let w = SlidingWindowDefinition(partitionBy: [], frame: .rows(2))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint),
            WindowFunctionCall(function: .firstValue, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .lastValue, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .lag, argument: Self.v(), window: 0, offset: 2, defaultValue: .literal(.int(-1), .integer), resultType: .integer),
            WindowFunctionCall(function: .nthValue, argument: Self.v(), window: 0, offset: 2, resultType: .integer),
        ])
        try op.push((1...5).map { row("x", .int($0), at: $0) })
        #expect(results(sink.take()) == [
            [.int(1), .int(1), .int(1), .int(-1), .null],
            [.int(2), .int(1), .int(2), .int(-1), .int(2)],
            [.int(3), .int(1), .int(3), .int(1), .int(2)],
            [.int(3), .int(2), .int(4), .int(2), .int(3)],
            [.int(3), .int(3), .int(5), .int(3), .int(4)],
        ])
    }

    @Test func nullsAreSkippedByAggregatesButKeptByValueFunctions() throws {
        let w = SlidingWindowDefinition(partitionBy: [], frame: .rows(1))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .count, argument: Self.v(), window: 0, resultType: .bigint),
            WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint),
            WindowFunctionCall(function: .avg, argument: Self.v(), window: 0, resultType: .decimal(precision: nil, scale: nil)),
            WindowFunctionCall(function: .max, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .lag, argument: Self.v(), window: 0, offset: 1, resultType: .integer),
        ])
        try op.push([row("x", .int(3), at: 0), row("x", .null, at: 1), row("x", .null, at: 2)])
        #expect(results(sink.take()) == [
            [.int(1), .int(1), .decimal(try Decimal(3).divided(by: Decimal(1))), .int(3), .null],
            [.int(1), .int(2), .decimal(try Decimal(3).divided(by: Decimal(1))), .int(3), .int(3)],
            [.int(0), .int(2), .null, .null, .null],
        ])
    }

    @Test func aBatchOutOfRowtimeOrderIsWindowedInRowtimeOrder() throws {
        let w = SlidingWindowDefinition(partitionBy: [], frame: .range(micros: 10 * Self.second))
        let (op, sink) = try makeOperator([w], [WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint)])
        // Two shards read one after the other: 0 s, 20 s from one, then 5 s, 15 s from the other.
        try op.push([row("a", .int(1), at: 0), row("a", .int(2), at: 20), row("b", .int(3), at: 5), row("b", .int(4), at: 15)])
        let out = sink.take()
        #expect(out.map { $0[1] } == [.int(1), .int(3), .int(4), .int(2)])
        #expect(results(out) == [[.int(1)], [.int(2)], [.int(2)], [.int(2)]])
        // A row older than what its partition has seen (from an earlier batch) is windowed at the newest time.
        try op.push([row("c", .int(5), at: 1)])
        #expect(results(sink.take()) == [[.int(3)]])
    }

    @Test func expAvgHalvesTheWeightEveryHalfLife() throws {
        let w = SlidingWindowDefinition(partitionBy: [], frame: .range(micros: 100 * Self.second))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .expAvg, argument: Self.v(.double), window: 0, halfLifeMicros: 10 * Self.second, resultType: .double),
        ])
        try op.push([row("x", .double(10), at: 0), row("x", .double(40), at: 10), row("x", .double(70), at: 30)])
        // Weights at 30 s: 1/8 (age 30 s), 1/4 (age 20 s), 1.
        #expect(results(sink.take()) == [[.double(10)], [.double((10 * 0.5 + 40) / 1.5)], [.double((10.0 / 8 + 40.0 / 4 + 70) / (1.0 / 8 + 1.0 / 4 + 1))]])
    }

    @Test func expAvgStaysFiniteAcrossGapsOfManyHalfLives() throws {
        let w = SlidingWindowDefinition(partitionBy: [], frame: .rows(1))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .expAvg, argument: Self.v(.double), window: 0, halfLifeMicros: Self.second, resultType: .double),
        ])
        // 100 half-lives apart: the older row weighs 2^-100 beside the newer one (the sums are rebased, never overflow).
        try op.push((0..<20).map { row("x", .double(Double($0 + 1)), at: Int64($0) * 100) })
        for (i, r) in results(sink.take()).enumerated() {
            guard case .double(let d) = r[0] else { Issue.record("row \(i): \(r[0])"); continue }
            #expect(abs(d - Double(i + 1)) < 1e-12, "row \(i): \(d)")
        }
    }

    @Test func rangeStateIsBoundedAndQuietPartitionsAreDropped() throws {
        let w = SlidingWindowDefinition(partitionBy: [Self.k], frame: .range(micros: 10 * Self.second))
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .sum, argument: Self.v(), window: 0, resultType: .bigint),
            WindowFunctionCall(function: .min, argument: Self.v(), window: 0, resultType: .integer),
        ])
        for s in Int64(0)..<100 {
            try op.push((0..<50).map { row("k\($0)", .int(s), at: s) })
            // Never more than the 11 seconds of rows a 10-second inclusive window can see.
            #expect(op.storedRows <= 50 * 11)
        }
        _ = sink.take()
        #expect(op.partitionCount == 50)
        try op.advance(to: 200 * Self.second)
        #expect(op.partitionCount == 0)
        #expect(op.storedRows == 0)
        // A partition that comes back starts afresh.
        try op.push([row("k7", .int(5), at: 201)])
        #expect(results(sink.take()) == [[.int(5), .int(5)]])
        #expect(op.partitionCount == 1)
    }

    @Test func rowsStateIsBoundedPerPartition() throws {
        let w = SlidingWindowDefinition(partitionBy: [Self.k], frame: .rows(3))
        let (op, _) = try makeOperator([w], [WindowFunctionCall(function: .max, argument: Self.v(), window: 0, resultType: .integer)])
        for s in Int64(0)..<200 { try op.push([row("k\(s % 5)", .int(s), at: s)]) }
        #expect(op.storedRows == 5 * 4)
    }

    /// Incremental results equal a naive re-computation over random input, for both frame kinds.
    @Test(arguments: [SlidingWindowDefinition.Frame.rows(4), .range(micros: 7 * second)])
    func incrementalMatchesNaive(_ frame: SlidingWindowDefinition.Frame) throws {
        let w = SlidingWindowDefinition(partitionBy: [Self.k], frame: frame)
        let halfLife = 3 * Self.second
        let (op, sink) = try makeOperator([w], [
            WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint),
            WindowFunctionCall(function: .count, argument: Self.v(), window: 0, resultType: .bigint),
            WindowFunctionCall(function: .sum, argument: Self.v(), window: 0, resultType: .bigint),
            WindowFunctionCall(function: .min, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .max, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .firstValue, argument: Self.v(), window: 0, resultType: .integer),
            WindowFunctionCall(function: .lag, argument: Self.v(), window: 0, offset: 1, resultType: .integer),
            WindowFunctionCall(function: .expAvg, argument: .cast(Self.v(), from: .integer, to: .double, explicit: false),
                               window: 0, halfLifeMicros: halfLife, resultType: .double),
        ])
        var rng = SplitMix64(seed: 42)
        var input: [Row] = []
        var t: Int64 = 0
        for _ in 0..<2_000 {
            t += Int64(rng.next() % 3) * Self.second / 2
            let v: Value = rng.next() % 7 == 0 ? .null : .int(Int64(rng.next() % 50) - 25)
            input.append(row("p\(rng.next() % 3)", v, at: 0))
            input[input.count - 1][2] = .timestamp(t)
        }
        for chunk in stride(from: 0, to: input.count, by: 37) { try op.push(Array(input[chunk..<min(chunk + 37, input.count)])) }
        let out = sink.take()
        #expect(out.count == input.count)
        for (i, r) in input.enumerated() {
            guard case .timestamp(let now) = r[2] else { continue }
            var frameRows = input[0...i].filter { $0[0] == r[0] }
            switch frame {
            case .rows(let n): frameRows = Array(frameRows.suffix(n + 1))
            case .range(let micros): frameRows = frameRows.filter { if case .timestamp(let x) = $0[2] { return x >= now - micros }; return false }
            }
            let ints = frameRows.compactMap { if case .int(let x) = $0[1] { return x }; return nil }
            var expAvg: Value = .null
            if !ints.isEmpty {
                var num = 0.0, den = 0.0
                for fr in frameRows {
                    guard case .int(let x) = fr[1], case .timestamp(let ti) = fr[2] else { continue }
                    let wgt = exp2(-Double(now - ti) / Double(halfLife))
                    num += Double(x) * wgt
                    den += wgt
                }
                expAvg = .double(num / den)
            }
            let want: [Value] = [
                .int(Int64(frameRows.count)), .int(Int64(ints.count)),
                ints.isEmpty ? .null : .int(ints.reduce(0, +)),
                ints.min().map { .int($0) } ?? .null, ints.max().map { .int($0) } ?? .null,
                frameRows.first![1], frameRows.count >= 2 ? frameRows[frameRows.count - 2][1] : .null,
            ]
            let got = Array(out[i].dropFirst(3))
            #expect(Array(got.prefix(7)) == want, "row \(i)")
            switch (got[7], expAvg) {
            case (.double(let a), .double(let b)): #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "row \(i): \(a) vs \(b)")
            case (.null, .null): break
            default: Issue.record("row \(i): EXP_AVG \(got[7]) vs \(expAvg)")
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible random input.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
