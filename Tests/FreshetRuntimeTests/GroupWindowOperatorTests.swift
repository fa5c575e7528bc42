import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// GroupWindowOperator (HOP, SESSION, event-time tumbling) against a naive
/// recomputation over random out-of-order rows, late-row handling, and state
/// eviction.
@Suite struct GroupWindowOperatorTests {
    static let second: Int64 = 1_000_000
    /// Input rows are (k TEXT, v INTEGER, ts TIMESTAMP).
    static let calls = [
        AggregateCall(function: .countStar, argument: nil, distinct: false, resultType: .bigint),
        AggregateCall(function: .sum, argument: .column(1, .integer), distinct: false, resultType: .bigint),
        AggregateCall(function: .min, argument: .column(1, .integer), distinct: false, resultType: .integer),
        AggregateCall(function: .max, argument: .column(1, .integer), distinct: false, resultType: .integer),
        AggregateCall(function: .count, argument: .column(1, .integer), distinct: true, resultType: .bigint),
    ]

    /// Output rows are (k, window start, window end, count, sum, min, max, count distinct).
    func makeOperator(_ kind: GroupWindowPlan.Kind, delay: Int64?, late: LateRowHandler? = nil) throws -> (GroupWindowOperator, CollectingSink) {
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let sink = CollectingSink()
        let plan = GroupWindowPlan(kind: kind, timeColumn: 2, startKeys: [1], endKeys: [2],
                                   eventTime: delay.map { EventTimeWatermark(column: 2, delayMicros: $0) })
        let op = GroupWindowOperator(keys: [try compiler.compile(.column(0, .text)), nil, nil], plan: plan, calls: Self.calls,
                                     arguments: try Self.calls.map { try $0.argument.map(compiler.compile) }, next: sink, onLateRow: late)
        return (op, sink)
    }

    struct Result: Hashable, Comparable {
        var key: String, start: Int64, end: Int64, count: Int64, sum: Int64, min: Int64, max: Int64, distinct: Int64
        static func < (a: Result, b: Result) -> Bool { (a.key, a.start, a.end) < (b.key, b.start, b.end) }
    }

    func results(_ rows: [Row]) -> [Result] {
        rows.map { r in
            guard case .string(let k) = r[0], case .timestamp(let s) = r[1], case .timestamp(let e) = r[2], case .int(let c) = r[3],
                  case .int(let sum) = r[4], case .int(let mn) = r[5], case .int(let mx) = r[6], case .int(let d) = r[7] else {
                Issue.record("unexpected output row \(r)")
                return Result(key: "", start: 0, end: 0, count: 0, sum: 0, min: 0, max: 0, distinct: 0)
            }
            return Result(key: k, start: s, end: e, count: c, sum: sum, min: mn, max: mx, distinct: d)
        }
    }

    func aggregate(_ key: String, _ start: Int64, _ end: Int64, _ values: [Int64]) -> Result {
        Result(key: key, start: start, end: end, count: Int64(values.count), sum: values.reduce(0, +), min: values.min()!,
               max: values.max()!, distinct: Int64(Set(values).count))
    }

    /// Rows at increasing times, each displaced by up to `disorder` seconds and shuffled locally.
    func randomRows(_ n: Int, disorder: Int64, rng: inout SplitMix64) -> [(k: String, v: Int64, ts: Int64)] {
        var rows: [(k: String, v: Int64, ts: Int64)] = []
        var t: Int64 = 1_000 * Self.second
        for _ in 0..<n {
            t += Int64.random(in: 0...(2 * Self.second), using: &rng)
            let jitter = Int64.random(in: 0...(disorder * Self.second), using: &rng)
            rows.append((["a", "b", "c"][Int.random(in: 0..<3, using: &rng)], Int64.random(in: 0..<20, using: &rng), t - jitter))
        }
        return rows
    }

    func push(_ op: GroupWindowOperator, _ rows: [(k: String, v: Int64, ts: Int64)], rng: inout SplitMix64) throws {
        var i = 0
        while i < rows.count {
            let n = min(rows.count - i, Int.random(in: 1...7, using: &rng))
            try op.push(rows[i..<(i + n)].map { [.string($0.k), .int($0.v), .timestamp($0.ts)] })
            i += n
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func hopMatchesNaiveRecomputation(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let slide = 3 * Self.second, size = 10 * Self.second
        let rows = randomRows(400, disorder: 4, rng: &rng)
        let (op, sink) = try makeOperator(.hop(slideMicros: slide, sizeMicros: size), delay: 5 * Self.second)
        try push(op, rows, rng: &rng)
        try op.push([[.string("zz"), .int(0), .timestamp(Int64(1) << 50)]])   // closes every window
        // Naive: every window [k·slide, k·slide + size) containing the row.
        var windows: [String: [Int64]] = [:]
        var bounds: [String: (String, Int64)] = [:]
        for r in rows {
            var s = TimeWindows.floor(r.ts, slide)
            while s + size > r.ts {
                windows["\(r.k)|\(s)", default: []].append(r.v)
                bounds["\(r.k)|\(s)"] = (r.k, s)
                s -= slide
            }
        }
        let expected = windows.map { aggregate(bounds[$0.key]!.0, bounds[$0.key]!.1, bounds[$0.key]!.1 + size, $0.value) }.sorted()
        let got = results(sink.take()).filter { $0.key != "zz" }
        #expect(op.lateRows == 0)
        #expect(got.sorted() == expected)
        #expect(got.map(\.end) == got.map(\.end).sorted(), "windows are emitted in order of their end")
        #expect(op.state.open.keys.allSatisfy { $0 + size > Int64(1) << 50 }, "only the sentinel's windows stay open")
    }

    @Test(arguments: [11, 12, 13, 14, 15] as [UInt64])
    func sessionMatchesNaiveRecomputation(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let gap = 2 * Self.second
        let rows = randomRows(300, disorder: 6, rng: &rng)
        let (op, sink) = try makeOperator(.session(gapMicros: gap), delay: 7 * Self.second)
        try push(op, rows, rng: &rng)
        try op.push([[.string("zz"), .int(0), .timestamp(Int64(1) << 50)]])
        // Naive: per key, sorted times split where the next row is more than `gap` after the last.
        var expected: [Result] = []
        for key in ["a", "b", "c"] {
            let mine = rows.filter { $0.k == key }.sorted { $0.ts < $1.ts }
            var current: [(v: Int64, ts: Int64)] = []
            func flush() {
                guard let first = current.first, let last = current.last else { return }
                expected.append(aggregate(key, first.ts, last.ts + gap, current.map(\.v)))
                current = []
            }
            for r in mine {
                if let last = current.last, r.ts - last.ts > gap { flush() }
                current.append((r.v, r.ts))
            }
            flush()
        }
        let got = results(sink.take()).filter { $0.key != "zz" }
        #expect(op.lateRows == 0)
        #expect(got.sorted() == expected.sorted())
        #expect(op.state.sessionIndex.count == 1, "groups with no open session are evicted")
    }

    @Test func lateRowsAreCountedAndReportedNotAggregated() throws {
        var reported: [(Row, Int64, String)] = []
        let (op, sink) = try makeOperator(.tumbling(sizeMicros: 10 * Self.second), delay: 2 * Self.second,
                                          late: { reported.append(($0, $1, $2)) })
        func row(_ v: Int64, _ s: Int64) -> Row { [.string("a"), .int(v), .timestamp(s * Self.second)] }
        try op.push([row(1, 1), row(2, 9), row(3, 7)])   // watermark 7 s: the 7 s row is out of order but not late
        #expect(sink.take().isEmpty)
        try op.push([row(4, 12)])                       // watermark 10 s closes [0, 10)
        #expect(results(sink.take()) == [aggregate("a", 0, 10 * Self.second, [1, 2, 3])])
        try op.push([row(5, 9), row(6, 11)])            // 9 s is late; 11 s is not
        #expect(op.lateRows == 1)
        #expect(reported.count == 1)
        #expect(reported.first?.0 == row(5, 9))
        #expect(reported.first?.1 == 10 * Self.second)
        #expect(reported.first?.2.contains("behind the watermark") == true)
        try op.push([row(7, 30)])
        #expect(results(sink.take()) == [aggregate("a", 10 * Self.second, 20 * Self.second, [4, 6])])
    }

    @Test func hopRowPartlyLateFeedsItsOpenWindowsOnly() throws {
        let (op, sink) = try makeOperator(.hop(slideMicros: 5 * Self.second, sizeMicros: 10 * Self.second), delay: 0)
        func row(_ v: Int64, _ s: Int64) -> Row { [.string("a"), .int(v), .timestamp(s * Self.second)] }
        try op.push([row(1, 11)])            // watermark 11: [0, 10) would be closed
        try op.push([row(2, 8)])             // in [0, 10) (closed) and [5, 15) (open)
        #expect(op.lateRows == 0)
        try op.push([row(3, 40)])
        let got = results(sink.take())
        #expect(got.contains(aggregate("a", 5 * Self.second, 15 * Self.second, [1, 2])))
        #expect(!got.contains { $0.start == 0 })
    }

    @Test func rowtimeWindowsCloseOnAdvanceOnly() throws {
        let (op, sink) = try makeOperator(.session(gapMicros: 30 * Self.second), delay: nil)
        try op.push([[.string("a"), .int(1), .timestamp(0)], [.string("a"), .int(2), .timestamp(20 * Self.second)]])
        #expect(sink.take().isEmpty)
        #expect(op.nextWindowEnd! <= 50 * Self.second, "a lower bound of the earliest end")
        try op.advance(to: 49 * Self.second)
        #expect(sink.take().isEmpty)
        #expect(op.nextWindowEnd == 50 * Self.second, "exact after a scan")
        try op.advance(to: 50 * Self.second)
        #expect(results(sink.take()) == [aggregate("a", 0, 50 * Self.second, [1, 2])])
        #expect(op.nextWindowEnd == nil)
    }
}
