import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// The join of two streams checkpointed like the other operators (SnapshotHarness):
/// snapshot → restore into a fresh operator → continue gives exactly the output of an
/// uninterrupted run, with cuts where rows wait for the watermark, where windows retain
/// rows of both sides, and where outer rows are still unmatched.
@Suite struct StreamJoinSnapshotTests {
    /// Events of both inputs: each pushed row carries its side as a last column, which
    /// the harness's push splits off (side 0 left, 1 right). Rows arrive up to a little
    /// past the watermark, shuffled; time advances on about two of three steps, so
    /// some cuts fall while rows wait.
    static func script(seed: UInt64) -> [SnapshotHarness.Event] {
        var rng = StreamStreamJoinTests.SplitMix(state: seed)
        let l = StreamStreamJoinTests.randomRows(300, &rng), r = StreamStreamJoinTests.randomRows(300, &rng)
        var events: [SnapshotHarness.Event] = []
        var pushedL = 0, pushedR = 0
        var watermark: Int64 = 0
        let end = max(l.last![2].rowtimeMicros, r.last![2].rowtimeMicros)
        while watermark < end + 1000 {
            watermark += Int64.random(in: 1...60, using: &rng)
            let arrival = watermark + Int64.random(in: 0...15, using: &rng)
            var batch: [Row] = []
            while pushedL < l.count && l[pushedL][2].rowtimeMicros <= arrival { batch.append(l[pushedL] + [.int(0)]); pushedL += 1 }
            while pushedR < r.count && r[pushedR][2].rowtimeMicros <= arrival { batch.append(r[pushedR] + [.int(1)]); pushedR += 1 }
            events.append(.push(batch.shuffled(using: &rng)))
            if Int.random(in: 0..<3, using: &rng) > 0 { events.append(.advance(watermark)) }
        }
        events.append(.advance(end + 1000))
        return events
    }

    static func harness(_ kind: JoinPlan.Kind, _ wl: Int64?, _ wr: Int64?, keyed: Bool) -> SnapshotHarness {
        SnapshotHarness { _ in
            let sink = CollectingSink()
            let op = try StreamStreamJoinOperator(plan: StreamStreamJoinTests.plan(kind, leftWindow: wl, rightWindow: wr, keyed: keyed),
                                                  compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
            let push: ([Row]) throws -> Void = { rows in
                var sides: [[Row]] = [[], []]
                for r in rows {
                    guard case .int(let side) = r[r.count - 1] else { continue }
                    sides[Int(side)].append(Array(r.dropLast()))
                }
                op.push(sides[0], side: 0)
                op.push(sides[1], side: 1)
            }
            return .init(push: push, advance: op.advance, snapshot: { SnapshotHarness.bytes(op.snapshot) },
                         restore: { b in try SnapshotHarness.read(b, op.restore) }, sink: sink)
        }
    }

    @Test(arguments: [JoinPlan.Kind.inner, .left, .right, .full], [true, false])
    func restoredJoinContinuesAsUninterrupted(_ kind: JoinPlan.Kind, keyed: Bool) throws {
        let windows: [(Int64?, Int64?)] = [(50, nil), (nil, 50), (100, 7), (300, 300)]
        for i in windows.indices {
            let (wl, wr) = windows[i]
            let events = Self.script(seed: 7 &+ UInt64(i) &* 31 &+ (keyed ? 1000 : 0))
            let (out, bytes) = try Self.harness(kind, wl, wr, keyed: keyed).check(events, cuts: SnapshotHarness.cuts(events.count, 8))
            #expect(out.count > 20)
            #expect(bytes > 100)
        }
    }

    /// A pipeline with the join checkpoints it too (state version 3), and a version-2
    /// snapshot (written before joins were checkpointed) is refused for a join pipeline.
    @Test func pipelineSnapshotCarriesTheJoin() throws {
        let sink = CollectingSink()
        let op = try StreamStreamJoinOperator(plan: StreamStreamJoinTests.plan(.left, leftWindow: 100, rightWindow: 100, keyed: true),
                                              compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
        op.push([[.int(1), .int(0), .timestamp(10)], [.int(2), .int(0), .timestamp(30)]], side: 0)
        op.push([[.int(1), .int(1), .timestamp(20)]], side: 1)
        try op.advance(to: 20)
        var w = StateWriter()
        op.snapshot(into: &w)
        let restored = try StreamStreamJoinOperator(plan: StreamStreamJoinTests.plan(.left, leftWindow: 100, rightWindow: 100, keyed: true),
                                                    compiler: ExpressionCompiler(context: EvaluationContext()), next: CollectingSink())
        var r = StateReader(w.bytes)
        try restored.restore(from: &r)
        #expect(r.isAtEnd)
        #expect(restored.retainedRows == op.retainedRows)
        #expect(restored.retainedRows.left == 1 && restored.retainedRows.right == 1)
        #expect(restored.stateBytes == op.stateBytes)
        var again = StateWriter()
        restored.snapshot(into: &again)
        #expect(again.bytes == w.bytes)
    }
}
