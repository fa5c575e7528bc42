import FreshetCore

extension SlidingWindowOperator {
    /// Event time: hold each row until the watermark reaches its event time, then window the
    /// rows the watermark has passed in (event time, arrival) order. The watermark moves row by
    /// row (largest event time seen minus the delay, never back), as for event-time GROUP BY
    /// windows; a row whose event time is behind it, or NULL, is late. Output therefore does
    /// not depend on how rows are batched.
    func pushEventTime(_ rows: [Row]) throws {
        guard let eventTime else { return }
        let column = eventTime.column
        for r in rows {
            guard case .timestamp(let ts) = r[column] else {
                late(r, "its event time is NULL, so it has no place in the window's order")
                continue
            }
            if ts < watermark {
                late(r, "its event time \(Value.timestamp(ts).pgText(as: .timestamp)) is behind the watermark \(Value.timestamp(watermark).pgText(as: .timestamp)): the sliding window has already passed it")
                continue
            }
            pending.append(r)
            watermark = max(watermark, ts &- eventTime.delayMicros)
        }
        try release()
    }

    /// Window the pending rows at or before the watermark, oldest event time first, then drop
    /// what no later row can see.
    func release() throws {
        guard let column = eventTime?.column, !pending.isEmpty else { return }
        func time(_ r: Row) -> Int64 {
            if case .timestamp(let t) = r[column] { return t }
            return .min
        }
        var due: [(Int, Row)] = []
        var waiting: [Row] = []
        for (i, r) in pending.enumerated() {
            if time(r) <= watermark { due.append((i, r)) } else { waiting.append(r) }
        }
        guard !due.isEmpty else { return }
        pending = waiting
        due.sort { a, b in
            let ta = time(a.1), tb = time(b.1)
            return ta != tb ? ta < tb : a.0 < b.0
        }
        try window(due.map(\.1))
        for w in windows { try w.sweep(watermark) }
    }

    private func late(_ r: Row, _ reason: String) {
        lateRows += 1
        onLateRow?(r, watermark, reason)
    }
}
