import Foundation
import FreshetStreams

/// One wait of a live query with nothing to do: it returns at the first of a commit
/// to any of the streams it reads (each signal past the generation noted before
/// reading), a cancel (CancelRequest or the client going away, see
/// `WireConnection`), or the timeout (the next window deadline, a FETCH timeout,
/// or the idle re-check). A join of two streams thus wakes on either stream, with
/// no polling; whatever fires first removes the other registrations, so nothing is
/// left behind in the signals, the cancel handle or a sleeping timer.
final class LiveQueryWakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var fired = false
    private var cleanups: [() -> Void] = []

    private init(_ c: CheckedContinuation<Void, Never>) { continuation = c }

    /// Wait until one of `signals` moves past its noted generation, `cancel` fires, or
    /// `timeoutNanoseconds` pass. A pump (no client to cancel) passes no cancel handle.
    static func wait(signals: [(signal: AppendSignal, seen: UInt64)], cancel: CancelHandle?, timeoutNanoseconds: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let w = LiveQueryWakeup(c)
            for (signal, seen) in signals {
                guard let token = signal.onNotify(after: seen, { w.fire() }) else { break }   // already past: fired
                w.onFire { signal.removeOnNotify(token) }
            }
            if let cancel {
                let cancelToken = cancel.onCancel { w.fire() }
                w.onFire { cancel.removeCallback(cancelToken) }
            }
            let timer = Task {
                try? await Task.sleep(nanoseconds: timeoutNanoseconds)
                w.fire()
            }
            w.onFire { timer.cancel() }
        }
    }

    /// Resume the waiter (the first call only) and undo every registration.
    private func fire() {
        let (c, undo): (CheckedContinuation<Void, Never>?, [() -> Void]) = lock.withLock {
            if fired { return (nil, []) }
            fired = true
            defer { continuation = nil; cleanups = [] }
            return (continuation, cleanups)
        }
        c?.resume()
        for f in undo { f() }
    }

    /// Run `f` when the wait ends (at once if it already has).
    private func onFire(_ f: @escaping () -> Void) {
        let now: Bool = lock.withLock {
            if fired { return true }
            cleanups.append(f)
            return false
        }
        if now { f() }
    }
}
