import FreshetCore
import FreshetPlanner

/// Windowed GROUP BY for continuous queries other than the ROWTIME tumbling
/// window (TumblingWindowOperator): tumbling windows over an event-time column,
/// hopping windows `HOP(ts, slide, size)` and session windows `SESSION(ts, gap)`
/// (Flink SQL's group windows), over ROWTIME or over event time.
///
/// Time: over ROWTIME the windows close when the stream's time passes their end
/// (`advance(to:)`, the server clock held back by in-flight commits). Over event
/// time the watermark is `max(event time seen) − delay`, advanced row by row as
/// rows reach this operator (after WHERE) and never moved back; rows of all
/// shards share it (one watermark per stream as this query reads it). A window
/// [start, end) is emitted once `end ≤ watermark`.
///
/// Late rows: a row whose windows have all closed (`end ≤ watermark` for the
/// latest window it belongs to) is not aggregated; it is counted in `lateRows`
/// and handed to `onLateRow`. A hopping row some of whose windows have closed is
/// added to the open ones only.
///
/// Output: one row per (window, group) — the keys, with the window's start and
/// end filled into `startKeys`/`endKeys`, then the aggregate results — ordered by
/// window end, then start, then the group's first arrival. State is the open
/// windows only; closed windows are dropped when emitted.
final class GroupWindowOperator {
    /// Key expressions; nil for the keys that hold the window's bounds.
    let keys: [CompiledExpression?]
    let plan: GroupWindowPlan
    let calls: [AggregateCall]
    let arguments: [CompiledExpression?]
    let next: RowSink
    let onLateRow: LateRowHandler?

    /// The groups of one tumbling or hopping window: the keys other than the window's
    /// bounds (`groupKeys`) in a GroupTable, numbered in first-arrival order; the
    /// accumulators flat, group g's call i at g * calls.count + i (a row updates its
    /// group in place).
    struct Window {
        var groups: GroupTable
        var states: [Accumulator] = []
        init(width: Int) { groups = GroupTable(width: width) }
    }
    /// One session of one group: rows from `start` to `end − gap`.
    struct Session {
        var start: Int64
        var end: Int64
        var states: [Accumulator]
    }
    /// All the state, as plain values (so a pump can snapshot it).
    struct State {
        /// Tumbling/hopping windows by start.
        var open: [Int64: Window] = [:]
        /// Session windows per group: group key → slot in `sessions`.
        var sessionIndex: [[Value]: Int] = [:]
        var sessionKeys: [[Value]] = []
        var sessions: [[Session]] = []
        var freeSlots: [Int] = []
        /// A lower bound of the earliest session end (nil: none open).
        var earliestSessionEnd: Int64?
        /// Windows ending at or before this have been emitted.
        var watermark: Int64 = .min
        var maxEventTime: Int64 = .min
        var lateRows: Int64 = 0
    }
    var state = State()
    private var scratch: [Value] = []
    /// Tumbling windows: the current run's rows whose accumulators are still to be updated.
    private var pending = PendingUpdates()
    /// The full key (bounds NULL) of the current row, for sessions, also reused.
    private var sessionScratch: [Value] = []
    /// How each call's accumulator is updated per row (see AggregateUpdate).
    let updates: [AggregateUpdate]
    /// The keys other than the window's bounds, and their positions in `keys`.
    let groupKeys: [CompiledExpression]
    let groupKeyPositions: [Int]

    var watermark: Int64 { state.watermark }
    var lateRows: Int64 { state.lateRows }

    init(keys: [CompiledExpression?], plan: GroupWindowPlan, calls: [AggregateCall], arguments: [CompiledExpression?],
         next: RowSink, onLateRow: LateRowHandler?) {
        self.keys = keys
        self.plan = plan
        self.calls = calls
        self.arguments = arguments
        self.next = next
        self.onLateRow = onLateRow
        updates = zip(calls, arguments).map { AggregateUpdate($0, argument: $1) }
        groupKeyPositions = keys.indices.filter { keys[$0] != nil }
        groupKeys = groupKeyPositions.map { keys[$0]! }
    }

    /// A group's full key in GROUP BY order from its `groupKeys` values (the bounds NULL,
    /// filled in on output), with room for the aggregate results.
    func fullKey<C: Collection<Value>>(_ values: C) -> [Value] {
        var key = [Value](repeating: .null, count: keys.count)
        key.reserveCapacity(keys.count + calls.count)
        for (p, v) in zip(groupKeyPositions, values) { key[p] = v }
        return key
    }

    /// Over ROWTIME: when the earliest open window ends (the next emission; for sessions a lower
    /// bound, exact after each emission — waking early only costs a check); nil over event time.
    var nextWindowEnd: Int64? {
        guard plan.eventTime == nil else { return nil }
        switch plan.kind {
        case .tumbling(let size), .hop(_, let size): return state.open.keys.min().map { $0 &+ size }
        case .session: return state.earliestSessionEnd
        }
    }

    func push(_ rows: [Row]) throws {
        // The tumbling/hopping window last added to is held out of `state.open` across rows
        // (rows in time order mostly fall in the same window) and put back when another
        // window is needed, at the end, or when a row throws.
        // Tumbling windows (pushTumbling) find the groups of a run of rows first and update
        // their accumulators when the held window changes or the push ends (PendingUpdates);
        // after a throw the state is not defined (a pump rebuilds it, a live query ends).
        if case .tumbling(let size) = plan.kind { return try pushTumbling(rows, size: size) }
        var held = HeldWindow()
        defer { held.putBack(into: &state.open) }
        for r in rows {
            guard case .timestamp(let ts) = r[plan.timeColumn] else {
                late(r, "its time column is NULL, so it belongs to no window")
                continue
            }
            // The key is built in a reused buffer: a row allocates only when it starts a new group.
            scratch.removeAll(keepingCapacity: true)
            for k in groupKeys { scratch.append(try k(r)) }
            switch plan.kind {
            case .tumbling:
                preconditionFailure("tumbling windows are pushed by pushTumbling")
            case .hop(let slide, let size):
                let last = TimeWindows.floor(ts, slide)
                if last &+ size <= state.watermark { late(r, ts: ts, end: last &+ size); break }
                var s = last
                while s &+ size > ts {
                    if s &+ size > state.watermark { try add(r, toWindow: s, held: &held) }
                    s -= slide
                }
            case .session(let gap):
                if ts &+ gap <= state.watermark { late(r, ts: ts, end: ts &+ gap); break }
                sessionScratch.removeAll(keepingCapacity: true)
                sessionScratch.append(contentsOf: repeatElement(.null, count: keys.count))
                for (p, v) in zip(groupKeyPositions, scratch) { sessionScratch[p] = v }
                try addToSession(r, key: sessionScratch, ts: ts, gap: gap)
            }
            if let w = plan.eventTime, ts > state.maxEventTime {
                state.maxEventTime = ts
                state.watermark = max(state.watermark, ts &- w.delayMicros)
            }
        }
        held.putBack(into: &state.open)
        if plan.eventTime != nil { try emit() }
    }

    /// `push` for tumbling windows, the common case, with what every row needs read once
    /// into locals (the plan's fields, the key expressions: no per-row retains) and a
    /// single group key looked up as it is (no key buffer).
    private func pushTumbling(_ rows: [Row], size: Int64) throws {
        let timeColumn = plan.timeColumn
        let delay = plan.eventTime?.delayMicros
        let keyExpressions = groupKeys
        let single = keyExpressions.count == 1 ? keyExpressions[0] : nil
        let width = keyExpressions.count
        let updates = self.updates
        var key = scratch
        scratch = []
        var held = HeldWindow()
        defer {
            held.putBack(into: &state.open)
            scratch = key
        }
        pending.clear()
        for (index, r) in rows.enumerated() {
            guard case .timestamp(let ts) = r[timeColumn] else {
                late(r, "its time column is NULL, so it belongs to no window")
                continue
            }
            let one: Value
            if let single {
                one = try single(r)
            } else {
                one = .null
                key.removeAll(keepingCapacity: true)
                for k in keyExpressions { key.append(try k(r)) }
            }
            let start = TimeWindows.floor(ts, size)
            if start &+ size <= state.watermark {
                late(r, ts: ts, end: start &+ size)
            } else {
                if held.start != start {
                    try pending.apply(rows, updates: updates, to: &held.window.states)
                    held.hold(start, from: &state.open, width: width)
                }
                let (g, inserted) = single != nil ? held.window.groups.group(of: one) : held.window.groups.group(of: key)
                if inserted { for c in calls { held.window.states.append(Accumulator(c)) } }
                pending.add(row: index, group: g)
            }
            if let delay, ts > state.maxEventTime {
                state.maxEventTime = ts
                state.watermark = max(state.watermark, ts &- delay)
            }
        }
        try pending.apply(rows, updates: updates, to: &held.window.states)
        held.putBack(into: &state.open)
        if delay != nil { try emit() }
    }

    /// The stream's time reached `watermark`: over ROWTIME, emit the windows that end by then.
    func advance(to watermark: Int64) throws {
        guard plan.eventTime == nil, watermark > state.watermark else { return }
        state.watermark = watermark
        try emit()
    }

    private func late(_ r: Row, ts: Int64, end: Int64) {
        late(r, "its \(plan.eventTime == nil ? "ROWTIME" : "event time") \(Value.timestamp(ts).pgText(as: .timestamp)) is behind the watermark \(Value.timestamp(state.watermark).pgText(as: .timestamp)): its window (ending \(Value.timestamp(end).pgText(as: .timestamp))) has already closed")
    }

    private func late(_ r: Row, _ reason: String) {
        state.lateRows += 1
        onLateRow?(r, state.watermark, reason)
    }

    /// A window taken out of `state.open` while rows are added to it.
    struct HeldWindow {
        var start: Int64?
        var window = Window(width: 0)

        /// Hold window `start` (putting back the one held before).
        @inline(__always)
        mutating func hold(_ start: Int64, from open: inout [Int64: Window], width: Int) {
            if self.start == start { return }
            putBack(into: &open)
            window = open.removeValue(forKey: start) ?? Window(width: width)
            self.start = start
        }

        mutating func putBack(into open: inout [Int64: Window]) {
            guard let s = start else { return }
            open[s] = window
            start = nil
            window = Window(width: 0)
        }
    }

    /// Add row `r`, whose group keys are in `scratch`, to window `start`.
    private func add(_ r: Row, toWindow start: Int64, held: inout HeldWindow) throws {
        held.hold(start, from: &state.open, width: groupKeys.count)
        let (g, inserted) = groupKeys.count == 1 ? held.window.groups.group(of: scratch[0]) : held.window.groups.group(of: scratch)
        if inserted { for c in calls { held.window.states.append(Accumulator(c)) } }
        let base = g * calls.count
        for i in 0..<calls.count { try updates[i].apply(r, to: &held.window.states[base + i]) }
    }

    private func addToSession(_ r: Row, key: [Value], ts: Int64, gap: Int64) throws {
        let slot: Int
        if let s = state.sessionIndex[key] { slot = s } else {
            if let free = state.freeSlots.popLast() {
                slot = free
                state.sessionKeys[slot] = key
            } else {
                slot = state.sessionKeys.count
                state.sessionKeys.append(key)
                state.sessions.append([])
            }
            state.sessionIndex[key] = slot
        }
        var list = state.sessions[slot]
        state.sessions[slot] = []   // take the list out: no copy on write
        let end = ts &+ gap
        // Sessions this row touches (Flink: windows [start, end) that intersect, bounds included).
        var target: Int?
        var i = 0
        while i < list.count {
            if list[i].start <= end && list[i].end >= ts {
                if let t = target {
                    let merged = list.remove(at: i)
                    list[t].start = min(list[t].start, merged.start)
                    list[t].end = max(list[t].end, merged.end)
                    for a in calls.indices { try list[t].states[a].merge(merged.states[a]) }
                    continue
                }
                target = i
                list[i].start = min(list[i].start, ts)
                list[i].end = max(list[i].end, end)
            }
            i += 1
        }
        if target == nil {
            list.append(Session(start: ts, end: end, states: calls.map { Accumulator($0) }))
            target = list.count - 1
        }
        for a in calls.indices {
            try updates[a].apply(r, to: &list[target!].states[a])
        }
        state.earliestSessionEnd = min(state.earliestSessionEnd ?? .max, list[target!].end)
        state.sessions[slot] = list
    }

    /// Emit and drop every window that ends at or before the watermark.
    private func emit() throws {
        let wm = state.watermark
        var out: [Row] = []
        switch plan.kind {
        case .tumbling(let size), .hop(_, let size):
            guard let first = state.open.keys.min(), first &+ size <= wm else { return }
            for start in state.open.keys.filter({ $0 &+ size <= wm }).sorted() {
                let w = state.open.removeValue(forKey: start)!
                let n = calls.count
                for g in 0..<w.groups.count {
                    out.append(try outputRow(fullKey(w.groups.key(g)), start: start, end: start &+ size,
                                             w.states[(g * n)..<((g + 1) * n)]))
                }
            }
        case .session:
            guard let earliest = state.earliestSessionEnd, earliest <= wm else { return }
            var due: [(slot: Int, session: Session)] = []
            var nextEnd: Int64?
            for slot in state.sessions.indices where !state.sessions[slot].isEmpty {
                var list = state.sessions[slot]
                state.sessions[slot] = []
                var i = 0
                while i < list.count {
                    if list[i].end <= wm {
                        due.append((slot, list.remove(at: i)))
                    } else {
                        nextEnd = min(nextEnd ?? .max, list[i].end)
                        i += 1
                    }
                }
                state.sessions[slot] = list
            }
            state.earliestSessionEnd = nextEnd
            due.sort { ($0.session.end, $0.session.start, $0.slot) < ($1.session.end, $1.session.start, $1.slot) }
            for d in due {
                out.append(try outputRow(state.sessionKeys[d.slot], start: d.session.start, end: d.session.end, d.session.states))
            }
            // Evict groups with no open session.
            for d in due where state.sessions[d.slot].isEmpty && state.sessionIndex[state.sessionKeys[d.slot]] == d.slot {
                state.sessionIndex.removeValue(forKey: state.sessionKeys[d.slot])
                state.sessionKeys[d.slot] = []
                state.freeSlots.append(d.slot)
            }
        }
        if !out.isEmpty { try next.push(out) }
    }

    private func outputRow<S: Collection<Accumulator>>(_ key: [Value], start: Int64, end: Int64, _ states: S) throws -> Row {
        var row = key
        row.reserveCapacity(key.count + states.count)
        for k in plan.startKeys { row[k] = .timestamp(start) }
        for k in plan.endKeys { row[k] = .timestamp(end) }
        for (i, s) in states.enumerated() { row.append(try s.result(inputType: calls[i].argument?.type)) }
        return row
    }
}

/// Adapts the group-window operator to the RowSink chain.
final class GroupWindowInput: RowSink {
    let window: GroupWindowOperator
    init(_ w: GroupWindowOperator) { window = w }
    func push(_ rows: [Row]) throws { try window.push(rows) }
    func finish() throws {}
}
