import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// StaggerWindowOperator (a window per key from its first row) and
/// StreamSortOperator (release when the time key is complete), driven with
/// explicit ROWTIMEs and watermarks.
@Suite struct StaggerAndSortTests {
    static let second: Int64 = 1_000_000

    @Test func staggerWindowsOpenPerKeyAndCloseARangeLater() throws {
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let sink = CollectingSink()
        let calls = [AggregateCall(function: .countStar, argument: nil, distinct: false, resultType: .bigint)]
        // Rows (k TEXT, ROWTIME).
        let op = StaggerWindowOperator(keys: [try compiler.compile(.column(0, .text))],
                                       plan: StaggerWindowPlan(rangeMicros: 60 * Self.second, rowtimeIndex: 1),
                                       calls: calls, arguments: [nil], next: sink)
        func row(_ k: String, _ s: Int64) -> Row { [.string(k), .timestamp(s * Self.second)] }
        try op.push([row("a", 0), row("b", 30), row("a", 59)])
        #expect(op.nextWindowEnd == 60 * Self.second)
        try op.advance(to: 59 * Self.second)
        #expect(sink.take().isEmpty)
        try op.advance(to: 60 * Self.second)
        #expect(sink.take() == [[.string("a"), .int(2)]])
        try op.push([row("a", 61)])                        // a's next window opens at 61
        try op.advance(to: 90 * Self.second)
        #expect(sink.take() == [[.string("b"), .int(1)]])
        try op.push([row("a", 125)])                       // a's window [61, 121) is over before this row: emitted now
        #expect(sink.take() == [[.string("a"), .int(1)]])
        try op.advance(to: 185 * Self.second)
        #expect(sink.take() == [[.string("a"), .int(1)]])
        #expect(op.state.open.isEmpty)
    }

    @Test func sortReleasesCompleteTimeKeysSorted() throws {
        let sink = CollectingSink()
        let minute = 60 * Self.second
        // Projected rows (minute, v); ORDER BY minute, v DESC.
        let op = StreamSortOperator(keys: [SortKey(column: 0, ascending: true, nullsFirst: false),
                                           SortKey(column: 1, ascending: false, nullsFirst: true)],
                                    plan: StreamSortPlan(timeKeyColumn: 0, granularityMicros: minute, eventTime: false), next: sink)
        try op.push([[.timestamp(0), .int(1)], [.timestamp(0), .int(5)], [.timestamp(minute), .int(7)], [.timestamp(0), .int(3)]])
        try op.advance(to: minute - 1)
        #expect(sink.take().isEmpty)
        try op.advance(to: minute)
        #expect(sink.take() == [[.timestamp(0), .int(5)], [.timestamp(0), .int(3)], [.timestamp(0), .int(1)]])
        #expect(op.pending.count == 1)
        try op.advance(to: 2 * minute)
        #expect(sink.take() == [[.timestamp(minute), .int(7)]])
    }

    @Test func accumulatorMergeEqualsAddingAllRows() throws {
        var rng = SplitMix64(seed: 99)
        let functions: [(AggregateCall.Function, DataType)] = [(.count, .bigint), (.sum, .bigint), (.avg, .double), (.min, .integer),
                                                               (.max, .integer), (.stddevSamp, .double), (.varPop, .double)]
        for (f, t) in functions {
            for distinct in [false, true] {
                let call = AggregateCall(function: f, argument: .column(0, .integer), distinct: distinct, resultType: t == .double && f == .avg ? .double : t)
                var left = Accumulator(call), right = Accumulator(call), all = Accumulator(call)
                for i in 0..<200 {
                    let v = Value.int(Int64.random(in: 0..<30, using: &rng))
                    if i % 3 == 0 { try right.add(v) } else { try left.add(v) }
                    try all.add(v)
                }
                try left.merge(right)
                let a = try left.result(inputType: .integer), b = try all.result(inputType: .integer)
                if case .double(let x) = a, case .double(let y) = b {
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(f) distinct=\(distinct)")
                } else {
                    #expect(a == b, "\(f) distinct=\(distinct)")
                }
            }
        }
    }
}
