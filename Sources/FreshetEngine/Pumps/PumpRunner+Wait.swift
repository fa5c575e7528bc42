import FreshetStreams

extension PumpRunner {
    /// Wait until any of `signals` moves past its generation in `seen` (same order), or
    /// `timeoutNanoseconds` pass: a pump joining two streams wakes on a commit to either.
    /// One signal: its own wait. Several: one `LiveQueryWakeup` (callbacks on every
    /// signal, removed by whichever fires first — no task left waiting behind).
    static func waitForAny(_ signals: [AppendSignal], after seen: [UInt64], timeoutNanoseconds: UInt64) async {
        if signals.count == 1 {
            await signals[0].wait(after: seen[0], timeoutNanoseconds: timeoutNanoseconds)
            return
        }
        await LiveQueryWakeup.wait(signals: Array(zip(signals, seen)).map { (signal: $0.0, seen: $0.1) }, cancel: nil,
                                   timeoutNanoseconds: timeoutNanoseconds)
    }
}
