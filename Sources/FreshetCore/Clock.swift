import Foundation

/// Where time comes from: the system clock in production, a ManualClock in
/// tests so windows and retention are deterministic.
public protocol Clock: Sendable {
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    func nowMicros() -> Int64
}

public struct SystemClock: Clock {
    public init() {}
    public func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

/// A clock that moves only when told to.
public final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    public init(startMicros: Int64 = 1_767_225_600_000_000) { now = startMicros } // 2026-01-01
    public func nowMicros() -> Int64 { lock.withLock { now } }
    public func advance(micros: Int64) { lock.withLock { now += micros } }
    public func set(micros: Int64) { lock.withLock { now = micros } }
}

/// Hands out timestamps that never go backwards (ROWTIME is monotonic per stream).
public final class MonotonicTimestamps: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Int64
    private let clock: any Clock
    public init(clock: any Clock, last: Int64 = .min) {
        self.clock = clock
        self.last = last
    }
    /// The clock's time, or the last one handed out if the clock went back.
    public func next() -> Int64 {
        let now = clock.nowMicros()
        return lock.withLock {
            if now > last { last = now }
            return last
        }
    }
    /// Make sure later timestamps are not below `t` (after recovery).
    public func observe(_ t: Int64) { lock.withLock { if t > last { last = t } } }
}
