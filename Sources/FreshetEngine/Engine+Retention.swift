import FreshetCore
import FreshetStreams

/// Retention, run every minute by the server and right after `ALTER STREAM … SET
/// (retention = …)`: per stream, whole segments older than the retention are deleted,
/// and closed shards that were closed longer ago than the retention — so that none of
/// their rows can still be read — are removed from the catalog, `sys.shards` and disk,
/// as Kinesis removes a closed shard once its retention period has passed. (A closed
/// shard's rows are all older than its closing time; shards closed before closing
/// times were recorded use their newest row's time, or are removed at once if they
/// never held a row.) The pass also samples each stream's iterator ages into the
/// current minute of its metrics, so a reader that is behind but idle still shows.
extension Engine {
    func applyRetention() async {
        let now = configuration.clock.nowMicros()
        let work: [(StreamDefinition, StreamStore, Int64)] = catalogLock.withLock {
            catalog.streams.compactMap { d in stores[d.oid].map { (d, $0, now - Int64(d.retentionHours) * 3_600_000_000) } }
        }
        for (d, store, cutoff) in work {
            store.readers.sampleAges()
            do { try store.applyRetention(olderThan: cutoff) } catch {
                logger.error("retention failed for stream \(d.name): \(error)")
            }
            let lastRowtime = Dictionary(uniqueKeysWithValues: store.shardStats().map { ($0.shard.index, $0.stats?.lastRowtime) })
            let expired = Set(d.shards.filter { s in
                guard !s.open else { return false }
                guard let closed = s.closedMicros ?? lastRowtime[s.index] ?? nil else { return true }
                return closed < cutoff
            }.map(\.index))
            if expired.isEmpty { continue }
            let lastRows = SystemTable.shardRows(d, store, only: expired)
            do {
                let removed = try await store.removeClosedShards(expired) { shards in
                    try catalogLock.withLock {
                        guard let i = catalog.streams.firstIndex(where: { $0.oid == d.oid }) else {
                            throw FreshetError(.undefinedTable, "stream \"\(d.name)\" was dropped")
                        }
                        var next = catalog
                        let keep = Set(shards.map(\.index))
                        next.streams[i].shards.removeAll { !keep.contains($0.index) }
                        try persistCatalog(next)
                        catalog = next
                    }
                }
                let removedIndices = Set(removed.map(\.index))
                publishRemovedShards(lastRows.filter { row in
                    guard case .string(let id) = row[1], let index = ShardID.index(id) else { return false }
                    return removedIndices.contains(index)
                }, oid: d.oid)
                if !removed.isEmpty {
                    logger.info("stream \(d.name): removed \(removed.count) closed shard(s) past retention: \(removed.map(\.id).joined(separator: ", "))")
                }
            } catch {
                logger.error("removing closed shards of stream \(d.name) failed: \(error)")
            }
        }
    }
}
