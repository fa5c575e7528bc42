/// SplitMix64 (Steele, Lea, Flood 2014): a fast, non-cryptographic generator for the
/// random partition keys of rows without a partition-key column. `StreamStore.prepare`
/// seeds one per call from the system generator (one getrandom), then draws a key per
/// row from it: a system draw per row cost a syscall each (about 6 % of a pump's CPU).
/// The keys only spread rows over shards; they need not be unpredictable.
struct PartitionKeyRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Seeded from the system generator.
    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
