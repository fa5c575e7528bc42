import FreshetCore
import FreshetSQL
import FreshetStreams

/// ALTER STREAM … SPLIT SHARD / MERGE SHARDS / SET (shards = N): Kinesis's SplitShard,
/// MergeShards and UpdateShardCount (uniform scaling). The shard arithmetic is
/// `FreshetStreams.Resharding`; the atomic swap is `StreamStore.reshard`, which
/// calls back here to write the catalog durably while new commits are held at the
/// stream's gate. On any error the stream and the catalog are unchanged.
extension Engine {
    /// The catalog entry and the store of a stream named by `name`, or 42P01.
    func streamAndStore(_ name: ObjectName) throws -> (StreamDefinition, StreamStore) {
        let parts = name.parts.map(\.value)
        if parts.count == 2 && parts[0] == "sys" {
            throw FreshetError(.wrongObjectType, "\"\(name)\" is a system table, not a stream", position: name.span.start.offset + 1)
        }
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "public") else {
            throw FreshetError(.undefinedTable, "stream \"\(name)\" does not exist", position: name.span.start.offset + 1)
        }
        let found: (StreamDefinition, StreamStore)? = catalogLock.withLock {
            guard let d = catalog.streams.first(where: { $0.name == parts.last! }), let s = stores[d.oid] else { return nil }
            return (d, s)
        }
        guard let found else {
            throw FreshetError(.undefinedTable, "stream \"\(name)\" does not exist", position: name.span.start.offset + 1)
        }
        return found
    }

    /// Reshard `store` with `change`; `update` may change other catalog fields in the
    /// same durable catalog write (ALTER STREAM SET with several options).
    func reshard(_ definition: StreamDefinition, _ store: StreamStore,
                 _ change: ([StreamStore.Shard]) throws -> [StreamStore.Shard],
                 update: @escaping (inout StreamDefinition) -> Void = { _ in }) async throws {
        try await store.reshard(change) { shards in
            try catalogLock.withLock {
                guard let i = catalog.streams.firstIndex(where: { $0.oid == definition.oid }) else {
                    throw FreshetError(.undefinedTable, "stream \"\(definition.name)\" was dropped while it was being resharded")
                }
                var next = catalog
                // Shards closed by this reshard get their closing time (retention removes them later).
                let now = configuration.clock.nowMicros()
                let closedAt = Dictionary(uniqueKeysWithValues: next.streams[i].shards.map { ($0.index, $0.open ? now : $0.closedMicros) })
                next.streams[i].shards = shards.map { StreamDefinition.ShardDefinition($0, closedMicros: closedAt[$0.index] ?? now) }
                update(&next.streams[i])
                try persistCatalog(next)
                catalog = next
            }
        }
    }

    /// ALTER STREAM s SPLIT SHARD 'shardId-…' AT '<hash key>'.
    func splitShard(stream name: ObjectName, shard: String, at hashKey: String) async throws {
        let (d, store) = try streamAndStore(name)
        try await reshard(d, store) { try Resharding.split($0, shard: shard, at: hashKey, stream: d.name) }
        publishAltered(oid: d.oid, before: d)
    }

    /// ALTER STREAM s MERGE SHARDS 'a', 'b' (adjacent only).
    func mergeShards(stream name: ObjectName, _ first: String, _ second: String) async throws {
        let (d, store) = try streamAndStore(name)
        try await reshard(d, store) { try Resharding.merge($0, first, second, stream: d.name) }
        publishAltered(oid: d.oid, before: d)
    }
}
