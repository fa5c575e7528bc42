import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// GroupTable numbers groups exactly as a `[[Value]: Int]` dictionary in first-arrival
/// order would (the grouping the window operators used before), on random keys of every
/// kind, including NULLs, equal-by-value decimals (1.50 = 1.5), NaN and ±0.0.
@Suite struct GroupTableTests {
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    /// A random value from a small domain (so keys repeat), of a random kind.
    static func value(_ r: inout RNG) -> Value {
        switch r.below(11) {
        case 0: return .null
        case 1: return .int(Int64(r.below(20)) - 10)
        case 2: return .string("k\(r.below(30))")
        case 3: return .string(String(repeating: "long-é-", count: Int(r.below(4)) + 2) + "\(r.below(5))")
        case 4:
            // 1.5 written with scale 1, 2 or 3: equal values, different encodings.
            let scale = Int(r.below(3)) + 1
            var m = Int128(r.below(4)) * 5
            for _ in 0..<(scale - 1) { m *= 10 }
            return .decimal(Decimal(mantissa: m, scale: scale))
        case 5: return [Value.double(.nan), .double(0.0), .double(-0.0), .double(2.5)][Int(r.below(4))]
        case 6: return .timestamp(Int64(r.below(6)) * 1_000_000)
        case 7: return .bool(r.below(2) == 0)
        case 8: return .date(Int32(r.below(5)))
        case 9: return .bytes([UInt8(r.below(3)), 7])
        default: return .interval(r.below(2) == 0 ? Interval(days: 1) : Interval(microseconds: 86_400_000_000))
        }
    }

    @Test(arguments: [1, 2, 3])
    func numbersGroupsLikeADictionaryInFirstArrivalOrder(width: Int) {
        var rng = RNG(state: UInt64(width) * 977)
        var table = GroupTable(width: width)
        var reference: [[Value]: Int] = [:]
        var firstKeys: [[Value]] = []
        for _ in 0..<20_000 {
            let key = (0..<width).map { _ in Self.value(&rng) }
            let expected = reference[key]
            let (g, inserted) = width == 1 && rng.below(2) == 0 ? table.group(of: key[0]) : table.group(of: key)
            if let expected {
                #expect(!inserted)
                #expect(g == expected)
            } else {
                #expect(inserted)
                #expect(g == firstKeys.count)
                reference[key] = g
                firstKeys.append(key)
            }
        }
        #expect(table.count == firstKeys.count)
        #expect(table.count > 50)   // the domain is large enough to make the table grow
        for (g, key) in firstKeys.enumerated() {
            let stored = Array(table.key(g))
            #expect(stored.count == width)
            for (a, b) in zip(stored, key) {
                // The first arrival's own encoding is kept (1.50 stays 1.50; -0.0 stays -0.0).
                if case .double(let x) = a, case .double(let y) = b { #expect(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)) }
                else if case .decimal(let x) = a, case .decimal(let y) = b { #expect(x.scale == y.scale && x.mantissa == y.mantissa) }
                else { #expect(a == b) }
            }
        }
    }

    @Test func equalValuesHashAlike() {
        let pairs: [(Value, Value)] = [
            (.double(0.0), .double(-0.0)), (.double(.nan), .double(-.nan)),
            (.decimal(Decimal(mantissa: 15, scale: 1)), .decimal(Decimal(mantissa: 1500, scale: 3))),
            (.interval(Interval(days: 1)), .interval(Interval(microseconds: 86_400_000_000))),
            (.string("abcdefghijklmnopqrstuvwxyz"), .string(String("xabcdefghijklmnopqrstuvwxyz".dropFirst()))),
        ]
        for (a, b) in pairs {
            #expect(a == b)
            #expect(a.groupHash(seed: 99) == b.groupHash(seed: 99))
        }
        // Different kinds never share a group even when their bits agree.
        var table = GroupTable(width: 1)
        #expect(table.group(of: .int(0)).inserted)
        #expect(table.group(of: .timestamp(0)).inserted)
        #expect(table.group(of: .double(0)).inserted)
        #expect(table.group(of: .null).inserted)
        #expect(!table.group(of: .int(0)).inserted)
        #expect(table.count == 4)
    }
}

/// The in-place updates (AggregateUpdate) leave each accumulator in exactly the state
/// `Accumulator.add` of the evaluated argument gives — same snapshot bytes, same result —
/// on random rows with NULLs, for every call kind they cover and some they hand on.
@Suite struct AggregateUpdateTests {
    /// Rows: (i BIGINT, d DOUBLE, s TEXT, m DECIMAL, n INTEGER).
    static let calls: [AggregateCall] = [
        AggregateCall(function: .countStar, argument: nil, distinct: false, resultType: .bigint),
        AggregateCall(function: .count, argument: .column(2, .text), distinct: false, resultType: .bigint),
        AggregateCall(function: .sum, argument: .column(0, .bigint), distinct: false, resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .sum, argument: .column(4, .integer), distinct: false, resultType: .bigint),
        AggregateCall(function: .sum, argument: .column(1, .double), distinct: false, resultType: .double),
        AggregateCall(function: .avg, argument: .column(1, .double), distinct: false, resultType: .double),
        AggregateCall(function: .avg, argument: .column(0, .bigint), distinct: false, resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .sum, argument: .column(3, .decimal(precision: nil, scale: nil)), distinct: false,
                      resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .count, argument: .column(0, .bigint), distinct: true, resultType: .bigint),
        AggregateCall(function: .sum, argument: .binary(.add, .column(0, .bigint), .literal(.int(1), .bigint), .bigint),
                      distinct: false, resultType: .decimal(precision: nil, scale: nil)),
        AggregateCall(function: .max, argument: .column(2, .text), distinct: false, resultType: .text),
    ]

    @Test func inPlaceUpdatesEqualAccumulatorAdd() throws {
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let arguments = try Self.calls.map { try $0.argument.map(compiler.compile) }
        let updates = zip(Self.calls, arguments).map { AggregateUpdate($0, argument: $1) }
        // The covered kinds take the fast path (else this test would compare add with add).
        if case .countStar = updates[0] {} else { Issue.record("COUNT(*) not in place") }
        if case .countColumn(2) = updates[1] {} else { Issue.record("COUNT(s) not in place") }
        if case .sumInt(0) = updates[2] {} else { Issue.record("SUM(i) not in place") }
        if case .sumDouble(1) = updates[4] {} else { Issue.record("SUM(d) not in place") }
        if case .general = updates[7] {} else { Issue.record("a DECIMAL sum must stay on Accumulator.add") }
        if case .general = updates[8] {} else { Issue.record("COUNT(DISTINCT) must stay on Accumulator.add") }

        var rng = GroupTableTests.RNG(state: 5)
        var fast = Self.calls.map { Accumulator($0) }
        var slow = Self.calls.map { Accumulator($0) }
        for step in 0..<5_000 {
            let row: Row = [
                rng.below(6) == 0 ? .null : .int(Int64(bitPattern: rng.next() << 31) / 3),
                rng.below(6) == 0 ? .null : .double(Double(Int64(rng.below(2_000_000)) - 1_000_000) / 7.0),
                rng.below(6) == 0 ? .null : .string("s\(rng.below(9))"),
                rng.below(6) == 0 ? .null : .decimal(Decimal(mantissa: Int128(rng.below(1_000_000)) - 500_000, scale: Int(rng.below(4)))),
                rng.below(6) == 0 ? .null : .int(Int64(rng.below(1 << 31)) - (1 << 30)),
            ]
            for i in Self.calls.indices {
                try updates[i].apply(row, to: &fast[i])
                try slow[i].add(try arguments[i].map { try $0(row) } ?? .null)
            }
            if step % 1_000 == 999 || step == 0 {
                for i in Self.calls.indices {
                    var a = StateWriter(), b = StateWriter()
                    fast[i].snapshot(into: &a)
                    slow[i].snapshot(into: &b)
                    #expect(a.bytes == b.bytes, "call \(i) after \(step + 1) rows")
                    let x = try fast[i].result(inputType: Self.calls[i].argument?.type)
                    let y = try slow[i].result(inputType: Self.calls[i].argument?.type)
                    #expect(x == y, "call \(i): \(x) vs \(y)")
                }
            }
        }
        #expect(fast[0].count == 5_000)
    }

    @Test func aSumThatOverflowsBigintStillFailsAtTheResult() throws {
        let call = AggregateCall(function: .sum, argument: .column(0, .bigint), distinct: false, resultType: .bigint)
        let update = AggregateUpdate(call, argument: { $0[0] })
        var a = Accumulator(call)
        try update.apply([.int(.max)], to: &a)
        try update.apply([.int(1)], to: &a)
        #expect(throws: FreshetError.self) { _ = try a.result(inputType: .bigint) }
    }
}
