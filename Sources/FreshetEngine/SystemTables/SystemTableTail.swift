import FreshetCore
import FreshetStreams

/// A continuous reader of a system table (`SELECT STREAM * FROM sys.…`): a change feed.
///
/// - `sys.streams`, `sys.shards`: each changed row once, as `SystemChangeFeed` holds it
///   (ROWTIME = when the change was made; `_change` = insert, update or delete): a
///   stream row on CREATE/ALTER/DROP STREAM and reshards (a dropped stream's last row
///   has status DELETING); a shard row when a shard is created, closed, or removed
///   after retention.
/// - `sys.stream_metrics`: each shard's row for a minute once, when that minute has
///   closed (the clock passed its end); ROWTIME = the end of the minute, `_change` =
///   insert. Checked when the reader wakes — on a change, or at the latest every
///   `LiveQueryStream.idleWaitNanoseconds` — not per row.
///
/// START AT LATEST (the default) begins with the changes after the query starts;
/// START AT TRIM_HORIZON first returns the table as it is now (`_change` = snapshot;
/// for stream_metrics, the kept minutes that have closed), then the changes.
struct SystemTableTail {
    let engine: Engine
    let table: SystemTable
    private var position: UInt64
    private var initial: [Row]
    /// stream_metrics: minutes starting before this were emitted (or predate the reader).
    private var emittedBefore: Int64

    init(engine: Engine, table: SystemTable, trimHorizon: Bool) {
        self.engine = engine
        self.table = table
        let now = engine.configuration.clock.nowMicros()
        position = engine.systemChanges.nextSequence
        let minute = SystemTableTail.minuteStart(now)
        if table.oid == SystemTable.streamMetrics.oid {
            initial = []
            emittedBefore = trimHorizon ? Int64.min : minute
        } else {
            initial = trimHorizon ? table.snapshot(engine, now: now) : []
            emittedBefore = minute
        }
    }

    var signal: AppendSignal { engine.systemChanges.signal }

    /// Every change up to the clock's time has been published (DDL publishes as it returns).
    func watermark() -> Int64 { engine.configuration.clock.nowMicros() }

    mutating func next(maxRows: Int) throws -> [Row] {
        if !initial.isEmpty {
            let n = min(maxRows, initial.count)
            defer { initial.removeFirst(n) }
            return Array(initial.prefix(n))
        }
        if table.oid == SystemTable.streamMetrics.oid {
            let current = SystemTableTail.minuteStart(engine.configuration.clock.nowMicros())
            guard current > emittedBefore else { return [] }
            let from = emittedBefore
            emittedBefore = current
            return SystemTable.metricRows(engine, sample: false) { $0 >= from && $0 < current }
                .map { $0 + [.timestamp($0[2].timestampMicros + 60_000_000), .string("insert")] }
        }
        return try engine.systemChanges.read(table: table.oid, from: &position, maxRows: maxRows)
    }

    static func minuteStart(_ t: Int64) -> Int64 { t - ((t % 60_000_000) + 60_000_000) % 60_000_000 }
}

private extension Value {
    var timestampMicros: Int64 {
        if case .timestamp(let t) = self { return t }
        return 0
    }
}
