import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// A tumbling window's state survives snapshot() → restore() into a fresh operator
/// exactly: the restored operator emits what the original would have, bit for bit
/// (a pump's checkpoint relies on it).
@Suite struct TumblingWindowSnapshotTests {
    static let minute: Int64 = 60_000_000
    /// Input rows are (k TEXT, v DOUBLE, window start TIMESTAMP, d DECIMAL).
    static let calls: [AggregateCall] = [
        AggregateCall(function: .countStar, argument: nil, distinct: false, resultType: .bigint),
        AggregateCall(function: .sum, argument: .column(1, .double), distinct: false, resultType: .double),
        AggregateCall(function: .avg, argument: .column(3, .decimal(precision: nil, scale: nil)), distinct: false,
                      resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .max, argument: .column(0, .text), distinct: false, resultType: .text),
        AggregateCall(function: .count, argument: .column(1, .double), distinct: true, resultType: .bigint),
        AggregateCall(function: .stddevSamp, argument: .column(1, .double), distinct: false, resultType: .double),
    ]

    func make() throws -> (TumblingWindowOperator, CollectingSink) {
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let sink = CollectingSink()
        let op = TumblingWindowOperator(
            keys: [try compiler.compile(.column(2, .timestamp)), try compiler.compile(.column(0, .text))], windowKey: 0, size: Self.minute,
            calls: Self.calls, arguments: try Self.calls.map { try $0.argument.map(compiler.compile) }, next: sink)
        return (op, sink)
    }

    func rows(_ n: Int, seed: UInt64) -> [Row] {
        var rng = seed
        func next() -> UInt64 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return rng >> 33 }
        return (0..<n).map { i in
            let window = Int64(i / 40) * Self.minute
            return [.string("k\(next() % 7)"), next() % 5 == 0 ? .null : .double(Double(next() % 1000) / 7.0),
                    .timestamp(window), .decimal(Decimal(mantissa: Int128(next() % 100_000), scale: 3))]
        }
    }

    @Test func restoredOperatorEmitsExactlyWhatTheOriginalWould() throws {
        let input = rows(200, seed: 42)
        let (original, originalOut) = try make()
        try original.push(Array(input[0..<130]))
        try original.advance(to: 2 * Self.minute)   // closes windows 0 and 1
        var w = StateWriter()
        original.snapshot(into: &w)

        let (restored, restoredOut) = try make()
        var r = StateReader(w.bytes)
        try restored.restore(from: &r)
        #expect(r.isAtEnd)
        #expect(restored.closedThrough == original.closedThrough)

        // The same snapshot again gives the same bytes (deterministic encoding).
        var w2 = StateWriter()
        restored.snapshot(into: &w2)
        #expect(w2.bytes == w.bytes)

        _ = originalOut.take()
        for op in [original, restored] {
            try op.push(Array(input[130...]))
            try op.advance(to: 10 * Self.minute)
        }
        let a = originalOut.take(), b = restoredOut.take()
        #expect(a.count > 10)
        #expect(a == b)
        // Doubles compare bit for bit, not only by ==.
        for (x, y) in zip(a, b) {
            for (u, v) in zip(x, y) {
                if case .double(let p) = u, case .double(let q) = v { #expect(p.bitPattern == q.bitPattern) }
            }
        }
        #expect(original.open.isEmpty && restored.open.isEmpty)
    }

    @Test func truncatedOrForeignStateIsRefused() throws {
        let (op, _) = try make()
        try op.push(rows(50, seed: 7))
        var w = StateWriter()
        op.snapshot(into: &w)
        for cut in [1, 9, w.bytes.count / 2, w.bytes.count - 1] {
            let (fresh, _) = try make()
            var r = StateReader(Array(w.bytes.prefix(cut)))
            #expect(throws: FreshetError.self) { try fresh.restore(from: &r) }
        }
    }

    @Test func valuesOfEveryTypeRoundTrip() throws {
        let values: [Value] = [.null, .bool(true), .int(-5), .double(-0.0), .double(.nan), .decimal(Decimal(mantissa: -12345, scale: 2)),
                               .string("héllo"), .bytes([0, 255]), .timestamp(-1), .date(-3), .time(86_399_999_999),
                               .interval(Interval(months: -1, days: 2, microseconds: 3))]
        var w = StateWriter()
        w.values(values)
        var r = StateReader(w.bytes)
        let back = try r.values()
        #expect(back.count == values.count)
        for (a, b) in zip(values, back) {
            if case .double(let x) = a, case .double(let y) = b { #expect(x.bitPattern == y.bitPattern) } else { #expect(a == b) }
        }
        #expect(r.isAtEnd)
    }
}
