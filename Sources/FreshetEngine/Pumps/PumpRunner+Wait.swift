import Foundation
import FreshetStreams

extension PumpRunner {
    /// Wait until any of `signals` moves past its generation in `seen` (same order), or
    /// `timeoutNanoseconds` pass: a pump joining two streams wakes on a commit to either.
    /// One signal: its own wait. Several: one waiting task per signal; the first to
    /// return resumes the caller, the others end at their own wake-up or timeout.
    static func waitForAny(_ signals: [AppendSignal], after seen: [UInt64], timeoutNanoseconds: UInt64) async {
        if signals.count == 1 {
            await signals[0].wait(after: seen[0], timeoutNanoseconds: timeoutNanoseconds)
            return
        }
        final class Once: @unchecked Sendable {
            let lock = NSLock()
            var continuation: CheckedContinuation<Void, Never>?
            func resume() { lock.withLock { () -> CheckedContinuation<Void, Never>? in defer { continuation = nil }; return continuation }?.resume() }
        }
        let once = Once()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            once.lock.withLock { once.continuation = c }
            for (signal, generation) in zip(signals, seen) {
                Task.detached {
                    await signal.wait(after: generation, timeoutNanoseconds: timeoutNanoseconds)
                    once.resume()
                }
            }
        }
    }
}
