import FreshetCore
import FreshetStorage

/// Rows routed and encoded for one stream, waiting for a commit.
public struct PendingWrite: @unchecked Sendable {
    let store: StreamStore
    /// The shard layout the rows were routed with.
    var map: ShardMap
    /// Records per shard position of `map` (empty where no row went).
    var parts: [RecordInputs]
    /// For RETURNING (empty on the COPY path): each row's shard position and index there.
    var rowShard: [Int32]
    var rowIndex: [Int32]
    let partitionKeys: [String]
    public var rowCount: Int { parts.reduce(0) { $0 + $1.count } }
    /// Framed bytes of all the records.
    public var byteCount: Int { parts.reduce(0) { $0 + $1.byteCount } }
}

/// Where each row of a committed write went.
public struct WriteReceipt: Sendable {
    let write: PendingWrite
    /// AppendResult per shard position (nil where no row went).
    let results: [AppendResult?]

    /// The stored rows: user columns then system columns.
    public func storedRows(_ rows: [Row]) -> [Row] {
        let shards = write.map.shards
        return rows.enumerated().map { n, row in
            let pos = Int(write.rowShard[n])
            let r = results[pos]!
            let seq = r.firstSequence + UInt64(write.rowIndex[n])
            return row + [.timestamp(r.rowtime), .string(ShardID.name(shards[pos].index)),
                          .string(SequenceNumber.string(shardIndex: shards[pos].index, counter: seq)),
                          .string(write.partitionKeys[n]), .null]
        }
    }
}
