/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, seedable generator, so the
/// analytic functions give the same results on every run and platform.
struct AnalyticRandom: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return AnalyticRandom.mix(state)
    }

    /// A double uniformly in [0, 1).
    @inline(__always)
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// SplitMix64's finaliser: a strong 64-bit mixing function.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
