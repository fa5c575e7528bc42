import Foundation
import FreshetCore
import FreshetStreams

/// The changes to `sys.streams` and `sys.shards` rows, in the order they happened, for
/// `SELECT STREAM` over those tables (`SystemTableTail`). The DDL paths publish once
/// per change (CREATE, ALTER, DROP STREAM, a reshard, a closed shard removed after
/// retention) — never per row written — and wake the feed's readers through `signal`.
///
/// In memory, the newest `capacity` changes: a reader that falls further behind than
/// that is told so (SQLSTATE 55000) rather than silently missing changes.
/// (`sys.stream_metrics` rows are not published here: a reader emits each minute's
/// rows when the minute closes, from `StreamMetrics`.)
final class SystemChangeFeed: @unchecked Sendable {
    struct Change {
        let sequence: UInt64
        let table: UInt32
        /// The table's row followed by ROWTIME and `_change`.
        let row: Row
    }

    static let capacity = 4096
    let signal = AppendSignal()
    private let lock = NSLock()
    private var changes: [Change] = []
    private var next: UInt64 = 1

    /// The sequence the next change gets: a reader starting now reads from here.
    var nextSequence: UInt64 { lock.withLock { next } }

    /// Record changed rows of `table` (`kind`: insert, update or delete) at time `at`.
    func publish(_ table: SystemTable, _ rows: [Row], kind: String, at: Int64) {
        if rows.isEmpty { return }
        lock.withLock {
            for r in rows {
                changes.append(Change(sequence: next, table: table.oid, row: r + [.timestamp(at), .string(kind)]))
                next += 1
            }
            if changes.count > SystemChangeFeed.capacity { changes.removeFirst(changes.count - SystemChangeFeed.capacity) }
        }
        signal.notify()
    }

    /// Up to `maxRows` changes of `table` from sequence `from` on; moves `from` past what
    /// was looked at. Throws when changes from `from` on were already discarded.
    func read(table: UInt32, from: inout UInt64, maxRows: Int) throws -> [Row] {
        try lock.withLock {
            guard let first = changes.first else { return [] }
            if from < first.sequence {
                throw FreshetError(Resharding.notInPrerequisiteState,
                                   "this SELECT STREAM over a system table fell more than \(SystemChangeFeed.capacity) changes behind; changes were lost",
                                   hint: "Read the table with a bounded SELECT, then start a new SELECT STREAM.")
            }
            var out: [Row] = []
            var i = Int(from - first.sequence)
            while i < changes.count && out.count < maxRows {
                if changes[i].table == table { out.append(changes[i].row) }
                i += 1
            }
            from = first.sequence + UInt64(i)
            return out
        }
    }
}
