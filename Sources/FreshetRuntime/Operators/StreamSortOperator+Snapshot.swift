import FreshetCore

extension StreamSortOperator {
    /// The watermark and the rows waiting for their time key to become final, in
    /// arrival order (ties are released in it).
    func snapshot(into w: inout StateWriter) {
        w.i64(watermark)
        w.u32(UInt32(pending.count))
        for row in pending { w.values(row) }
    }

    /// Replace the state with what `snapshot` wrote.
    func restore(from r: inout StateReader) throws {
        watermark = try r.i64()
        var rows: [Row] = []
        var minKey = Int64.max
        for _ in 0..<Int(try r.u32()) {
            let row = try r.values()
            guard plan.timeKeyColumn < row.count else { throw r.corrupt() }
            if case .timestamp(let t) = row[plan.timeKeyColumn] { minKey = min(minKey, t) } else { minKey = .min }
            rows.append(row)
        }
        pending = rows
        pendingMinKey = minKey
    }

    /// Bytes held by the waiting rows (an estimate for sys.pumps).
    var stateBytes: Int { pending.reduce(0) { $0 + 16 + $1.count * MemoryLayout<Value>.stride } }
}
