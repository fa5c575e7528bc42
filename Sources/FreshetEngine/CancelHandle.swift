import Foundation

/// A thread-safe flag a second connection's CancelRequest sets to stop the
/// statement a session is running. Running statements poll `isCancelled`
/// between batches or register a callback that wakes them.
public final class CancelHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var callbacks: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Request cancellation of the statement running now (no-op when idle).
    public func cancel() {
        let toRun: [@Sendable () -> Void] = lock.withLock {
            cancelled = true
            return Array(callbacks.values)
        }
        for f in toRun { f() }
    }

    /// Called by the session when a statement starts: clears an old request.
    public func reset() { lock.withLock { cancelled = false } }

    /// Run `f` when cancelled; returns a token for `removeCallback`.
    public func onCancel(_ f: @escaping @Sendable () -> Void) -> Int {
        let (token, already): (Int, Bool) = lock.withLock {
            nextToken += 1
            callbacks[nextToken] = f
            return (nextToken, cancelled)
        }
        if already { f() }
        return token
    }

    public func removeCallback(_ token: Int) { _ = lock.withLock { callbacks.removeValue(forKey: token) } }
}
