import FreshetCore

/// The groups of one window of a streaming GROUP BY: an open-addressing hash table
/// (linear probing, at most half full) from a group key — `width` values — to a dense
/// group number, numbered in order of first arrival (the order the operators emit in).
///
/// Why not `[[Value]: Int]`: that dictionary needs a key array per lookup (or per row),
/// compares keys as arrays and hashes through `Hasher`. Here the keys live flat in one
/// array (group g's key is `keys[g * width ..< (g + 1) * width]`), a lookup reads the
/// caller's reused buffer (or a single value) and allocates nothing, each slot holds the
/// upper half of its group's hash beside the group number (so a probe compares hashes in
/// the slot array and reads a stored key only on a likely match: one cache miss fewer
/// per row with thousands of groups), and `Value.groupHash` hashes
/// integers, timestamps and strings without `Hasher`. Equality is `Value.==`
/// (Value+Equality: NaN equals NaN, decimals and intervals by value), which is also
/// what `groupHash` agrees with.
struct GroupTable {
    /// Values per key.
    let width: Int
    /// Every group's key, flat, in group order.
    private(set) var keys: [Value] = []
    /// Every group's key hash, in group order (for growing).
    private var hashes: [UInt64] = []
    /// Per slot: the upper 32 bits of the group's hash, then group number + 1 in the lower
    /// 32 bits (0: empty); the count is a power of two.
    private var slots: [UInt64]
    private var mask: Int
    /// Per-table seed (a key set chosen to collide for one seed does not for another).
    private let seed: UInt64

    init(width: Int, capacity: Int = 8) {
        self.width = width
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [UInt64](repeating: 0, count: n)
        mask = n - 1
        seed = UInt64.random(in: 0...UInt64.max)
    }

    /// The number of groups.
    var count: Int { hashes.count }

    /// Group g's key values.
    func key(_ g: Int) -> ArraySlice<Value> { keys[(g * width)..<((g + 1) * width)] }

    /// The group of a one-value key (`width` must be 1), added when new.
    @inline(__always)
    mutating func group(of value: Value) -> (group: Int, inserted: Bool) {
        let h = value.groupHash(seed: seed)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let g = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) - 1
                if keys[g] == value { return (g, false) }
            }
            i = (i + 1) & mask
        }
        let g = hashes.count
        keys.append(value)
        hashes.append(h)
        slots[i] = tag | UInt64(g + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (g, true)
    }

    /// The group of the key in `key[0..<width]`, added (copied) when new.
    @inline(__always)
    mutating func group(of key: [Value]) -> (group: Int, inserted: Bool) {
        if width == 1 { return group(of: key[0]) }
        var h = seed
        for j in 0..<width { h = GroupTable.combine(h, key[j].groupHash(seed: seed)) }
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let g = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) - 1
                var same = true
                let base = g * width
                for j in 0..<width where keys[base + j] != key[j] { same = false; break }
                if same { return (g, false) }
            }
            i = (i + 1) & mask
        }
        let g = hashes.count
        for j in 0..<width { keys.append(key[j]) }
        hashes.append(h)
        slots[i] = tag | UInt64(g + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (g, true)
    }

    /// Double the slots and place every group again (by its kept hash).
    private mutating func grow() {
        let n = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: n)
        let m = n - 1
        for g in hashes.indices {
            var i = Int(truncatingIfNeeded: hashes[g]) & m
            while fresh[i] != 0 { i = (i + 1) & m }
            fresh[i] = (hashes[g] & 0xFFFF_FFFF_0000_0000) | UInt64(g + 1)
        }
        slots = fresh
        mask = m
    }

    @inline(__always)
    static func combine(_ h: UInt64, _ x: UInt64) -> UInt64 {
        Value.mix((h ^ x) &* 0x9E37_79B9_7F4A_7C15)
    }
}
