import FreshetCore
import FreshetStorage

extension PendingWrite {
    /// This write routed with `newMap`: records of shards still open stay where they
    /// are; records of shards a reshard closed since `prepare` move to the open shard
    /// that now owns their hash key (explicit hash key, else MD5 of the partition key).
    /// Row positions for RETURNING follow. Called inside the commit gate, so the map
    /// cannot change again before the records are appended.
    func rerouted(to newMap: ShardMap) throws -> PendingWrite {
        if newMap === map { return self }
        var newParts = [RecordInputs](repeating: RecordInputs(), count: newMap.shards.count)
        // Positions change when closed shards are removed after retention, so shards are
        // matched by index: a shard still open keeps its records at its new position.
        // Per old position: the new position of a kept shard, or each record's new place.
        var kept = [Int32](repeating: -1, count: parts.count)
        var moved: [[(Int32, Int32)]] = Array(repeating: [], count: parts.count)
        for (pos, records) in parts.enumerated() where !records.isEmpty {
            if let newPos = newMap.position(ofIndex: map.shards[pos].index), newMap.shards[newPos].open {
                newParts[newPos] = records
                kept[pos] = Int32(newPos)
                continue
            }
            var locations: [(Int32, Int32)] = []
            locations.reserveCapacity(records.count)
            try records.forEachRecord { pk, hk, producer, payload in
                let key: UInt128
                if let hk, let v = UInt128(String(decoding: hk, as: UTF8.self)) { key = v } else { key = PartitionHash.hashKey(pk) }
                let target = newMap.position(for: key)
                locations.append((Int32(target), Int32(newParts[target].count)))
                try newParts[target].append(partitionKey: pk, explicitHashKey: hk, producer: producer, payload: payload)
            }
            moved[pos] = locations
        }
        var out = self
        out.map = newMap
        out.parts = newParts
        for n in rowShard.indices {
            let pos = Int(rowShard[n])
            if kept[pos] >= 0 {
                out.rowShard[n] = kept[pos]
            } else {
                let (p, i) = moved[pos][Int(rowIndex[n])]
                out.rowShard[n] = p
                out.rowIndex[n] = i
            }
        }
        return out
    }
}
