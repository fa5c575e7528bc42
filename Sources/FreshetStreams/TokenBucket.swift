/// A token bucket: `rate` tokens a second, holding at most one second's worth
/// (Kinesis's per-shard limits are per second, with no longer burst).
struct TokenBucket {
    let rate: Double
    private(set) var tokens: Double
    private var last: Int64

    init(rate: Double, now: Int64) {
        self.rate = rate
        tokens = rate
        last = now
    }

    mutating func refill(now: Int64) {
        guard now > last else { return }
        tokens = min(rate, tokens + Double(now - last) / 1_000_000 * rate)
        last = now
    }

    /// Take `n` tokens if there are that many.
    mutating func take(_ n: Double) -> Bool {
        guard tokens >= n else { return false }
        tokens -= n
        return true
    }

    /// Take `n` tokens even into debt; returns how many microseconds until the
    /// balance is back to zero (0 when there was enough).
    mutating func borrow(_ n: Double) -> Int64 {
        tokens -= n
        return tokens >= 0 ? 0 : Int64((-tokens / rate * 1_000_000).rounded(.up))
    }
}
