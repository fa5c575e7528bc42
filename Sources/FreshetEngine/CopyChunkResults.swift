import FreshetCore
import FreshetStreams
import Foundation

/// What the parse threads made of one COPY's chunks, kept in chunk order, and the
/// bounds on how much of the COPY may wait (CopyInReceiver). Shared between the
/// receiving session and the parse threads, under one lock.
///
/// Staging: once the parsed rows held in memory pass `stageAfterBytes`, the COPY
/// switches to a `StagedStreamWrite`: from then on each parsed chunk's rows are
/// written to the shards' staging files, in chunk order, by whichever parse thread
/// completes the next chunk in order (the write runs outside the lock, one at a
/// time), and the receiver also waits while more than `maxHeldBytes` of parsed rows
/// wait to be written. Writing stops at the first failed chunk and after the chunk
/// holding the end marker (`\.`).
final class CopyChunkResults: @unchecked Sendable {
    enum Slot {
        case waiting
        /// The chunk's rows (routed and framed), how many, the chunk's size, and whether it ended with `\.`.
        case parsed(PendingWrite, rows: Int, inputBytes: Int, sawEndMarker: Bool)
        /// The chunk's rows are in the staging files.
        case staged(rows: Int, inputBytes: Int, sawEndMarker: Bool)
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

    /// Makes the staged write when the COPY outgrows memory (nil: never stage).
    private var makeStage: (() -> StagedStreamWrite)?
    let stageAfterBytes: Int
    let maxHeldBytes: Int
    /// The staged write, once staging began.
    private(set) var stage: StagedStreamWrite?
    /// Encoded bytes of parsed chunks not yet staged.
    private var heldBytes = 0
    /// The next slot to write to the stage.
    private var nextToStage = 0
    /// A thread is writing to the stage (outside the lock).
    private var staging = false
    /// Writing stopped (a failed chunk, or the end marker).
    private var stageStopped = false

    init(maxInFlight: Int, stageAfterBytes: Int = .max, maxHeldBytes: Int = .max) {
        self.maxInFlight = maxInFlight
        self.stageAfterBytes = stageAfterBytes
        self.maxHeldBytes = maxHeldBytes
    }

    /// Allow staging (the COPY's target is known, and it is not inside a transaction block).
    func allowStaging(_ make: @escaping () -> StagedStreamWrite) {
        condition.lock(); defer { condition.unlock() }
        if makeStage == nil && stage == nil { makeStage = make }
    }

    /// Reserve the next slot, waiting while `maxInFlight` chunks are outstanding (or,
    /// when staging, while too many parsed bytes wait to be written).
    func reserve() -> Int {
        condition.lock(); defer { condition.unlock() }
        while inFlight >= maxInFlight || (stage != nil && heldBytes > maxHeldBytes && !stageStopped) { condition.wait() }
        inFlight += 1
        slots.append(.waiting)
        return slots.count - 1
    }

    func complete(_ index: Int, _ slot: Slot) {
        condition.lock()
        if index < slots.count { slots[index] = slot }
        switch slot {
        case .failed: anyFailed = true
        case .parsed(let w, _, _, _): heldBytes += w.byteCount
        default: break
        }
        inFlight -= 1
        if stage == nil, let make = makeStage, heldBytes >= stageAfterBytes {
            stage = make()
            makeStage = nil
        }
        condition.broadcast()
        condition.unlock()
        writeStage()
        resumeIfIdle()
    }

    /// Write parsed chunks to the stage in order, while the next one is parsed and no
    /// other thread writes.
    private func writeStage() {
        condition.lock()
        while let stage, !staging, !stageStopped, !aborted, nextToStage < slots.count,
              case .parsed(let w, let rows, let bytes, let end) = slots[nextToStage] {
            staging = true
            let index = nextToStage
            condition.unlock()
            var outcome: Slot
            do {
                try stage.append(w)
                outcome = .staged(rows: rows, inputBytes: bytes, sawEndMarker: end)
            } catch let e as FreshetError {
                outcome = .failed(e)
            } catch {
                outcome = .failed(FreshetError(.ioError, "COPY: \(error)"))
            }
            condition.lock()
            staging = false
            heldBytes -= w.byteCount
            if !aborted && index < slots.count {
                slots[index] = outcome
                nextToStage += 1
                if case .failed = outcome { anyFailed = true; stageStopped = true }
                if end { stageStopped = true }
            }
            condition.broadcast()
        }
        if nextToStage < slots.count, case .failed = slots[nextToStage] { stageStopped = true }
        condition.unlock()
    }

    private func resumeIfIdle() {
        condition.lock()
        var resume: CheckedContinuation<Void, Never>?
        if inFlight == 0 && !staging { resume = drained; drained = nil }
        condition.unlock()
        resume?.resume()
    }

    /// Stop: jobs not yet started skip their work; waits for a stage write in progress
    /// (so the caller may then discard the stage's files).
    func abort() {
        condition.lock()
        aborted = true
        slots = []
        while staging { condition.wait() }
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
            case .parsed(_, _, _, let end), .staged(_, _, let end): if end { return nil }
            }
        }
        return nil
    }

    /// Wait until no chunk is outstanding and no stage write runs. Then every parsed
    /// chunk before the first failed one (or the end marker) is staged, when staging.
    func drain() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            if inFlight == 0 && !staging { condition.unlock(); c.resume(); return }
            drained = c
            condition.unlock()
        }
        // A chunk completed last may have left parsed chunks for this thread to write
        // (its writer saw another write in progress): write them now.
        writeStage()
    }

    /// After `drain`: the slots in chunk order, handed over (the results keep none).
    func take() -> [Slot] {
        condition.lock(); defer { condition.unlock() }
        let s = slots
        slots = []
        return s
    }
}
