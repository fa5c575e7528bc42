import FreshetCore
import FreshetPlanner

extension WindowFunctionOperator {
    /// One partition in window order: `rows[j]` is the input index of its j-th row;
    /// peers (rows equal on every ORDER BY key; all rows without ORDER BY) share
    /// `peerStart`/`peerEnd` (inclusive positions) and a dense group number.
    struct Partition {
        let rows: [Int]
        var peerStart: [Int] = []
        var peerEnd: [Int] = []
        var peerGroup: [Int] = []

        init(rows: [Int]) { self.rows = rows }

        mutating func findPeers(_ orderKeys: [Value], width o: Int) {
            let m = rows.count
            peerStart = [Int](repeating: 0, count: m)
            peerEnd = [Int](repeating: m - 1, count: m)
            peerGroup = [Int](repeating: 0, count: m)
            var groupStart = 0, group = 0
            for j in 1..<max(m, 1) {
                var peer = true
                for k in 0..<o where Value.sortCompare(orderKeys[rows[j - 1] * o + k], orderKeys[rows[j] * o + k]) != 0 {
                    peer = false
                    break
                }
                if !peer {
                    for i in groupStart..<j { peerEnd[i] = j - 1 }
                    groupStart = j
                    group += 1
                }
                peerStart[j] = groupStart
                peerGroup[j] = group
            }
        }
    }

    /// Evaluate every call of window `w` over one partition.
    func evaluate(_ w: Window, _ part: inout Partition, offsets: FrameOffsets, into results: inout [Value]) throws {
        let m = part.rows.count
        let callCount = plan.calls.count
        var frame: (heads: [Int], tails: [Int])?
        for c in w.calls {
            let call = plan.calls[c]
            let args = arguments[c]
            func put(_ j: Int, _ v: Value) { results[part.rows[j] * callCount + c] = v }
            /// The first argument on every row of the partition.
            func values() throws -> [Value] { try part.rows.map { try args[0](rows[$0]) } }
            switch call.function {
            case .rowNumber:
                for j in 0..<m { put(j, .int(Int64(j + 1))) }
            case .rank:
                for j in 0..<m { put(j, .int(Int64(part.peerStart[j] + 1))) }
            case .denseRank:
                for j in 0..<m { put(j, .int(Int64(part.peerGroup[j] + 1))) }
            case .percentRank:
                for j in 0..<m { put(j, .double(m > 1 ? Double(part.peerStart[j]) / Double(m - 1) : 0)) }
            case .cumeDist:
                for j in 0..<m { put(j, .double(Double(part.peerEnd[j] + 1) / Double(m))) }
            case .ntile:
                // The bucket count is read on the partition's first row (as PostgreSQL does).
                let buckets = try args[0](rows[part.rows[0]])
                guard case .int(let b) = buckets else { continue }
                guard b > 0 else { throw FreshetError(SQLState("22014"), "argument of ntile must be greater than zero") }
                // The first m % b buckets hold one row more than the others.
                let perBucket = m / Int(min(b, Int64(m))), extra = m % Int(min(b, Int64(m)))
                let big = extra * (perBucket + 1)
                for j in 0..<m {
                    let bucket = j < big ? j / (perBucket + 1) : extra + (j - big) / perBucket
                    put(j, .int(Int64(bucket + 1)))
                }
            case .lag, .lead:
                let v = try values()
                for j in 0..<m {
                    let row = rows[part.rows[j]]
                    var offset: Int64 = 1
                    if args.count >= 2 {
                        guard case .int(let o) = try args[1](row) else { put(j, .null); continue }
                        offset = o
                    }
                    let (t, overflow) = call.function == .lag ? Int64(j).subtractingReportingOverflow(offset)
                                                              : Int64(j).addingReportingOverflow(offset)
                    if !overflow && t >= 0 && t < Int64(m) {
                        put(j, v[Int(t)])
                    } else {
                        put(j, args.count == 3 ? try args[2](row) : .null)
                    }
                }
            case .firstValue, .lastValue, .nthValue:
                if frame == nil { frame = try frameBounds(w, part, offsets: offsets) }
                let (heads, tails) = frame!
                let v = try values()
                for j in 0..<m {
                    var position: Int
                    switch call.function {
                    case .firstValue: position = heads[j]
                    case .lastValue: position = tails[j]
                    default:
                        guard case .int(let n) = try args[1](rows[part.rows[j]]) else { put(j, .null); continue }
                        guard n > 0 else { throw FreshetError(SQLState("22016"), "argument of nth_value must be greater than zero") }
                        position = n > Int64(m) ? m : heads[j] + Int(n) - 1
                    }
                    put(j, position >= heads[j] && position <= tails[j] ? v[position] : .null)
                }
            case .aggregate:
                if frame == nil { frame = try frameBounds(w, part, offsets: offsets) }
                let (heads, tails) = frame!
                let v = args.isEmpty ? [Value](repeating: .null, count: m) : try values()
                try aggregate(call.aggregate!, v, heads: heads, tails: tails, unboundedStart: {
                    if case .unboundedPreceding = w.definition.frame.start { return true }
                    return false
                }()) { put($0, $1) }
            }
        }
    }

    /// An aggregate over each row's frame [heads[j], tails[j]] (empty when head > tail). Heads and
    /// tails only move forward along the partition, so the frame is kept incrementally:
    /// from UNBOUNDED PRECEDING rows are only added; COUNT, SUM, AVG, MIN and MAX add and remove
    /// rows (SlidingAggregate); the others are recomputed when the frame changes.
    private func aggregate(_ call: AggregateCall, _ v: [Value], heads: [Int], tails: [Int], unboundedStart: Bool,
                           put: (Int, Value) -> Void) throws {
        let m = v.count
        let inputType = call.argument?.type
        if unboundedStart {
            var acc = Accumulator(call)
            var added = 0
            for j in 0..<m {
                while added <= tails[j] { try acc.add(v[added]); added += 1 }
                put(j, try acc.result(inputType: inputType))
            }
            return
        }
        let sliding: WindowFunctionCall.Function?
        switch call.function {
        case .count: sliding = .count
        case .countStar: sliding = .countStar
        case .sum: sliding = .sum
        case .avg: sliding = .avg
        case .min: sliding = .min
        case .max: sliding = .max
        default: sliding = nil
        }
        if let sliding, !call.distinct {
            var state = SlidingAggregate(WindowFunctionCall(function: sliding, argument: call.argument, window: 0, resultType: call.resultType))
            var a = 0, b = 0   // the rows now in `state`: [a, b)
            for j in 0..<m {
                let h = heads[j], e = max(tails[j] + 1, h)
                while a < h && a < b { try state.remove(v[a], time: 0, sequence: Int64(a)); a += 1 }
                if a < h { a = h; b = max(b, h) }
                while b < e { try state.add(v[b], time: 0, sequence: Int64(b)); b += 1 }
                put(j, try state.result())
            }
            return
        }
        var last: (Int, Int, Value)?
        for j in 0..<m {
            if let (h, t, r) = last, h == heads[j], t == tails[j] { put(j, r); continue }
            var acc = Accumulator(call)
            if heads[j] <= tails[j] { for i in heads[j]...tails[j] { try acc.add(v[i]) } }
            let r = try acc.result(inputType: inputType)
            last = (heads[j], tails[j], r)
            put(j, r)
        }
    }

    /// Each row's frame as inclusive positions in the partition (head > tail: empty).
    private func frameBounds(_ w: Window, _ part: Partition, offsets: FrameOffsets) throws -> (heads: [Int], tails: [Int]) {
        let m = part.rows.count
        let f = w.definition.frame
        var heads = [Int](repeating: 0, count: m)
        var tails = [Int](repeating: m - 1, count: m)
        if f.units == .rows {
            let s = offsets.rows(offsets.start), e = offsets.rows(offsets.end)
            for j in 0..<m {
                switch f.start {
                case .unboundedPreceding, .unboundedFollowing: heads[j] = 0
                case .preceding: heads[j] = max(0, j - s)
                case .currentRow: heads[j] = j
                case .following: heads[j] = min(m, j + s)
                }
                switch f.end {
                case .unboundedFollowing, .unboundedPreceding: tails[j] = m - 1
                case .preceding: tails[j] = j - e
                case .currentRow: tails[j] = j
                case .following: tails[j] = min(m - 1, j + e)
                }
            }
            return (heads, tails)
        }
        // RANGE: offsets compare the single ORDER BY key (cast to the targets' type) with the
        // current row's key ∓ offset; NULL keys are only peers of each other.
        var keys: [Value] = []
        var nonNull = 0..<m
        if let rk = w.rangeKey {
            keys = try part.rows.map { try rk(rows[$0]) }
            var lo = 0, hi = m
            while lo < hi && keys[lo].isNull { lo += 1 }
            while hi > lo && keys[hi - 1].isNull { hi -= 1 }
            nonNull = lo..<hi
        }
        let ascending = w.definition.orderBy.first?.ascending ?? true
        /// −1, 0, 1: `a` before, level with, after `b` in window order.
        func direction(_ a: Value, _ b: Value) -> Int {
            let c = Value.sortCompare(a, b)
            return ascending ? c : -c
        }
        for j in 0..<m {
            let row = rows[part.rows[j]]
            switch f.start {
            case .unboundedPreceding, .unboundedFollowing: heads[j] = 0
            case .currentRow: heads[j] = part.peerStart[j]
            case .preceding, .following:
                if keys[j].isNull { heads[j] = part.peerStart[j]; break }
                let target = try w.startTarget!(row)
                // The first non-null row not before the target.
                var lo = nonNull.lowerBound, hi = nonNull.upperBound
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if direction(keys[mid], target) < 0 { lo = mid + 1 } else { hi = mid }
                }
                heads[j] = lo
            }
            switch f.end {
            case .unboundedFollowing, .unboundedPreceding: tails[j] = m - 1
            case .currentRow: tails[j] = part.peerEnd[j]
            case .preceding, .following:
                if keys[j].isNull { tails[j] = part.peerEnd[j]; break }
                let target = try w.endTarget!(row)
                // The last non-null row not after the target.
                var lo = nonNull.lowerBound, hi = nonNull.upperBound
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if direction(keys[mid], target) <= 0 { lo = mid + 1 } else { hi = mid }
                }
                tails[j] = lo - 1
            }
        }
        return (heads, tails)
    }
}
