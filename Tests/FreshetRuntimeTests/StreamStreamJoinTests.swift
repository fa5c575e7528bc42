import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// The stream–stream join against a naive nested loop over all rows: the same
/// pairs (key equal and not NULL, residual true, `-leftWindow <= tl - tr <=
/// rightWindow`), and, for outer joins, every row without a pair once, with
/// ROWTIME = its own + its side's window. Rows arrive in shuffled batches, some
/// before the watermark reaches them; the state holds exactly the rows whose
/// window has not ended.
@Suite struct StreamStreamJoinTests {
    /// A seeded generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A stream `(k INTEGER, v INTEGER)`, then ROWTIME.
    static func relation(_ name: String) -> RelationDescriptor {
        RelationDescriptor(oid: name == "l" ? 1 : 2, schemaName: "public", name: name, kind: .stream,
                           columns: [Column(name: "k", type: .integer), Column(name: "v", type: .integer), Column(name: "rowtime", type: .timestamp)],
                           userColumnCount: 2)
    }

    static func plan(_ kind: JoinPlan.Kind, leftWindow: Int64?, rightWindow: Int64?, keyed: Bool) -> StreamJoinPlan {
        // v(l) <> v(r): a residual that removes some key matches.
        let differ = BoundExpression.binary(.notEqual, .column(1, .integer), .column(4, .integer), .boolean)
        let join = keyed
            ? JoinPlan(kind: kind, left: .singleRow, right: .singleRow, leftWidth: 3, rightWidth: 3,
                       leftKeys: [.column(0, .integer)], rightKeys: [.column(0, .integer)], residual: differ)
            : JoinPlan(kind: kind, left: .singleRow, right: .singleRow, leftWidth: 3, rightWidth: 3,
                       residual: .and([.binary(.equal, .column(0, .integer), .column(3, .integer), .boolean), differ]))
        return StreamJoinPlan(join: join, left: .init(relation: relation("l"), windowMicros: leftWindow),
                              right: .init(relation: relation("r"), windowMicros: rightWindow))
    }

    static func randomRows(_ n: Int, _ rng: inout SplitMix) -> [Row] {
        var t: Int64 = 0
        return (0..<n).map { _ in
            t += Int64.random(in: 0...20, using: &rng)
            let k: Value = Int.random(in: 0..<10, using: &rng) == 0 ? .null : .int(Int64.random(in: 0..<6, using: &rng))
            return [k, .int(Int64.random(in: 0..<3, using: &rng)), .timestamp(t)]
        }
    }

    static func naive(_ kind: JoinPlan.Kind, _ l: [Row], _ r: [Row], wl: Int64, wr: Int64) -> [Row] {
        var out: [Row] = []
        var rightMatched = [Bool](repeating: false, count: r.count)
        for a in l {
            var matched = false
            for (j, b) in r.enumerated() {
                guard case .int(let ka) = a[0], case .int(let kb) = b[0], ka == kb, a[1] != b[1] else { continue }
                let tl = a[2].rowtimeMicros, tr = b[2].rowtimeMicros
                guard tl - tr <= wr && tr - tl <= wl else { continue }
                matched = true
                rightMatched[j] = true
                out.append(a + b + [.timestamp(max(tl, tr))])
            }
            if !matched && (kind == .left || kind == .full) {
                out.append(a + [.null, .null, .null] + [.timestamp(a[2].rowtimeMicros + wl)])
            }
        }
        if kind == .right || kind == .full {
            for (j, b) in r.enumerated() where !rightMatched[j] {
                out.append([.null, .null, .null] + b + [.timestamp(b[2].rowtimeMicros + wr)])
            }
        }
        return out
    }

    static func sorted(_ rows: [Row]) -> [Row] {
        rows.sorted { a, b in
            for (x, y) in zip(a, b) {
                let c = Value.sortCompare(x, y)
                if c != 0 { return c < 0 }
            }
            return false
        }
    }

    static let windows: [(Int64?, Int64?)] = [(50, nil), (nil, 50), (0, 30), (100, 7), (300, 300)]

    @Test(arguments: [JoinPlan.Kind.inner, .left, .right, .full], [true, false])
    func matchesTheNestedLoop(_ kind: JoinPlan.Kind, keyed: Bool) throws {
        var rng = SplitMix(state: 42 &+ UInt64(keyed ? 1 : 0))
        for (wl, wr) in StreamStreamJoinTests.windows {
            let l = StreamStreamJoinTests.randomRows(400, &rng), r = StreamStreamJoinTests.randomRows(400, &rng)
            let sink = CollectingSink()
            let op = try StreamStreamJoinOperator(plan: StreamStreamJoinTests.plan(kind, leftWindow: wl, rightWindow: wr, keyed: keyed),
                                                  compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
            // Feed in steps: rows up to a little past the watermark arrive (shuffled), then time moves.
            var pushedL = 0, pushedR = 0
            var watermark: Int64 = 0
            let end = max(l.last![2].rowtimeMicros, r.last![2].rowtimeMicros)
            while watermark < end + 1000 {
                watermark += Int64.random(in: 1...60, using: &rng)
                let arrival = watermark + Int64.random(in: 0...15, using: &rng)
                var batchL: [Row] = [], batchR: [Row] = []
                while pushedL < l.count && l[pushedL][2].rowtimeMicros <= arrival { batchL.append(l[pushedL]); pushedL += 1 }
                while pushedR < r.count && r[pushedR][2].rowtimeMicros <= arrival { batchR.append(r[pushedR]); pushedR += 1 }
                op.push(batchL.shuffled(using: &rng), side: 0)
                op.push(batchR.shuffled(using: &rng), side: 1)
                try op.advance(to: watermark)
                // State: exactly the rows at or before the watermark whose window has not ended.
                let keptL = l[..<pushedL].filter { let t = $0[2].rowtimeMicros; return t <= watermark && t + (wl ?? 0) >= watermark }.count
                let keptR = r[..<pushedR].filter { let t = $0[2].rowtimeMicros; return t <= watermark && t + (wr ?? 0) >= watermark }.count
                #expect(op.retainedRows.left == keptL && op.retainedRows.right == keptR)
            }
            #expect(op.retainedRows.left == 0 && op.retainedRows.right == 0)
            #expect(op.stateBytes == 0)
            let expected = StreamStreamJoinTests.naive(kind, l, r, wl: wl ?? 0, wr: wr ?? 0)
            #expect(expected.count > 20)
            // Multiset difference both ways, so a failure names the rows, not two long arrays.
            var missing: [Row] = [], extra: [Row] = []
            var got = StreamStreamJoinTests.sorted(sink.rows)[...], want = StreamStreamJoinTests.sorted(expected)[...]
            while let g = got.first, let w = want.first {
                if g == w { got.removeFirst(); want.removeFirst(); continue }
                if StreamStreamJoinTests.sorted([g, w])[0] == g { extra.append(g); got.removeFirst() } else { missing.append(w); want.removeFirst() }
            }
            missing += want
            extra += got
            #expect(missing.isEmpty && extra.isEmpty,
                    "windows \(String(describing: wl)) \(String(describing: wr)): \(missing.count) missing, e.g. \(missing.prefix(2)); \(extra.count) extra, e.g. \(extra.prefix(2))")
        }
    }

    @Test func stateBytesGrowWithRetainedRowsAndOutputWaitsForTheWatermark() throws {
        let sink = CollectingSink()
        let op = try StreamStreamJoinOperator(plan: StreamStreamJoinTests.plan(.inner, leftWindow: 100, rightWindow: nil, keyed: true),
                                              compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
        #expect(op.stateBytes == 0)
        op.push([[.int(1), .int(0), .timestamp(10)]], side: 0)
        op.push([[.int(1), .int(1), .timestamp(20)]], side: 1)
        #expect(op.stateBytes > 0)
        try op.advance(to: 15)            // the right row is still ahead of time
        #expect(sink.rows.isEmpty)
        #expect(op.nextDeadline == 20)
        try op.advance(to: 20)
        #expect(sink.rows == [[.int(1), .int(0), .timestamp(10), .int(1), .int(1), .timestamp(20), .timestamp(20)]])
        let held = op.stateBytes
        #expect(held > 0)
        try op.advance(to: 110)           // 10 + 100: the left row can still meet a row at 110
        #expect(op.retainedRows.left == 1)
        try op.advance(to: 111)
        #expect(op.retainedRows == (0, 0))
        #expect(op.stateBytes == 0)
    }
}
