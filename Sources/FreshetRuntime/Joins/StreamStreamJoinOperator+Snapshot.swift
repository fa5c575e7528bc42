import FreshetCore

extension StreamStreamJoinOperator {
    /// The snapshot format's version (the first byte of this operator's part).
    static let snapshotVersion: UInt8 = 1

    /// The join's whole state, so that a restored operator continues exactly as
    /// this one would: per side (left, then right) the rows waiting for the
    /// watermark, in arrival order (`advance` sorts them by ROWTIME from that
    /// order, so keeping it keeps the order of ties), then the rows retained by
    /// the window, oldest first, each with its time and whether it ever matched
    /// (an outer side emits the unmatched ones when they leave the window). Keys
    /// are not written: they are recomputed from the rows on restore.
    func snapshot(into w: inout StateWriter) {
        w.u8(Self.snapshotVersion)
        for side in 0..<2 {
            w.u32(UInt32(pending[side].count))
            for r in pending[side] { w.values(r) }
            let s = state[side]
            w.u32(UInt32(s.count))
            for i in s.head..<s.rows.count {
                w.values(s.rows[i])
                w.i64(s.times[i])
                w.bool(s.matched[i])
            }
        }
    }

    /// Replace the state with what `snapshot` wrote (for an operator built from the same plan).
    func restore(from r: inout StateReader) throws {
        guard try r.u8() == Self.snapshotVersion else { throw r.corrupt() }
        var newPending: [[Row]] = [[], []]
        var newState = [StreamJoinSideState(indexed: keyed), StreamJoinSideState(indexed: keyed)]
        var bytes = 0
        var key: [Value] = []
        for side in 0..<2 {
            for _ in 0..<Int(try r.u32()) {
                let row = try r.values()
                bytes += StreamJoinRow.estimatedBytes(row)
                newPending[side].append(row)
            }
            var last = Int64.min
            for _ in 0..<Int(try r.u32()) {
                let row = try r.values()
                let time = try r.i64()
                let matched = try r.bool()
                guard time >= last else { throw r.corrupt() }   // retained rows are in time order
                last = time
                let hasKey = keyed ? try StreamJoinRow.key(row, side == 0 ? self.row.leftKeys : self.row.rightKeys, into: &key) : false
                newState[side].append(row, time: time, key: keyed && hasKey ? key : nil, matched: matched)
            }
        }
        pending = newPending
        pendingBytes = bytes
        state = newState
    }
}
