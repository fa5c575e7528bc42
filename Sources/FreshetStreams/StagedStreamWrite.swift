import FreshetCore
import FreshetStorage

/// A large write (a COPY over a few MiB) whose records go to per-shard staging files
/// as they are produced, instead of waiting in memory for the commit: memory stays
/// bounded by the chunks in flight, and the writing to the page cache overlaps the
/// parsing. Nothing is visible until `GroupCommitter.commit(_:)` links the staged
/// files in as segments, in one unit for all the shards (StagedAppend.swift).
///
/// The write keeps the shard layout it was created with. A reshard before the commit
/// makes the commit fail (SQLSTATE 40001, nothing stored): re-routing staged records
/// would mean reading them all back, and a reshard during a bulk load is rare. A
/// stream dropped meanwhile fails it too (42P01). Either way, and on any error or
/// disconnect, the caller must `discard` the write (which deletes its files).
public final class StagedStreamWrite: @unchecked Sendable {
    let store: StreamStore
    let map: ShardMap
    /// Per shard position of `map`: its staged append, created at the first record.
    private var staged: [StagedAppend?]
    let id: String
    public private(set) var rowCount = 0

    public init(store: StreamStore) {
        self.store = store
        map = store.map
        staged = [StagedAppend?](repeating: nil, count: map.shards.count)
        id = String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }

    /// Write `write`'s records after those written before (per shard, in call order;
    /// one caller at a time). Throws FreshetError.
    public func append(_ write: PendingWrite) throws {
        guard write.store === store else {
            throw FreshetError(.internalError, "staged write: rows of another stream")
        }
        if write.map !== map {
            throw resharded()
        }
        do {
            for (pos, records) in write.parts.enumerated() where !records.isEmpty {
                if staged[pos] == nil {
                    guard let log = map.logs[pos] else { throw FreshetError(.internalError, "staged write: shard without a log") }
                    staged[pos] = StagedAppend(log: log, id: id)
                }
                try staged[pos]!.append(records)
                rowCount += records.count
            }
        } catch let e as StorageError {
            throw StreamStore.map(e)
        }
    }

    /// Delete the staging files (of a write not committed, or after the commit).
    public func discard() {
        for s in staged { s?.discard() }
    }

    func resharded() -> FreshetError {
        FreshetError(SQLState("40001"), "stream \"\(store.name)\" was resharded during the COPY; no row of it was stored",
                     hint: "Run the COPY again.")
    }

    /// The staged appends with records, by shard position.
    var appends: [(position: Int, staged: StagedAppend)] {
        staged.enumerated().compactMap { pos, s in s.flatMap { $0.recordCount > 0 ? (pos, $0) : nil } }
    }
}

extension GroupCommitter {
    /// Commit a staged write: inside the stream's commit gate, check its shard layout
    /// is still current and (provisioned streams) admit it, then link every shard's
    /// staged records in one staged commit. Returns the rows stored. The caller
    /// discards the write afterwards either way.
    public func commit(_ write: StagedStreamWrite) async throws -> Int {
        let store = write.store
        let appends = write.appends
        if appends.isEmpty { return 0 }
        await store.gate.enter()
        defer { store.gate.leave() }
        if store.map !== write.map {
            if appends.contains(where: { $0.staged.log.isClosed }) {
                throw FreshetError(.undefinedTable, "stream \"\(store.name)\" was dropped during the COPY; no row of it was stored")
            }
            throw write.resharded()
        }
        if store.options.capacityMode == .provisioned {
            let demands = appends.map {
                CapacityLimiter.Demand(shard: write.map.shards[$0.position].index, records: $0.staged.recordCount,
                                       bytes: Int($0.staged.byteCount) - 32 * $0.staged.recordCount)
            }
            let now = store.clock.nowMicros()
            if let refusal = store.limiter.admitWrite(demands, now: now, stream: store.name) {
                store.metrics.record(shard: refusal.shard, now: now) { $0.throttledWrites += 1 }
                throw refusal.error
            }
        }
        let token = store.beginCommit()
        defer { store.endCommit(token) }
        let results: [AppendResult]
        do {
            results = try await commitStaged(appends.map { StagedAppendRequest(staged: $0.staged, rowtime: .monotonic(store.timestamps)) })
        } catch let e as StorageError where e.kind == .closed {
            throw FreshetError(.undefinedTable, "stream \"\(store.name)\" was dropped during the COPY; no row of it was stored")
        } catch {
            throw StreamStore.map(error)
        }
        store.signal.notify()
        var rows = 0
        for (i, a) in appends.enumerated() {
            rows += results[i].count
            let bytes = Int64(a.staged.byteCount) - 32 * Int64(a.staged.recordCount)
            store.metrics.record(shard: write.map.shards[a.position].index, now: results[i].rowtime) {
                $0.incomingRecords += Int64(results[i].count)
                $0.incomingBytes += bytes
            }
        }
        return rows
    }
}
