import FreshetCore
import FreshetPlanner

/// Sliding windows for continuous queries (SQL.md "Windows":
/// `agg(x) OVER (PARTITION BY k RANGE INTERVAL '1' MINUTE PRECEDING)`,
/// `OVER (PARTITION BY k ROWS 10 PRECEDING)`, named `WINDOW w AS (…)`).
///
/// Each row is emitted at once, as it arrives, extended with one value per
/// window function (the plan's `calls`, in order). The frame is the row's
/// partition's rows before and including it: with RANGE, those whose ROWTIME is
/// at least the row's ROWTIME minus the interval (bounds inclusive); with ROWS
/// n, the row and the n before it. Rows of a partition that have arrived so far
/// are its window: a later row with the same ROWTIME is not in an earlier row's
/// window, because the earlier row was emitted before it came.
///
/// Per partition the operator keeps a ring of the rows in the window and
/// incremental aggregates (`SlidingAggregate`): each row enters and leaves once,
/// nothing is re-scanned. State is bounded: RANGE windows drop rows that fall
/// out of the window, on the next row of the partition or, for partitions that
/// fall quiet, on a sweep as the stream's time passes (`advance(to:)`), which
/// also drops empty partitions; ROWS windows keep at most n + 1 rows per
/// partition.
///
/// Order: rows are windowed in ROWTIME order. A batch is sorted by ROWTIME when
/// it is not already (shards are read one after the other); a row read after a
/// newer row of its partition (from another shard, in an earlier batch) is
/// windowed as if it arrived at that newer time.
///
/// Event time (`ORDER BY ts` over a stream with `WATERMARK FOR ts`, `plan.eventTime`):
/// the windows are ordered and measured by `ts` instead. Rows wait in `pending`
/// until the watermark (largest `ts` seen minus the delay, row by row) reaches their
/// `ts`, then are windowed in (`ts`, arrival) order; a row whose `ts` is behind the
/// watermark (or NULL) is late: counted and handed to `onLateRow`, not windowed
/// (SlidingWindowOperator+EventTime).
final class SlidingWindowOperator: RowSink {
    /// The column rows are ordered and windowed by: ROWTIME, or the event-time column.
    let rowtimeIndex: Int
    let callCount: Int
    let windows: [Window]
    let next: RowSink
    /// Event-time ordering (nil: ROWTIME).
    let eventTime: EventTimeWatermark?
    let onLateRow: LateRowHandler?
    /// Event time: the watermark (rows at or before it have been windowed).
    var watermark: Int64 = .min
    /// Event time: rows waiting for the watermark, in arrival order.
    var pending: [Row] = []
    /// Event time: rows that came behind the watermark.
    var lateRows: Int64 = 0

    init(plan: SlidingWindowPlan, compiler: ExpressionCompiler, next: RowSink, onLateRow: LateRowHandler? = nil) throws {
        rowtimeIndex = plan.timeIndex
        eventTime = plan.eventTime
        self.onLateRow = onLateRow
        callCount = plan.calls.count
        var windows: [Window] = []
        for (w, definition) in plan.windows.enumerated() {
            let mine = plan.calls.indices.filter { plan.calls[$0].window == w }
            windows.append(try Window(definition: definition, calls: mine.map { plan.calls[$0] },
                                      outputs: mine.map { plan.inputWidth + $0 }, compiler: compiler))
        }
        self.windows = windows
        self.next = next
    }

    /// Partitions held, over all windows (for tests and state accounting).
    var partitionCount: Int { windows.reduce(0) { $0 + $1.liveCount } }
    /// Rows held in windows, over all windows.
    var storedRows: Int { windows.reduce(0) { $0 + $1.storedRows } }

    func push(_ rows: [Row]) throws {
        if eventTime != nil { return try pushEventTime(rows) }
        try window(rows)
    }

    /// Window rows in their time order and pass them on.
    func window(_ rows: [Row]) throws {
        var out: [Row] = []
        out.reserveCapacity(rows.count)
        for r in try inRowtimeOrder(rows) {
            guard case .timestamp(let t) = r[rowtimeIndex] else { continue }   // ROWTIME is never NULL
            var o = r
            o.reserveCapacity(r.count + callCount)
            for _ in 0..<callCount { o.append(.null) }
            for w in windows { try w.process(r, time: t, into: &o) }
            out.append(o)
        }
        if !out.isEmpty { try next.push(out) }
    }

    func finish() throws { try next.finish() }

    /// The stream's time reached `watermark`: drop the rows of RANGE windows that
    /// no later row can see, and the partitions left empty. The caller pushes every
    /// row below `watermark` first (LiveQueryStream advances only once it has drained
    /// the shards), so no row still to come is older than the watermark.
    func advance(to watermark: Int64) throws {
        guard eventTime == nil else { return }   // event-time windows sweep on their own watermark
        for w in windows { try w.sweep(watermark) }
    }

    /// `rows` as they are when already in ROWTIME order, else stably sorted by it.
    private func inRowtimeOrder(_ rows: [Row]) throws -> [Row] {
        var previous = Int64.min
        var sorted = true
        for r in rows {
            guard case .timestamp(let t) = r[rowtimeIndex] else { continue }
            if t < previous { sorted = false; break }
            previous = t
        }
        if sorted { return rows }
        func time(_ r: Row) -> Int64 {
            if case .timestamp(let t) = r[rowtimeIndex] { return t }
            return .min
        }
        return rows.enumerated().sorted { a, b in
            let ta = time(a.element), tb = time(b.element)
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
    }

    /// One window definition: its partitions and the calls that use it.
    final class Window {
        let frame: SlidingWindowDefinition.Frame
        let keys: [CompiledExpression]
        let calls: [WindowFunctionCall]
        /// Where each call's result goes in the output row.
        let outputs: [Int]
        let arguments: [CompiledExpression?]
        let defaults: [CompiledExpression?]
        /// Per call: its stored-argument slot in a partition's rows, or -1.
        let slots: [Int]
        let stride: Int
        var partitions: [SlidingWindowPartition] = []
        var free: [Int] = []
        var bySingleKey: [Value: Int] = [:]
        var byKeys: [[Value]: Int] = [:]
        /// Arguments of the current row (reused: no allocation per row).
        private var scratch: [Value]
        var lastSweep = Int64.min

        init(definition: SlidingWindowDefinition, calls: [WindowFunctionCall], outputs: [Int], compiler: ExpressionCompiler) throws {
            frame = definition.frame
            keys = try definition.partitionBy.map(compiler.compile)
            self.calls = calls
            self.outputs = outputs
            arguments = try calls.map { try $0.argument.map(compiler.compile) }
            defaults = try calls.map { try $0.defaultValue.map(compiler.compile) }
            var slots: [Int] = []
            var stride = 0
            for c in calls {
                if SlidingAggregate.storesArgument(c.function) { slots.append(stride); stride += 1 } else { slots.append(-1) }
            }
            self.slots = slots
            self.stride = stride
            scratch = Array(repeating: .null, count: calls.count)
        }

        var liveCount: Int { partitions.count - free.count }
        var storedRows: Int { partitions.reduce(0) { $0 + $1.count } }

        /// The partition of `row`, created when new.
        private func partition(of row: Row) throws -> Int {
            if keys.isEmpty {
                if partitions.isEmpty { partitions.append(SlidingWindowPartition(key: [], calls: calls)) }
                return 0
            }
            if keys.count == 1 {
                let k = try keys[0](row)
                if let p = bySingleKey[k] { return p }
                let p = allocate([k])
                bySingleKey[k] = p
                return p
            }
            var k: [Value] = []
            k.reserveCapacity(keys.count)
            for e in keys { k.append(try e(row)) }
            if let p = byKeys[k] { return p }
            let p = allocate(k)
            byKeys[k] = p
            return p
        }

        func allocate(_ key: [Value]) -> Int {
            let fresh = SlidingWindowPartition(key: key, calls: calls)
            if let p = free.popLast() {
                partitions[p] = fresh
                return p
            }
            partitions.append(fresh)
            return partitions.count - 1
        }

        /// Window `row` (ROWTIME `rowtime`) in its partition and write the calls' results into `out`.
        func process(_ row: Row, time rowtime: Int64, into out: inout Row) throws {
            for i in calls.indices { scratch[i] = try arguments[i].map { try $0(row) } ?? .null }
            let p = try partition(of: row)
            let t = max(rowtime, partitions[p].newest)
            // Make room: drop what the new row no longer sees.
            switch frame {
            case .range(let micros):
                _ = try partitions[p].evict(before: t &- micros, slots: slots, stride: stride)
            case .rows(let n):
                while partitions[p].count > n { try partitions[p].removeOldest(slots: slots, stride: stride) }
            }
            // Add the row.
            let sequence = partitions[p].nextSequence
            partitions[p].times.append(t)
            for i in calls.indices where slots[i] >= 0 { partitions[p].values.append(scratch[i]) }
            for i in calls.indices { try partitions[p].aggregates[i].add(scratch[i], time: t, sequence: sequence) }
            partitions[p].nextSequence = sequence + 1
            partitions[p].newest = t
            // Results over the window as it now is.
            let count = partitions[p].count
            for i in calls.indices {
                let c = calls[i]
                let v: Value
                switch c.function {
                case .firstValue: v = partitions[p].value(row: 0, slot: slots[i], stride: stride)
                case .lastValue: v = partitions[p].value(row: count - 1, slot: slots[i], stride: stride)
                case .nthValue: v = count >= c.offset ? partitions[p].value(row: c.offset - 1, slot: slots[i], stride: stride) : .null
                case .lag:
                    let r = count - 1 - c.offset
                    if r >= 0 { v = partitions[p].value(row: r, slot: slots[i], stride: stride) }
                    else { v = try defaults[i].map { try $0(row) } ?? .null }
                default: v = try partitions[p].aggregates[i].result()
                }
                out[outputs[i]] = v
            }
        }

        /// Evict by the stream's time and drop empty partitions, at most once per window length
        /// (at least a second apart), so the sweep costs O(partitions) per window length.
        func sweep(_ watermark: Int64) throws {
            guard case .range(let micros) = frame, watermark != .min else { return }
            guard lastSweep == .min || watermark &- lastSweep >= max(micros, 1_000_000) else { return }
            lastSweep = watermark
            let cutoff = watermark &- micros
            for p in partitions.indices where partitions[p].isLive {
                let empty = try partitions[p].evict(before: cutoff, slots: slots, stride: stride)
                if empty && !keys.isEmpty { drop(p) }
            }
        }

        private func drop(_ p: Int) {
            let key = partitions[p].key
            if keys.count == 1 { bySingleKey[key[0]] = nil } else { byKeys[key] = nil }
            partitions[p] = SlidingWindowPartition(key: [], calls: [])
            partitions[p].isLive = false
            free.append(p)
        }
    }
}
