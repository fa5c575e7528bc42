import FreshetCore

/// A 64-bit hash of a value that is the same in every process (Swift's `Hasher` is
/// seeded per process): FNV-1a over the value's bytes with a type tag, then SplitMix64's
/// finaliser to spread the bits (HyperLogLog reads the top bits).
enum StableHash {
    static func hash(_ v: Value) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        @inline(__always) func word(_ w: UInt64) { for i in 0..<8 { byte(UInt8(truncatingIfNeeded: w >> UInt64(8 * i))) } }
        switch v {
        case .null: byte(0)
        case .bool(let b): byte(1); byte(b ? 1 : 0)
        case .int(let n): byte(2); word(UInt64(bitPattern: n))
        case .double(let d): byte(3); word((d == 0 ? 0 : d).bitPattern)
        case .decimal(let d): byte(4); word(d.doubleValue.bitPattern)
        case .string(let s): byte(5); for b in s.utf8 { byte(b) }
        case .bytes(let bs): byte(6); for b in bs { byte(b) }
        case .timestamp(let t): byte(7); word(UInt64(bitPattern: t))
        case .date(let d): byte(8); word(UInt64(UInt32(bitPattern: d)))
        case .time(let t): byte(9); word(UInt64(bitPattern: t))
        case .interval(let i): byte(10); word(UInt64(UInt32(bitPattern: i.months))); word(UInt64(UInt32(bitPattern: i.days))); word(UInt64(bitPattern: i.microseconds))
        }
        return AnalyticRandom.mix(h)
    }
}
