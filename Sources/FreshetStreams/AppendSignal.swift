import Foundation

/// Wakes live readers when a commit publishes new records to a stream.
/// A reader notes `generation`, reads what exists, and if it found nothing
/// waits for a later generation (or a timeout, so it can also react to
/// timers and cancellation).
public final class AppendSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64 = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextToken = 0

    public init() {}

    public var generation: UInt64 { lock.withLock { current } }

    /// New records are readable: wake everyone waiting.
    public func notify() {
        let toWake: [CheckedContinuation<Void, Never>] = lock.withLock {
            current &+= 1
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for c in toWake { c.resume() }
    }

    /// Return once the generation is past `seen`, or after `timeoutNanoseconds`.
    public func wait(after seen: UInt64, timeoutNanoseconds: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let registered: Int? = lock.withLock {
                if current != seen { return nil }
                nextToken += 1
                waiters[nextToken] = c
                return nextToken
            }
            guard let registered else { c.resume(); return }
            Task.detached { [weak self] in
                try? await Task.sleep(nanoseconds: timeoutNanoseconds)
                self?.expire(registered)
            }
        }
    }

    private func expire(_ token: Int) {
        let c: CheckedContinuation<Void, Never>? = lock.withLock { waiters.removeValue(forKey: token) }
        c?.resume()
    }
}
