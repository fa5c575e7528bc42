import Foundation

/// Makes a reshard atomic with respect to a stream's commits.
///
/// Commits `enter` before they hand records to the group committer and `leave` once
/// those are durable. A reshard `close`s the gate: new commits wait, and the reshard
/// waits until the commits already inside have finished. It then swaps the shard map
/// and `open`s the gate; the waiting commits re-check their routing against the new
/// map (re-routing records aimed at a now-closed parent) before they go in. So no
/// record lands in a parent after the reshard fixed the parent's end, and a write
/// prepared before a reshard is neither lost nor left in a closed shard.
/// Reshards of one stream run one at a time (`close` queues behind another).
final class CommitGate: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight = 0
    private var closed = false
    private var waitingCommits: [CheckedContinuation<Void, Never>] = []
    private var waitingClosers: [CheckedContinuation<Void, Never>] = []
    private var drained: CheckedContinuation<Void, Never>?

    /// Whether a reshard holds the gate.
    var isClosed: Bool { lock.withLock { closed } }

    func enter() async {
        while true {
            let admitted: Bool = lock.withLock {
                if !closed { inFlight += 1; return true }
                return false
            }
            if admitted { return }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if !closed { return true }
                    waitingCommits.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    func leave() {
        let c: CheckedContinuation<Void, Never>? = lock.withLock {
            inFlight -= 1
            if inFlight == 0, let d = drained { drained = nil; return d }
            return nil
        }
        c?.resume()
    }

    /// Take the gate exclusively: wait for another reshard, stop new commits, and wait
    /// for the commits inside to finish.
    func close() async {
        while true {
            let got: Bool = lock.withLock {
                if !closed { closed = true; return true }
                return false
            }
            if got { break }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if !closed { return true }
                    waitingClosers.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if inFlight == 0 { return true }
                drained = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    /// Let commits (or the next reshard) in again.
    func open() {
        let (commits, closer): ([CheckedContinuation<Void, Never>], CheckedContinuation<Void, Never>?) = lock.withLock {
            closed = false
            let w = waitingCommits
            waitingCommits = []
            let c = waitingClosers.isEmpty ? nil : waitingClosers.removeFirst()
            return (w, c)
        }
        for c in commits { c.resume() }
        closer?.resume()
    }
}
