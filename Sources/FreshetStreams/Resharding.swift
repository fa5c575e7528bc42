import FreshetCore

/// The three Kinesis resharding operations as pure functions on a stream's shard
/// list (all shards, open and closed, in index order). Each returns the new list:
/// the resharded parents closed, their children appended with the next indices.
/// They check their input and throw a `FreshetError` saying what is allowed; on a
/// throw nothing changed. Invariant kept (and checked by the tests): the open
/// shards' ranges are disjoint and cover [0, 2^128−1] exactly.
///
/// - SplitShard: a shard [s, e] split at k (s < k ≤ e) gives [s, k−1] and [k, e].
/// - MergeShards: two open shards whose ranges touch give their union; the first
///   named is the child's parent, the second its adjacent parent.
/// - UpdateShardCount (UNIFORM_SCALING): the open shards become `N` shards with
///   the even ranges of a new N-shard stream, reached as Kinesis does it by splits
///   at every target boundary and then merges within each target range; shards made
///   and closed on the way are kept in the lineage (they never hold rows).
public enum Resharding {
    /// SQLSTATE 55000 object_not_in_prerequisite_state: the shard is closed.
    public static let notInPrerequisiteState = SQLState("55000")

    public static func split(_ shards: [StreamStore.Shard], shard id: String, at hashKeyText: String, stream: String) throws -> [StreamStore.Shard] {
        let pos = try openShard(shards, id, stream: stream)
        let parent = shards[pos]
        let key = try parseHashKey(hashKeyText)
        guard key > parent.range.start && key <= parent.range.end else {
            throw FreshetError(.invalidParameterValue,
                               "split point \(hashKeyText) is outside the range of \(id) in stream \"\(stream)\"",
                               detail: "\(id) covers hash keys \(parent.range.start) to \(parent.range.end).",
                               hint: parent.range.start == parent.range.end
                                   ? "This shard covers a single hash key and cannot be split."
                                   : "Use a hash key from \(parent.range.start + 1) to \(parent.range.end); it becomes the first key of the upper child.")
        }
        var out = shards
        out[pos].open = false
        let next = nextIndex(shards)
        out.append(.init(index: next, range: HashKeyRange(start: parent.range.start, end: key - 1), parent: parent.index, open: true))
        out.append(.init(index: next + 1, range: HashKeyRange(start: key, end: parent.range.end), parent: parent.index, open: true))
        return out
    }

    public static func merge(_ shards: [StreamStore.Shard], _ first: String, _ second: String, stream: String) throws -> [StreamStore.Shard] {
        let a = try openShard(shards, first, stream: stream)
        let b = try openShard(shards, second, stream: stream)
        guard a != b else {
            throw FreshetError(.invalidParameterValue, "cannot merge \(first) with itself", hint: "Name two adjacent open shards.")
        }
        let ra = shards[a].range, rb = shards[b].range
        let adjacent = (ra.end != .max && ra.end + 1 == rb.start) || (rb.end != .max && rb.end + 1 == ra.start)
        guard adjacent else {
            let neighbours = shards.filter { s in
                s.open && s.index != shards[a].index
                    && ((ra.end != .max && ra.end + 1 == s.range.start) || (s.range.end != .max && s.range.end + 1 == ra.start))
            }.map(\.id)
            throw FreshetError(.invalidParameterValue,
                               "shards \(first) and \(second) of stream \"\(stream)\" are not adjacent: only shards whose hash-key ranges touch can be merged",
                               detail: "\(first) covers \(ra.start) to \(ra.end); \(second) covers \(rb.start) to \(rb.end).",
                               hint: neighbours.isEmpty ? nil : "\(first) can be merged with \(neighbours.joined(separator: " or ")).")
        }
        var out = shards
        out[a].open = false
        out[b].open = false
        out.append(.init(index: nextIndex(shards), range: HashKeyRange(start: min(ra.start, rb.start), end: max(ra.end, rb.end)),
                         parent: shards[a].index, adjacentParent: shards[b].index, open: true))
        return out
    }

    public static func uniformScale(_ shards: [StreamStore.Shard], to n: Int, maxShards: Int, stream: String) throws -> [StreamStore.Shard] {
        guard n >= 1 && n <= maxShards else {
            throw FreshetError(.invalidParameterValue, "shards must be an integer from 1 to \(maxShards), not \(n)")
        }
        let targets = HashKeyRange.even(count: n)
        var out = shards
        // 1. Split every open shard at every target boundary strictly inside it.
        let boundaries = targets.dropFirst().map(\.start)
        for pos in out.indices where out[pos].open {
            var current = out[pos]
            for b in boundaries where b > current.range.start && b <= current.range.end {
                out = try split(out, shard: current.id, at: String(b), stream: stream)
                current = out[out.count - 1]
            }
        }
        // 2. Merge the pieces inside each target range, left to right.
        for t in targets {
            var pieces = out.filter { $0.open && t.contains($0.range.start) }.sorted { $0.range.start < $1.range.start }
            while pieces.count > 1 {
                out = try merge(out, pieces[0].id, pieces[1].id, stream: stream)
                pieces = [out[out.count - 1]] + pieces.dropFirst(2)
            }
        }
        return out
    }

    /// Whether the open shards' ranges are disjoint and cover [0, 2^128−1].
    public static func openShardsCoverKeySpace(_ shards: [StreamStore.Shard]) -> Bool {
        let open = shards.filter(\.open).sorted { $0.range.start < $1.range.start }
        guard let first = open.first, first.range.start == 0, open.last!.range.end == .max else { return false }
        for (a, b) in zip(open, open.dropFirst()) where a.range.end == .max || a.range.end + 1 != b.range.start { return false }
        return true
    }

    static func nextIndex(_ shards: [StreamStore.Shard]) -> Int { (shards.map(\.index).max() ?? -1) + 1 }

    static func openShard(_ shards: [StreamStore.Shard], _ id: String, stream: String) throws -> Int {
        let openList = shards.filter(\.open).map(\.id).joined(separator: ", ")
        guard let index = ShardID.index(id), let pos = shards.firstIndex(where: { $0.index == index }) else {
            throw FreshetError(.undefinedObject, "shard \"\(id)\" does not exist in stream \"\(stream)\"",
                               hint: "Open shards: \(openList). See sys.shards.")
        }
        guard shards[pos].open else {
            throw FreshetError(notInPrerequisiteState,
                               "shard \(id) of stream \"\(stream)\" is closed: it was already split or merged, and only open shards can be resharded",
                               hint: "Open shards: \(openList).")
        }
        return pos
    }

    static func parseHashKey(_ text: String) throws -> UInt128 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let v = UInt128(text) else {
            throw FreshetError(.invalidParameterValue, "split point \"\(text)\" is not a hash key",
                               hint: "A hash key is a decimal integer from 0 to 340282366920938463463374607431768211455.")
        }
        return v
    }
}
