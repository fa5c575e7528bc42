import Foundation

/// Wakes live readers when a commit publishes new records to a stream.
/// A reader notes `generation`, reads what exists, and if it found nothing
/// waits for a later generation (or a timeout, so it can also react to
/// timers and cancellation).
public final class AppendSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64 = 0
    /// Who to wake at the next `notify`: a waiting reader's resume, or an `onNotify` callback.
    private var waiters: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    public init() {}

    public var generation: UInt64 { lock.withLock { current } }

    /// New records are readable: wake everyone waiting.
    public func notify() {
        let toWake: [@Sendable () -> Void] = lock.withLock {
            current &+= 1
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for wake in toWake { wake() }
    }

    /// Call `wake` once, at the first `notify` after generation `seen` — at once (returning nil)
    /// when the generation is already past it. Otherwise returns a token for `removeOnNotify`.
    /// Lets a reader of several streams wait on all their signals at the same time.
    public func onNotify(after seen: UInt64, _ wake: @escaping @Sendable () -> Void) -> Int? {
        let token: Int? = lock.withLock {
            if current != seen { return nil }
            nextToken += 1
            waiters[nextToken] = wake
            return nextToken
        }
        if token == nil { wake() }
        return token
    }

    /// Forget an `onNotify` callback that has not run (no-op when it has).
    public func removeOnNotify(_ token: Int) {
        _ = lock.withLock { waiters.removeValue(forKey: token) }
    }

    /// Return once the generation is past `seen`, or after `timeoutNanoseconds`.
    public func wait(after seen: UInt64, timeoutNanoseconds: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let registered: Int? = lock.withLock {
                if current != seen { return nil }
                nextToken += 1
                waiters[nextToken] = { c.resume() }
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
        let wake: (@Sendable () -> Void)? = lock.withLock { waiters.removeValue(forKey: token) }
        wake?()
    }
}
