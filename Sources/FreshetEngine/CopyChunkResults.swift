import FreshetCore
import FreshetStreams
import Foundation

/// What the parse threads made of one COPY's chunks, kept in chunk order, and the
/// bound on how many chunks may wait to be parsed (CopyInReceiver). Shared between
/// the receiving session and the parse threads, under one lock.
final class CopyChunkResults: @unchecked Sendable {
    enum Slot {
        case waiting
        /// The chunk's rows (routed and framed), how many, the chunk's size, and whether it ended with `\.`.
        case parsed(PendingWrite, rows: Int, inputBytes: Int, sawEndMarker: Bool)
        case failed(FreshetError)
    }

    /// Chunks queued or being parsed at most; the receiver waits for room beyond that.
    let maxInFlight: Int
    private let condition = NSCondition()
    private var slots: [Slot] = []
    private var inFlight = 0
    private var anyFailed = false
    private var drained: CheckedContinuation<Void, Never>?
    /// Set by abort: jobs not yet started skip their work.
    private(set) var aborted = false

    init(maxInFlight: Int) {
        self.maxInFlight = maxInFlight
    }

    /// Reserve the next slot, waiting while `maxInFlight` chunks are outstanding.
    func reserve() -> Int {
        condition.lock(); defer { condition.unlock() }
        while inFlight >= maxInFlight { condition.wait() }
        inFlight += 1
        slots.append(.waiting)
        return slots.count - 1
    }

    func complete(_ index: Int, _ slot: Slot) {
        condition.lock()
        if index < slots.count { slots[index] = slot }
        if case .failed = slot { anyFailed = true }
        inFlight -= 1
        condition.broadcast()
        var resume: CheckedContinuation<Void, Never>?
        if inFlight == 0 { resume = drained; drained = nil }
        condition.unlock()
        resume?.resume()
    }

    func abort() {
        condition.lock()
        aborted = true
        slots = []
        condition.unlock()
    }

    var isAborted: Bool {
        condition.lock(); defer { condition.unlock() }
        return aborted
    }

    /// The error of the first failed chunk when every chunk before it has been parsed
    /// (so it is the error of the COPY's earliest bad line), else nil.
    func settledFailure() -> FreshetError? {
        condition.lock(); defer { condition.unlock() }
        guard anyFailed else { return nil }
        for slot in slots {
            switch slot {
            case .waiting: return nil
            case .failed(let e): return e
            case .parsed(_, _, _, let end): if end { return nil }
            }
        }
        return nil
    }

    /// Wait until no chunk is outstanding.
    func drain() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            if inFlight == 0 { condition.unlock(); c.resume(); return }
            drained = c
            condition.unlock()
        }
    }

    /// After `drain`: the slots in chunk order, handed over (the results keep none).
    func take() -> [Slot] {
        condition.lock(); defer { condition.unlock() }
        let s = slots
        slots = []
        return s
    }
}
