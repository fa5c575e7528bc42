import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// WindowFunctionOperator (bounded OVER): the incremental frames (add-only from UNBOUNDED
/// PRECEDING, add/remove for COUNT/SUM/MIN/MAX, binary-searched RANGE offsets) checked
/// against a naive evaluation of each row's frame over random input with NULLs and ties,
/// and the partition/order walk on a large partition.
@Suite struct WindowFunctionOperatorTests {
    /// Input rows are (k INTEGER, o INTEGER, v INTEGER); o may be NULL.
    static let k = BoundExpression.column(0, .integer)
    static let o = BoundExpression.column(1, .integer)
    static let v = BoundExpression.column(2, .integer)

    func run(_ windows: [WindowDefinition], _ calls: [WindowCall], _ rows: [Row]) throws -> [Row] {
        let sink = CollectingSink()
        let op = try WindowFunctionOperator(plan: WindowFunctionPlan(windows: windows, calls: calls, inputWidth: 3),
                                            compiler: ExpressionCompiler(context: EvaluationContext()), next: sink)
        try op.push(rows)
        try op.finish()
        #expect(sink.finished)
        return sink.rows
    }

    static func aggregate(_ f: AggregateCall.Function, _ type: DataType, window: Int = 0) -> WindowCall {
        let a = AggregateCall(function: f, argument: f == .countStar ? nil : v, distinct: false, resultType: type)
        return WindowCall(function: .aggregate, arguments: a.argument.map { [$0] } ?? [], aggregate: a, window: window, resultType: type)
    }

    /// A deterministic pseudo-random generator (tests must not be flaky).
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func randomRows(_ n: Int, seed: UInt64) -> [Row] {
        var g = LCG(state: seed)
        return (0..<n).map { _ in
            let o: Value = g.next(10) == 0 ? .null : .int(Int64(g.next(30)))
            let v: Value = g.next(8) == 0 ? .null : .int(Int64(g.next(100)) - 50)
            return [.int(Int64(g.next(3))), o, v]
        }
    }

    /// The naive answer: for each row, its partition sorted like the operator sorts it
    /// (o ascending, NULLs last, ties in arrival order), the frame found by scanning.
    func naive(_ rows: [Row], frame: (_ partition: [Row], _ j: Int) -> [Int]) -> [[Value]] {
        var out = [[Value]](repeating: [], count: rows.count)
        for key in Set(rows.map { $0[0] }) {
            let members = rows.indices.filter { rows[$0][0] == key }.sorted { a, b in
                let x = rows[a][1], y = rows[b][1]
                if x.isNull != y.isNull { return !x.isNull }
                let c = Value.sortCompare(x, y)
                return c != 0 ? c < 0 : a < b
            }
            let partition = members.map { rows[$0] }
            for (j, i) in members.enumerated() {
                let values = frame(partition, j).map { partition[$0][2] }.filter { !$0.isNull }
                let ints = values.map { if case .int(let x) = $0 { return x } else { return 0 } }
                out[i] = [.int(Int64(values.count)),
                          ints.isEmpty ? .null : .int(ints.reduce(0, +)),
                          ints.min().map { .int($0) } ?? .null,
                          ints.max().map { .int($0) } ?? .null]
            }
        }
        return out
    }

    func check(_ frame: WindowFrameDefinition, seed: UInt64, naiveFrame: @escaping ([Row], Int) -> [Int]) throws {
        let rows = randomRows(300, seed: seed)
        let w = WindowDefinition(partitionBy: [Self.k], orderBy: [WindowOrderKey(expression: Self.o, ascending: true, nullsFirst: false)],
                                 frame: frame)
        let calls = [Self.aggregate(.count, .bigint), Self.aggregate(.sum, .bigint), Self.aggregate(.min, .integer), Self.aggregate(.max, .integer)]
        let out = try run([w], calls, rows)
        #expect(out.count == rows.count)
        // Output rows carry their input; match them back by position of the input row.
        let expected = naive(rows, frame: naiveFrame)
        var byInput: [[Value]: [[Value]]] = [:]
        for r in out { byInput[Array(r.prefix(3)), default: []].append(Array(r.dropFirst(3))) }
        for (i, r) in rows.enumerated() {
            let got = byInput[r] ?? []
            #expect(got.contains(expected[i]), "row \(i) \(r): expected \(expected[i]), got \(got)")
        }
    }

    @Test func slidingRowsFramesMatchANaiveScan() throws {
        let frame = WindowFrameDefinition(units: .rows, start: .preceding(.literal(.int(3), .bigint)),
                                          end: .following(.literal(.int(2), .bigint)))
        try check(frame, seed: 7) { p, j in Array(max(0, j - 3)...min(p.count - 1, j + 2)) }
    }

    @Test func framesThatMayBeEmptyMatchANaiveScan() throws {
        let frame = WindowFrameDefinition(units: .rows, start: .following(.literal(.int(1), .bigint)),
                                          end: .following(.literal(.int(4), .bigint)))
        try check(frame, seed: 11) { p, j in j + 1 < p.count ? Array((j + 1)...min(p.count - 1, j + 4)) : [] }
    }

    @Test func rangeOffsetFramesMatchANaiveScan() throws {
        var frame = WindowFrameDefinition(units: .range, start: .preceding(.literal(.int(5), .bigint)),
                                          end: .following(.literal(.int(2), .bigint)))
        frame.rangeKey = Self.o
        frame.startTarget = .binary(.subtract, Self.o, .literal(.int(5), .bigint), .integer)
        frame.endTarget = .binary(.add, Self.o, .literal(.int(2), .bigint), .integer)
        // A NULL key's frame is its NULL peers; other rows see the non-NULL keys within [o − 5, o + 2].
        try check(frame, seed: 3) { p, j in
            guard case .int(let key) = p[j][1] else { return p.indices.filter { p[$0][1].isNull } }
            return p.indices.filter { if case .int(let x) = p[$0][1] { return x >= key - 5 && x <= key + 2 } else { return false } }
        }
    }

    @Test func defaultFrameEndsAtTheLastPeer() throws {
        try check(.default, seed: 5) { p, j in
            // Up to the last row whose key equals the current one (NULLs are peers of each other).
            var end = j
            while end + 1 < p.count && Value.sortCompare(p[end + 1][1], p[j][1]) == 0 { end += 1 }
            return Array(0...end)
        }
    }

    @Test func rankingAndOffsetsOnALargePartition() throws {
        let n = 50_000
        // Keys descending in arrival order, with pairs of ties: the walk sorts them once.
        let rows: [Row] = (0..<n).map { [.int(0), .int(Int64((n - $0) / 2)), .int(Int64($0))] }
        let w = WindowDefinition(partitionBy: [], orderBy: [WindowOrderKey(expression: Self.o, ascending: true, nullsFirst: false)],
                                 frame: WindowFrameDefinition(units: .rows, start: .preceding(.literal(.int(1000), .bigint)), end: .currentRow))
        let calls = [WindowCall(function: .rowNumber, arguments: [], window: 0, resultType: .bigint),
                     WindowCall(function: .rank, arguments: [], window: 0, resultType: .bigint),
                     WindowCall(function: .denseRank, arguments: [], window: 0, resultType: .bigint),
                     WindowCall(function: .lag, arguments: [Self.v], window: 0, resultType: .integer),
                     Self.aggregate(.countStar, .bigint)]
        let out = try run([w], calls, rows)
        #expect(out.count == n)
        for (j, r) in out.enumerated() {
            // Output comes in window order: row j has row number j + 1; ties come in pairs.
            #expect(r[3] == .int(Int64(j + 1)))
            let firstOfPair = j == 0 || r[1] != out[j - 1][1]
            #expect(r[4] == .int(Int64(firstOfPair ? j + 1 : j)))
            #expect(r[6] == (j == 0 ? .null : out[j - 1][2]))
            #expect(r[7] == .int(Int64(min(j + 1, 1001))))
            if j > 0 && !firstOfPair { #expect(r[5] == out[j - 1][5]) }
        }
        #expect(out.last?[5] == .int(Int64(n / 2 + 1)))
    }

    @Test func ntileSplitsAsEvenlyAsPossible() throws {
        let rows: [Row] = (0..<10).map { [.int(0), .int(Int64($0)), .null] }
        let w = WindowDefinition(partitionBy: [], orderBy: [WindowOrderKey(expression: Self.o, ascending: true, nullsFirst: false)], frame: .default)
        let out = try run([w], [WindowCall(function: .ntile, arguments: [.literal(.int(4), .bigint)], window: 0, resultType: .integer)], rows)
        #expect(out.map { $0[3] } == [1, 1, 1, 2, 2, 2, 3, 3, 4, 4].map { Value.int($0) })
        #expect(throws: FreshetError.self) {
            _ = try run([w], [WindowCall(function: .ntile, arguments: [.literal(.int(0), .bigint)], window: 0, resultType: .integer)], rows)
        }
    }

    @Test func negativeOrNullOffsetsAreRefused() throws {
        let rows: [Row] = [[.int(0), .int(1), .int(1)]]
        for offset in [BoundExpression.literal(.int(-1), .bigint), .literal(.null, .bigint)] {
            let w = WindowDefinition(partitionBy: [], orderBy: [], frame: WindowFrameDefinition(units: .rows, start: .preceding(offset), end: .currentRow))
            #expect(throws: FreshetError.self) { _ = try run([w], [Self.aggregate(.countStar, .bigint)], rows) }
        }
    }
}
