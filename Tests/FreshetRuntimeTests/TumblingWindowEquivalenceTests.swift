import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// TumblingWindowOperator (typed group table, in-place updates) against the grouping it
/// replaced, recomputed naively here — a `[[Value]: Int]` dictionary per window in
/// first-arrival order and `Accumulator.add` of every evaluated argument — on random
/// rows with NULL keys and values, strings, decimals of mixed scales and doubles; and
/// its snapshot bytes against the layout pumps' checkpoints already hold.
@Suite struct TumblingWindowEquivalenceTests {
    static let second: Int64 = 1_000_000
    /// Input rows: (k TEXT, n BIGINT, v DOUBLE, m DECIMAL, ROWTIME TIMESTAMP).
    static let calls: [AggregateCall] = [
        AggregateCall(function: .countStar, argument: nil, distinct: false, resultType: .bigint),
        AggregateCall(function: .sum, argument: .column(2, .double), distinct: false, resultType: .double),
        AggregateCall(function: .sum, argument: .column(1, .bigint), distinct: false, resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .sum, argument: .column(3, .decimal(precision: nil, scale: nil)), distinct: false,
                      resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .count, argument: .column(2, .double), distinct: false, resultType: .bigint),
        AggregateCall(function: .avg, argument: .column(2, .double), distinct: false, resultType: .double),
        AggregateCall(function: .min, argument: .column(0, .text), distinct: false, resultType: .text),
    ]

    /// keySets: the GROUP BY keys besides the window, as input columns.
    func make(_ keyColumns: [Int]) throws -> (TumblingWindowOperator, CollectingSink) {
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let sink = CollectingSink()
        let window = BoundExpression.function(.floorTo, [.column(4, .timestamp), .literal(.string("second"), .text)], .timestamp)
        var keys = [try compiler.compile(window)]
        keys += try keyColumns.map { try compiler.compile(.column($0, .text)) }
        let op = TumblingWindowOperator(keys: keys, windowKey: 0, size: Self.second, calls: Self.calls,
                                        arguments: try Self.calls.map { try $0.argument.map(compiler.compile) }, next: sink)
        return (op, sink)
    }

    func rows(_ n: Int, seed: UInt64) -> [Row] {
        var rng = GroupTableTests.RNG(state: seed)
        var t: Int64 = 50 * Self.second
        return (0..<n).map { _ in
            t += Int64(rng.below(40_000))
            let k: Value = rng.below(10) == 0 ? .null : .string(rng.below(3) == 0 ? "a longer key, not inline \(rng.below(5))" : "k\(rng.below(40))")
            return [k,
                    rng.below(7) == 0 ? .null : .int(Int64(rng.below(1_000)) - 500),
                    rng.below(7) == 0 ? .null : .double(Double(Int64(rng.below(100_000)) - 50_000) / 3.0),
                    rng.below(7) == 0 ? .null : .decimal(Decimal(mantissa: Int128(rng.below(100_000)), scale: Int(rng.below(3)))),
                    .timestamp(t)]
        }
    }

    /// What the old operator emitted for `rows` when every window closes.
    func reference(_ rows: [Row], keyColumns: [Int]) throws -> [Row] {
        var windows: [Int64: (index: [[Value]: Int], keys: [[Value]], states: [[Accumulator]])] = [:]
        for r in rows {
            guard case .timestamp(let t) = r[4] else { continue }
            let start = TimeWindows.floor(t, Self.second)
            let key = [Value.timestamp(start)] + keyColumns.map { r[$0] }
            var w = windows[start] ?? ([:], [], [])
            let g: Int
            if let found = w.index[key] { g = found } else {
                g = w.keys.count
                w.index[key] = g
                w.keys.append(key)
                w.states.append(Self.calls.map { Accumulator($0) })
            }
            for (i, c) in Self.calls.enumerated() {
                try w.states[g][i].add(c.argument.map { arg -> Value in
                    guard case .column(let col, _) = arg else { return .null }
                    return r[col]
                } ?? .null)
            }
            windows[start] = w
        }
        var out: [Row] = []
        for start in windows.keys.sorted() {
            let w = windows[start]!
            for (g, key) in w.keys.enumerated() {
                out.append(key + (try Self.calls.indices.map { try w.states[g][$0].result(inputType: Self.calls[$0].argument?.type) }))
            }
        }
        return out
    }

    func same(_ a: [Row], _ b: [Row]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                if case .double(let p) = u, case .double(let q) = v { if p.bitPattern != q.bitPattern { return false } }
                else if u != v { return false }
            }
        }
        return true
    }

    @Test(arguments: [[0], [0, 1], [Int]()])
    func emitsWhatTheOldGroupingDid(keyColumns: [Int]) throws {
        let input = rows(6_000, seed: UInt64(keyColumns.count) + 11)
        let (op, sink) = try make(keyColumns)
        var at = 0
        var chunk = 1
        while at < input.count {   // pushes of varied sizes: windows are held across and between pushes
            let end = min(input.count, at + chunk)
            try op.push(Array(input[at..<end]))
            at = end
            chunk = chunk * 3 % 997 + 1
        }
        try op.advance(to: .max - Self.second)
        let got = sink.take()
        let expected = try reference(input, keyColumns: keyColumns)
        #expect(got.count == expected.count)
        #expect(got.count > 100)
        #expect(same(got, expected))
    }

    @Test func snapshotKeepsTheCheckpointLayout() throws {
        let input = rows(800, seed: 3)
        let (op, _) = try make([0])
        try op.push(input)
        try op.advance(to: 60 * Self.second)   // some windows closed, some open
        #expect(!op.open.isEmpty)
        var got = StateWriter()
        op.snapshot(into: &got)

        // The layout as written before the group table: closedThrough, lateRows, the open
        // windows by start, each group's full key (window included) then its accumulators.
        var expected = StateWriter()
        expected.i64(op.closedThrough)
        expected.int(op.lateRows)
        let open = input.filter { r in
            guard case .timestamp(let t) = r[4] else { return false }
            return TimeWindows.floor(t, Self.second) &+ Self.second > 60 * Self.second
        }
        let byWindow = try reference(open, keyColumns: [0])
        var starts: [Int64] = []
        for r in byWindow { if case .timestamp(let s) = r[0], starts.last != s { starts.append(s) } }
        expected.u32(UInt32(starts.count))
        var states: [Int64: [(key: [Value], accs: [Accumulator])]] = [:]
        for r in open {
            guard case .timestamp(let t) = r[4] else { continue }
            let s = TimeWindows.floor(t, Self.second)
            var groups = states[s] ?? []
            let key: [Value] = [.timestamp(s), r[0]]
            var g = groups.firstIndex { $0.key == key }
            if g == nil { groups.append((key, Self.calls.map { Accumulator($0) })); g = groups.count - 1 }
            for (i, c) in Self.calls.enumerated() {
                var col: Int?
                if case .column(let x, _)? = c.argument { col = x }
                try groups[g!].accs[i].add(col.map { r[$0] } ?? .null)
            }
            states[s] = groups
        }
        for s in starts {
            expected.i64(s)
            expected.u32(UInt32(states[s]!.count))
            for g in states[s]! {
                expected.values(g.key)
                for a in g.accs { a.snapshot(into: &expected) }
            }
        }
        #expect(got.bytes == expected.bytes)
        #expect(op.stateBytes > 0)
    }
}
