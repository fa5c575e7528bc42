import Foundation
import FreshetCore

/// One reference table in memory, backed by its durable change log.
///
/// Readers take a `TableSnapshot` (cheap, never blocked for long); writers
/// run one at a time under `lock`: a change is computed from the current
/// snapshot, checked (NOT NULL 23502, PRIMARY KEY 23505), appended to the log
/// and fsynced, and only then published as the new snapshot. A statement that
/// fails changes nothing.
final class ReferenceTable: @unchecked Sendable {
    let definition: TableDefinition
    private let lock = NSLock()
    private var current: TableSnapshot
    private var nextID: Int64
    private let log: TableLog
    private let keyColumns: [Int]
    private let notNull: [Int]

    init(definition: TableDefinition, dataDirectory: String) throws {
        self.definition = definition
        let (log, ids, rows) = try TableLog.open(path: dataDirectory + "/" + definition.logFile, schema: definition.schema)
        self.log = log
        current = TableSnapshot(rows: rows, ids: ids, version: 1)
        nextID = (ids.max() ?? 0) + 1
        keyColumns = definition.keyColumns
        notNull = definition.columns.indices.filter { definition.columns[$0].notNull }
    }

    /// The table as it is now.
    func snapshot() -> TableSnapshot { lock.withLock { current } }

    /// What one statement does: rows to remove (positions in the snapshot it saw) and rows to add.
    struct Change {
        var deleted: [Int] = []
        var inserted: [Row] = []
    }

    /// Compute a change from the current contents and apply it durably.
    /// Returns the inserted rows (after the change) for RETURNING and the count of affected rows.
    @discardableResult
    func modify(_ body: (TableSnapshot) throws -> Change) throws -> Change {
        try lock.withLock {
            let before = current
            let change = try body(before)
            if change.deleted.isEmpty && change.inserted.isEmpty { return change }
            try check(change, against: before)
            var removed = [Bool](repeating: false, count: before.rows.count)
            for p in change.deleted { removed[p] = true }
            var rows: [Row] = []
            var ids: [Int64] = []
            rows.reserveCapacity(before.rows.count - change.deleted.count + change.inserted.count)
            ids.reserveCapacity(rows.capacity)
            for i in before.rows.indices where !removed[i] {
                rows.append(before.rows[i])
                ids.append(before.ids[i])
            }
            var newIDs: [(Int64, Row)] = []
            var id = nextID
            for r in change.inserted {
                newIDs.append((id, r))
                rows.append(r)
                ids.append(id)
                id += 1
            }
            let frame = try log.frame(deleted: change.deleted.map { before.ids[$0] }, inserted: newIDs)
            try log.append(frame)
            nextID = id
            current = TableSnapshot(rows: rows, ids: ids, version: before.version + 1)
            return change
        }
    }

    /// NOT NULL and PRIMARY KEY over the table as it would be after `change`.
    private func check(_ change: Change, against before: TableSnapshot) throws {
        for r in change.inserted {
            for c in notNull where r[c].isNull {
                throw FreshetError(.notNullViolation,
                                   "null value in column \"\(definition.columns[c].name)\" of relation \"\(definition.name)\" violates not-null constraint",
                                   detail: "Failing row contains (\(describe(r))).")
            }
        }
        guard !keyColumns.isEmpty else { return }
        let removed = Set(change.deleted)
        var keys = Set<[Value]>()
        keys.reserveCapacity(before.rows.count + change.inserted.count)
        for (i, r) in before.rows.enumerated() where !removed.contains(i) {
            keys.insert(keyColumns.map { r[$0] })
        }
        for r in change.inserted {
            let k = keyColumns.map { r[$0] }
            if !keys.insert(k).inserted {
                let names = keyColumns.map { definition.columns[$0].name }.joined(separator: ", ")
                throw FreshetError(SQLState("23505"), "duplicate key value violates unique constraint \"\(definition.name)_pkey\"",
                                   detail: "Key (\(names))=(\(zip(keyColumns, k).map { text($1, $0) }.joined(separator: ", "))) already exists.")
            }
        }
    }

    private func describe(_ r: Row) -> String {
        r.indices.map { text(r[$0], $0) }.joined(separator: ", ")
    }

    private func text(_ v: Value, _ column: Int) -> String {
        v.isNull ? "null" : v.pgText(as: definition.columns[column].type.type)
    }

    /// Delete the log (DROP TABLE).
    func destroy() { lock.withLock { log.destroy() } }
}
