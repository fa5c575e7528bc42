import FreshetCore
import FreshetStorage

extension StreamStore {
    /// Change the shard layout atomically with respect to writes.
    ///
    /// Closes the commit gate (new commits wait; commits in flight finish into the old
    /// layout), computes the new shard list from the current one with `change` (one of
    /// `Resharding`'s operations), opens the children's logs, lets `persist` make the
    /// new list durable (the Engine writes its catalog), and swaps the shard map before
    /// reopening the gate. A parent's last sequence number is therefore final when the
    /// reshard returns: every later write goes to its children, including writes
    /// prepared before the reshard (re-routed at commit). If `change` or `persist`
    /// throws, the stream is unchanged. Returns the new shard list.
    @discardableResult
    public func reshard(_ change: ([Shard]) throws -> [Shard], persist: ([Shard]) throws -> Void) async throws -> [Shard] {
        await gate.close()
        defer { gate.open() }
        let old = map
        let shards = try change(old.shards)
        precondition(Resharding.openShardsCoverKeySpace(shards), "a reshard must leave the key space covered by open shards")
        precondition(shards.count >= old.shards.count && zip(shards, old.shards).allSatisfy { $0.index == $1.index },
                     "a reshard keeps existing shards at their positions")
        if shards == old.shards {
            try persist(shards)
            return shards
        }
        var logs = old.logs
        var created: [ShardLog] = []
        do {
            for s in shards[old.shards.count...] {
                if s.open {
                    let (log, _) = try ShardLog.open(directory: logDirectory(s.index), options: logOptions)
                    logs.append(log)
                    created.append(log)
                } else {
                    logs.append(nil)
                }
            }
            try persist(shards)
        } catch {
            for l in created { try? l.destroy() }
            throw StreamStore.map(error)
        }
        swapMap(ShardMap(shards: shards, logs: logs))
        return shards
    }

    /// Remove closed shards whose every row is past retention (Kinesis drops a closed
    /// shard once its retention period has passed). Under the commit gate like a
    /// reshard: the closed shards leave the shard map, `persist` writes the shorter list
    /// durably, then their logs are deleted. Readers treat a parent that is no longer in
    /// the map as read to its end. Shard indices are never reused: a closed shard always
    /// has a child with a higher index, so the highest index stays in the list and
    /// `Resharding`'s next index is unchanged. Only closed shards named in `indices` are
    /// removed; returns the shards removed.
    @discardableResult
    public func removeClosedShards(_ indices: Set<Int>, persist: ([Shard]) throws -> Void) async throws -> [Shard] {
        await gate.close()
        defer { gate.open() }
        let old = map
        let removed = old.shards.filter { !$0.open && indices.contains($0.index) }
        if removed.isEmpty { return [] }
        var shards: [Shard] = []
        var logs: [ShardLog?] = []
        var dropped: [ShardLog] = []
        for (s, l) in zip(old.shards, old.logs) {
            if !s.open && indices.contains(s.index) {
                if let l { dropped.append(l) }
            } else {
                shards.append(s)
                logs.append(l)
            }
        }
        try persist(shards)
        swapMap(ShardMap(shards: shards, logs: logs))
        for l in dropped { try? l.destroy() }
        return removed
    }
}
