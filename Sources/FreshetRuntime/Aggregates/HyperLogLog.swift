import FreshetCore

/// HyperLogLog (Flajolet et al. 2007, with the small-range linear-counting
/// correction of Heule et al. 2013) for APPROX_COUNT_DISTINCT: 2^14 one-byte
/// registers (16 KiB per group), standard error 1.04 / √16384 ≈ 0.81 %; below
/// about 40,000 distinct values linear counting makes it nearly exact.
struct HyperLogLog {
    static let precision = 14
    static let registerCount = 1 << precision
    var registers: [UInt8]

    init() { registers = [UInt8](repeating: 0, count: HyperLogLog.registerCount) }

    /// Adds a value by its 64-bit hash (well mixed: Swift's Hasher).
    mutating func add(hash: UInt64) {
        let index = Int(hash >> UInt64(64 - HyperLogLog.precision))
        let rest = hash << UInt64(HyperLogLog.precision)
        // Rank: position of the first 1 bit in the remaining 50 bits (51 when all are 0).
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - HyperLogLog.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// A fixed (unseeded) 64-bit hash, so estimates are the same in every run:
    /// SplitMix64's finaliser over the value's bits, FNV-1a over a string's UTF-8 first.
    static func hash(_ v: Value) -> UInt64 {
        var x: UInt64
        switch v {
        case .int(let i): x = UInt64(bitPattern: i)
        case .double(let d): x = d.bitPattern ^ 0x1
        case .string(let s):
            x = 0xcbf2_9ce4_8422_2325
            for b in s.utf8 { x = (x ^ UInt64(b)) &* 0x100_0000_01b3 }
        case .bool(let b): x = b ? 0x2 : 0x3
        case .timestamp(let t), .time(let t): x = UInt64(bitPattern: t) ^ 0x4
        case .date(let d): x = UInt64(bitPattern: Int64(d)) ^ 0x5
        case .decimal(let d): x = UInt64(truncatingIfNeeded: d.mantissa) ^ (UInt64(truncatingIfNeeded: d.mantissa >> 64) &* 31) ^ UInt64(d.scale)
        case .bytes(let b):
            x = 0xcbf2_9ce4_8422_2325 ^ 0x6
            for c in b { x = (x ^ UInt64(c)) &* 0x100_0000_01b3 }
        case .interval(let i): x = UInt64(bitPattern: i.microseconds) &+ UInt64(i.days) &* 0x9E37 &+ UInt64(i.months) &* 0x79B9
        case .null: x = 0
        }
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        return x ^ (x >> 31)
    }

    var estimate: Int64 {
        let m = Double(HyperLogLog.registerCount)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        // Linear counting while it is the better estimator (Heule et al.'s threshold for p = 14).
        if zeros > 0 {
            let linear = m * log(m / Double(zeros))
            if linear <= 11_500 { return Int64(linear.rounded()) }
        }
        return Int64(raw.rounded())
    }
}

#if canImport(Glibc)
import Glibc
#endif
