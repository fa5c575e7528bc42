import FreshetCore

extension StreamStore {
    /// One shard of a stream, as Kinesis's ListShards describes it: an index (the
    /// number in `shardId-000000000007`, never reused), a hash-key range, the shards
    /// it came from, and whether it still takes writes. A closed shard keeps its rows
    /// until retention removes them; readers read it to its end before its children.
    public struct Shard: Hashable, Sendable {
        public var index: Int
        public var range: HashKeyRange
        /// The shard this one was split from, or the first of the two merged into it.
        public var parent: Int?
        /// The second shard of a merge (Kinesis's AdjacentParentShardId).
        public var adjacentParent: Int?
        public var open: Bool
        public init(index: Int, range: HashKeyRange, parent: Int? = nil, adjacentParent: Int? = nil, open: Bool) {
            self.index = index
            self.range = range
            self.parent = parent
            self.adjacentParent = adjacentParent
            self.open = open
        }
        public var id: String { ShardID.name(index) }
    }
}

extension ShardID {
    /// The index a shard id names (`shardId-000000000007` → 7), or nil if it is not one.
    public static func index(_ id: String) -> Int? {
        let prefix = "shardId-"
        guard id.hasPrefix(prefix) else { return nil }
        let digits = id.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(digits)
    }
}
