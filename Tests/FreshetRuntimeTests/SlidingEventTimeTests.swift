import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// SlidingWindowOperator ordered by an event-time column (`OVER (… ORDER BY ts …)` over a
/// stream with `WATERMARK FOR ts`): rows wait for the watermark, are windowed in event-time
/// order, late rows are reported; the output does not depend on batching, and a
/// checkpoint (snapshot → restore) keeps the waiting rows and the watermark.
@Suite struct SlidingEventTimeTests {
    static let second: Int64 = 1_000_000
    /// Rows are (k TEXT, v DOUBLE, ts TIMESTAMP); ts is the event time, watermark delay 2 s.
    static let k = BoundExpression.column(0, .text), v = BoundExpression.column(1, .double)
    static let windows = [SlidingWindowDefinition(partitionBy: [k], frame: .range(micros: 10 * second)),
                          SlidingWindowDefinition(partitionBy: [], frame: .rows(2))]
    static let calls = [
        WindowFunctionCall(function: .countStar, argument: nil, window: 0, resultType: .bigint),
        WindowFunctionCall(function: .sum, argument: v, window: 0, resultType: .double),
        WindowFunctionCall(function: .max, argument: v, window: 0, resultType: .double),
        WindowFunctionCall(function: .lag, argument: v, window: 1, offset: 1, resultType: .double),
    ]
    static let plan = SlidingWindowPlan(windows: windows, calls: calls, rowtimeIndex: 2, inputWidth: 3,
                                        eventTime: EventTimeWatermark(column: 2, delayMicros: 2 * second))

    func make(_ late: SnapshotHarness.LateRows? = nil) throws -> (SlidingWindowOperator, CollectingSink) {
        let sink = CollectingSink()
        let op = try SlidingWindowOperator(plan: Self.plan, compiler: ExpressionCompiler(context: EvaluationContext()), next: sink,
                                           onLateRow: late?.handler)
        return (op, sink)
    }

    func row(_ k: String, _ v: Double, _ seconds: Int64) -> Row { [.string(k), .double(v), .timestamp(seconds * Self.second)] }

    @Test func rowsWaitForTheWatermarkAndComeOutInEventTimeOrder() throws {
        let late = SnapshotHarness.LateRows()
        let (op, sink) = try make(late)
        try op.push([row("a", 1, 10), row("a", 2, 13), row("a", 3, 11)])   // watermark 11: 10 and 11 are due
        #expect(sink.take().map { $0[1] } == [.double(1), .double(3)])
        try op.push([row("a", 4, 9)])                                      // behind the watermark: late
        #expect(late.rows.count == 1 && op.lateRows == 1)
        try op.push([row("a", 5, 30)])                                     // watermark 28: 13 is due
        let out = sink.take()
        #expect(out.map { $0[1] } == [.double(2)])
        // 13's RANGE 10 s frame holds 10, 11, 13 (in event-time order), LAG is 11's value.
        #expect(Array(out[0].dropFirst(3)) == [.int(3), .double(6), .double(3), .double(3)])
        #expect(op.pending.count == 1)
    }

    @Test func outputDoesNotDependOnBatching() throws {
        var rng = SplitMix64(seed: 42)
        var rows: [Row] = []
        var t: Int64 = 1_000
        for _ in 0..<400 {
            t += Int64.random(in: 0...2, using: &rng)
            rows.append(row("k\(Int.random(in: 0..<4, using: &rng))", Double(Int.random(in: -50...50, using: &rng)),
                            t - Int64.random(in: 0...4, using: &rng)))
        }
        let lateA = SnapshotHarness.LateRows(), lateB = SnapshotHarness.LateRows()
        let (a, sinkA) = try make(lateA)
        try a.push(rows)
        let (b, sinkB) = try make(lateB)
        var i = 0
        while i < rows.count {
            let n = Int.random(in: 1...9, using: &rng)
            try b.push(Array(rows[i..<min(rows.count, i + n)]))
            i += n
        }
        #expect(sinkA.rows.count > 300)
        #expect(sinkA.rows == sinkB.rows)
        #expect(lateA.rows == lateB.rows)
        #expect(!lateA.rows.isEmpty)
        // Event times of the output never go back.
        let times = sinkA.rows.map { r -> Int64 in if case .timestamp(let t) = r[2] { return t } else { return .min } }
        #expect(times == times.sorted())
    }

    @Test func checkpointKeepsWaitingRowsAndWatermark() throws {
        let harness = SnapshotHarness { late in
            let (op, sink) = try make(late)
            return .init(push: op.push, advance: op.advance, snapshot: { SnapshotHarness.bytes(op.snapshot) },
                         restore: { b in try SnapshotHarness.read(b, op.restore) }, sink: sink)
        }
        for seed in [5, 6] as [UInt64] {
            let events = OperatorSnapshotTests.script(seed: seed, batches: 100, keys: 4, disorder: 4, nulls: false)
            let (out, bytes) = try harness.check(events, cuts: SnapshotHarness.cuts(events.count, 6))
            #expect(out.count > 300)
            #expect(bytes > 100)
        }
    }
}
