import FreshetCore
import FreshetStreams

/// Publishing changed `sys.streams` / `sys.shards` rows to the change feed that
/// `SELECT STREAM` over those tables reads (`SystemChangeFeed`). Called by the DDL
/// paths after the catalog change is durable, outside `catalogLock`.
extension Engine {
    /// The catalog entry of a stream now, with its store (nil once dropped).
    func current(_ oid: UInt32) -> (StreamDefinition, StreamStore)? {
        catalogLock.withLock {
            guard let d = catalog.streams.first(where: { $0.oid == oid }), let s = stores[oid] else { return nil }
            return (d, s)
        }
    }

    private var now: Int64 { configuration.clock.nowMicros() }

    func publishCreated(_ d: StreamDefinition, _ store: StreamStore) {
        let t = now
        systemChanges.publish(.streams, [SystemTable.streamRow(self, d, store)], kind: "insert", at: t)
        systemChanges.publish(.shards, SystemTable.shardRows(d, store), kind: "insert", at: t)
    }

    func publishDropped(_ d: StreamDefinition, _ store: StreamStore?) {
        let t = now
        systemChanges.publish(.shards, SystemTable.shardRows(d, store), kind: "delete", at: t)
        systemChanges.publish(.streams, [SystemTable.streamRow(self, d, store, status: "DELETING")], kind: "delete", at: t)
    }

    /// After ALTER STREAM (options and/or a reshard): the stream row, then the rows of
    /// shards created (insert) and closed (update) since `before`.
    func publishAltered(oid: UInt32, before: StreamDefinition) {
        guard let (d, store) = current(oid) else { return }
        let t = now
        let old = Dictionary(uniqueKeysWithValues: before.shards.map { ($0.index, $0.open) })
        let created = Set(d.shards.filter { old[$0.index] == nil }.map(\.index))
        let closed = Set(d.shards.filter { !$0.open && old[$0.index] == true }.map(\.index))
        systemChanges.publish(.streams, [SystemTable.streamRow(self, d, store)], kind: "update", at: t)
        systemChanges.publish(.shards, SystemTable.shardRows(d, store, only: closed), kind: "update", at: t)
        systemChanges.publish(.shards, SystemTable.shardRows(d, store, only: created), kind: "insert", at: t)
    }

    /// After closed shards were removed by retention: their last rows (delete), then the stream row.
    func publishRemovedShards(_ removedRows: [Row], oid: UInt32) {
        let t = now
        systemChanges.publish(.shards, removedRows, kind: "delete", at: t)
        if let (d, store) = current(oid) {
            systemChanges.publish(.streams, [SystemTable.streamRow(self, d, store)], kind: "update", at: t)
        }
    }
}
