import FreshetCore
import FreshetStreams

extension SystemTable {
    /// `sys.shards`: one row per shard of every stream, open and closed (Kinesis's
    /// ListShards). Hash keys and sequence numbers are decimal text (they exceed
    /// BIGINT). A shard's sequence numbers start at `index × 2^64 + 1`; a closed
    /// shard's ending sequence number is its last one (the starting one less one if it
    /// never held a row); an open shard has none yet. A closed shard is removed once
    /// its retention has passed since it was closed (then none of its rows is readable).
    static let shards = SystemTable(
        name: "shards", oid: 12_002,
        columns: [
            Column(name: "stream_name", type: .text, nullable: false),
            Column(name: "shard_id", type: .text, nullable: false),
            Column(name: "parent_shard_id", type: .text),
            Column(name: "adjacent_parent_shard_id", type: .text),
            Column(name: "starting_hash_key", type: .text, nullable: false),
            Column(name: "ending_hash_key", type: .text, nullable: false),
            Column(name: "starting_sequence_number", type: .text, nullable: false),
            Column(name: "ending_sequence_number", type: .text),
            Column(name: "open", type: .boolean, nullable: false),
            Column(name: "rows", type: .bigint, nullable: false),
            Column(name: "bytes", type: .bigint, nullable: false),
        ],
        rows: { engine in
            var out: [Row] = []
            for (d, store) in engine.streamsWithStores() { out += shardRows(d, store) }
            return out
        })

    /// The `sys.shards` rows of one stream's shards (all, or those whose index is in `only`).
    static func shardRows(_ d: StreamDefinition, _ store: StreamStore?, only: Set<Int>? = nil) -> [Row] {
        let stats = store?.shardStats() ?? []
        var out: [Row] = []
        for s in d.shards where only?.contains(s.index) ?? true {
            let st = stats.first { $0.shard.index == s.index }?.stats
            let ending: Value
            if s.open {
                ending = .null
            } else {
                let last = (st?.nextSequence ?? 1) - 1
                ending = .string(String(SequenceNumber.make(shardIndex: s.index, counter: last)))
            }
            out.append([
                .string(d.name), .string(s.id), Row.text(s.parent.map(ShardID.name)),
                Row.text(s.adjacentParent.map(ShardID.name)),
                .string(String(s.range.start)), .string(String(s.range.end)),
                .string(SequenceNumber.string(shardIndex: s.index, counter: 1)), ending, .bool(s.open),
                .int(Int64(st?.recordCount ?? 0)), .int(st?.byteCount ?? 0),
            ])
        }
        return out
    }
}
