import FreshetCore
import FreshetPlanner
import FreshetStreams

extension Engine {
    /// Route and encode rows for a stream; nothing is stored yet.
    func prepareWrite(_ target: RelationDescriptor, rows: [Row]) throws -> PendingWrite {
        let store = try store(for: target.oid)
        return try store.prepare(rows: rows)
    }

    /// Make pending writes durable (one group commit); returns where each row went.
    func commit(_ writes: [PendingWrite]) async throws -> [WriteReceipt] {
        try await committer.commit(writes)
    }

    /// A live reader of a system table's changes (SELECT STREAM * FROM sys.…).
    func openSystemTail(_ relation: RelationDescriptor, trimHorizon: Bool) throws -> SystemTableTail {
        guard let table = SystemTable.byOID(relation.oid) else {
            throw FreshetError(.undefinedTable, "system table \"\(relation.name)\" does not exist")
        }
        return SystemTableTail(engine: self, table: table, trimHorizon: trimHorizon)
    }

    /// A live reader of a stream (SELECT STREAM).
    func openTail(_ relation: RelationDescriptor, start: TailStart) throws -> StreamTail {
        let store = try store(for: relation.oid)
        let cutoff = retentionCutoff(relation.oid)
        return try StreamTail(store: store, start: start, notBefore: cutoff)
    }

    /// Read what a stream retains, in batches of rows (user columns then system columns).
    /// `body` returns false to stop early.
    func scan(_ relation: RelationDescriptor, cancel: CancelHandle, _ body: ([Row]) throws -> Bool) async throws {
        if relation.kind == .systemTable {
            guard let table = SystemTable.byOID(relation.oid) else { return }
            let rows = table.snapshot(self, now: configuration.clock.nowMicros())
            if !rows.isEmpty { _ = try body(rows) }
            return
        }
        let store = try store(for: relation.oid)
        let cutoff = retentionCutoff(relation.oid)
        try await store.scan(notBefore: cutoff) { rows in
            if cancel.isCancelled { throw FreshetError(.queryCanceled, "canceling statement due to user request") }
            return try body(rows)
        }
    }
}

/// Public re-export of the planner's type-name resolution for DDL.
enum TypeNamesPublic {
    static func resolve(_ t: FreshetSQL.DataTypeName) throws -> DataType { try DataTypeResolver.resolve(t) }
}

import FreshetSQL

extension Engine {
    /// Rows with a ROWTIME before this are past the stream's retention and never returned.
    func retentionCutoff(_ oid: UInt32) -> Int64 {
        catalogLock.withLock {
            let hours = catalog.streams.first { $0.oid == oid }?.retentionHours ?? 24
            return configuration.clock.nowMicros() - Int64(hours) * 3_600_000_000
        }
    }
}
