/// `ALTER STREAM name SET (…) | SPLIT SHARD '…' AT '…' | MERGE SHARDS '…', '…'`
/// (SQL.md, "Streams are tables": the Kinesis UpdateShardCount, SplitShard and
/// MergeShards operations, and retention changes).
public struct AlterStream: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// `SET (retention = '7 days', shards = 8)`.
        case setOptions([OptionAssignment])
        /// `SPLIT SHARD 'shardId-000000000001' AT '1276…'`: the shard and the new
        /// starting hash key (a decimal 128-bit number, as text; written quoted or bare).
        case splitShard(shard: String, newStartingHashKey: String)
        /// `MERGE SHARDS 'shardId-000000000002', 'shardId-000000000003'`.
        case mergeShards(String, String)
    }
    public var name: ObjectName
    public var action: Action
    public init(name: ObjectName, action: Action) {
        self.name = name
        self.action = action
    }
}
