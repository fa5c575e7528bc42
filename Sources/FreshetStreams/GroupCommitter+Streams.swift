import FreshetCore
import FreshetStorage

extension GroupCommitter {
    /// Make pending writes durable in one submission (shared fdatasync).
    ///
    /// Each stream's commit gate is held from routing check to durability, taken in a
    /// fixed order (by object identity) so that commits spanning several streams cannot
    /// deadlock with reshards. Inside the gates: writes routed with an older shard map
    /// are re-routed, provisioned streams' token buckets admit or refuse the whole
    /// submission, then the records are appended, and the per-shard metrics counted.
    public func commit(_ writes: [PendingWrite]) async throws -> [WriteReceipt] {
        if writes.isEmpty { return [] }
        var seen = Set<ObjectIdentifier>()
        let stores = writes.map(\.store).filter { seen.insert(ObjectIdentifier($0)).inserted }
            .sorted { ObjectIdentifier($0) < ObjectIdentifier($1) }
        for s in stores { await s.gate.enter() }
        defer { for s in stores { s.gate.leave() } }

        var routed = writes
        for i in routed.indices { routed[i] = try routed[i].rerouted(to: routed[i].store.map) }
        for s in stores where s.options.capacityMode == .provisioned {
            try admit(routed.filter { $0.store === s }, store: s)
        }
        var requests: [AppendRequest] = []
        var owners: [(write: Int, position: Int)] = []
        for (w, write) in routed.enumerated() {
            for (pos, records) in write.parts.enumerated() where !records.isEmpty {
                guard let log = write.map.logs[pos] else { continue }
                requests.append(AppendRequest(log: log, records: records, rowtime: .monotonic(write.store.timestamps)))
                owners.append((w, pos))
            }
        }
        let results: [AppendResult]
        let tokens = stores.map { ($0, $0.beginCommit()) }
        defer { for (s, t) in tokens { s.endCommit(t) } }
        do { results = try await append(requests) } catch { throw StreamStore.map(error) }
        for s in stores { s.signal.notify() }
        var perWrite: [[AppendResult?]] = routed.map { [AppendResult?](repeating: nil, count: $0.parts.count) }
        for (i, o) in owners.enumerated() {
            perWrite[o.write][o.position] = results[i]
            let write = routed[o.write]
            let records = write.parts[o.position]
            write.store.metrics.record(shard: write.map.shards[o.position].index, now: results[i].rowtime) {
                $0.incomingRecords += Int64(records.count)
                $0.incomingBytes += Int64(StreamStore.recordBytes(records))
            }
        }
        return routed.enumerated().map { WriteReceipt(write: $1, results: perWrite[$0]) }
    }

    private func admit(_ writes: [PendingWrite], store: StreamStore) throws {
        guard let m = writes.first?.map else { return }
        var demands: [CapacityLimiter.Demand] = []
        for pos in m.shards.indices {
            var d = CapacityLimiter.Demand(shard: m.shards[pos].index, records: 0, bytes: 0)
            for w in writes where !w.parts[pos].isEmpty {
                d.records += w.parts[pos].count
                d.bytes += StreamStore.recordBytes(w.parts[pos])
            }
            if d.records > 0 { demands.append(d) }
        }
        let now = store.clock.nowMicros()
        if let refusal = store.limiter.admitWrite(demands, now: now, stream: store.name) {
            store.metrics.record(shard: refusal.shard, now: now) { $0.throttledWrites += 1 }
            throw refusal.error
        }
    }
}
