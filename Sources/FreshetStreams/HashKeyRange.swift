import FreshetCore

/// A shard's slice of the 128-bit hash-key space, both ends inclusive, as in
/// Kinesis Data Streams.
public struct HashKeyRange: Hashable, Sendable, Codable {
    public var start: UInt128
    public var end: UInt128
    public init(start: UInt128, end: UInt128) {
        self.start = start
        self.end = end
    }
    public func contains(_ k: UInt128) -> Bool { k >= start && k <= end }

    /// N ranges splitting [0, 2^128−1] evenly: `step = floor(2^128 / N)`, the
    /// last range ending at 2^128−1 (Kinesis's CreateStream layout).
    public static func even(count n: Int) -> [HashKeyRange] {
        precondition(n >= 1)
        if n == 1 { return [HashKeyRange(start: 0, end: .max)] }
        // floor(2^128 / n) = floor((2^128 − 1) / n) unless n divides 2^128, i.e. n is a power of two.
        let max = UInt128.max
        var step = max / UInt128(n)
        if n & (n - 1) == 0 { step += (max % UInt128(n) == UInt128(n - 1)) ? 1 : 0 }
        var out: [HashKeyRange] = []
        for i in 0..<n {
            let s = step * UInt128(i)
            let e = i == n - 1 ? max : step * UInt128(i + 1) - 1
            out.append(HashKeyRange(start: s, end: e))
        }
        return out
    }

    // Codable as decimal strings (JSON numbers cannot hold 128 bits).
    enum CodingKeys: String, CodingKey { case start, end }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let s = UInt128(try c.decode(String.self, forKey: .start)), let e = UInt128(try c.decode(String.self, forKey: .end)) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "bad hash key")
        }
        start = s
        end = e
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(String(start), forKey: .start)
        try c.encode(String(end), forKey: .end)
    }
}

/// Partition keys to hash keys: MD5 of the key's UTF-8 bytes read as an
/// unsigned 128-bit big-endian integer (Kinesis's rule).
public enum PartitionHash {
    public static func hashKey(_ partitionKey: some Sequence<UInt8>) -> UInt128 {
        let bytes = Array(partitionKey)
        return bytes.withUnsafeBytes { hashKey($0) }
    }

    /// The hot-path form: no allocation (`MD5Digest`).
    @inline(__always)
    public static func hashKey(_ partitionKey: UnsafeRawBufferPointer) -> UInt128 {
        MD5Digest.hashKey(partitionKey)
    }

    /// Parse an explicit hash key (a decimal string in [0, 2^128−1]).
    public static func parseExplicit(_ s: String) throws -> UInt128 {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let v = UInt128(s) else {
            throw FreshetError(.invalidParameterValue, "explicit hash key \"\(s)\" is not a decimal integer between 0 and 2^128-1",
                               hint: "Use a value from 0 to 340282366920938463463374607431768211455.")
        }
        return v
    }
}

/// Shard identifiers as Kinesis writes them: `shardId-000000000000`.
public enum ShardID {
    public static func name(_ index: Int) -> String {
        let digits = String(index)
        return "shardId-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}

/// Sequence numbers: decimal strings, unique in a stream, increasing within a
/// shard, with children above their parents: `shardIndex × 2^64 + counter`,
/// where the counter is the shard log's own (starting at 1). A child shard
/// has a higher index than its parents, so its sequence numbers are higher.
public enum SequenceNumber {
    public static func make(shardIndex: Int, counter: UInt64) -> UInt128 {
        (UInt128(shardIndex) << 64) | UInt128(counter)
    }
    /// The decimal string of `make(shardIndex:counter:)`, the same as `String(UInt128)`
    /// but without its generic per-digit UInt128 division (this runs for every row a
    /// query reads): at most two 128-bit divisions, then 64-bit digits.
    public static func string(shardIndex: Int, counter: UInt64) -> String {
        let v = make(shardIndex: shardIndex, counter: counter)
        if v <= UInt128(UInt64.max) { return String(UInt64(v)) }
        let tenTo19: UInt128 = 10_000_000_000_000_000_000
        let (high, low) = v.quotientAndRemainder(dividingBy: tenTo19)
        // 2^128 < 10^39: high has at most 20 digits, low exactly 19 (zero-padded).
        return String(unsafeUninitializedCapacity: 40) { buf in
            var n = 0
            func put(_ x: UInt64, width: Int) {
                var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
                withUnsafeMutableBytes(of: &digits) { d in
                    var x = x, len = 0
                    repeat { d[len] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10; len += 1 } while x > 0
                    while len < width { d[len] = UInt8(ascii: "0"); len += 1 }
                    for j in 0..<len { buf[n + j] = d[len - 1 - j] }
                    n += len
                }
            }
            if high > UInt128(UInt64.max) {
                let (top, mid) = high.quotientAndRemainder(dividingBy: tenTo19)
                put(UInt64(top), width: 1)
                put(UInt64(mid), width: 19)
            } else {
                put(UInt64(high), width: 1)
            }
            put(UInt64(low), width: 19)
            return n
        }
    }
    /// The shard index and counter a sequence number string encodes.
    public static func parse(_ s: String) -> (shardIndex: Int, counter: UInt64)? {
        guard let v = UInt128(s) else { return nil }
        return (Int(v >> 64), UInt64(truncatingIfNeeded: v))
    }
}
