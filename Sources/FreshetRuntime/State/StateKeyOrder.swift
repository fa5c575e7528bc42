import FreshetCore

/// A deterministic order for group and partition keys held in hash maps (whose
/// iteration order changes from process to process): keys sorted by their
/// StateWriter encoding, byte by byte. The encoding is injective, so the order is
/// total — two snapshots of equal state are equal bytes, and a replay writes
/// the checkpoint it wrote the first time.
enum StateKeyOrder {
    /// The indices of `keys` in encoding order.
    static func sortedIndices(_ keys: [[Value]]) -> [Int] {
        let encoded = keys.map { key -> [UInt8] in
            var w = StateWriter()
            w.values(key)
            return w.bytes
        }
        return keys.indices.sorted { encoded[$0].lexicographicallyPrecedes(encoded[$1]) }
    }
}
