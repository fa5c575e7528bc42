import Foundation
import FreshetCore
import FreshetPlanner
import FreshetRuntime
import FreshetStreams

/// The rows of a continuous query (SELECT STREAM), produced as they are
/// committed: `next` returns as soon as rows exist, waits (without
/// spinning) while none do, and ends only at LIMIT, on cancel (57014) or
/// when the consumer closes it. The consumer's pace is the back-pressure:
/// nothing is read from the shard logs until the previous batch was taken,
/// so a slow client never makes the server buffer without bound.
///
/// A join of two streams reads a second tail (the pipeline's input 1); the
/// query's time is then the earlier of the two streams' watermarks, and a commit
/// to either stream wakes the reader (`LiveQueryWakeup`).
final class LiveQueryStream: RowStream {
    let columns: [ResultColumn]
    /// The source: a stream's shards, or (for `sys.*`) a system table's change feed.
    private var tail: StreamTail?
    private var feed: SystemTableTail?
    /// The right stream of a join of two streams, and this reader in its `StreamReaders`
    /// (its iterator age counts the rows not read yet; rows read wait in the join, not the shard).
    private var second: StreamTail?
    private var secondRegistration: StreamReaders.Registration?
    private let pipeline: StreamingPipeline
    private let cancel: CancelHandle
    private var produced = 0
    private var buffered: [Row] = []
    private var closed = false
    /// Iterator age (stream sources): this reader in the stream's `StreamReaders`, and
    /// for each batch read whose output rows are not all handed on yet, the output count
    /// at its end and the first ROWTIME it read per shard. A reader is as far behind
    /// as the oldest row it read but has not handed on (or, past those, not read yet).
    private let registration: StreamReaders.Registration?
    private var emitted = 0
    /// The latest time a catching-up read moved the pipeline to (see `StreamTail.readThrough`).
    private var caughtUpTo = Int64.min
    private var unconsumed: [(end: Int, firsts: [(shard: Int, firstRowtime: Int64)])] = []
    /// How long a reader with nothing to do waits before it looks at the clock again when no
    /// commit, cancel or window deadline wakes it: it notices a clock that was set (a
    /// ManualClock moved by a test, the system clock stepped) within this time.
    static let idleWaitNanoseconds: UInt64 = 50_000_000
    static let readBatch = 4096
    /// This reader's idle re-check (`idleWaitNanoseconds`; tests lengthen it to show that
    /// nothing but a commit, a cancel or a deadline is needed to wake the reader).
    var idleWaitNanoseconds = LiveQueryStream.idleWaitNanoseconds

    init(columns: [ResultColumn], tail: StreamTail, pipeline: StreamingPipeline, cancel: CancelHandle) {
        self.columns = columns
        self.tail = tail
        self.pipeline = pipeline
        self.cancel = cancel
        registration = tail.store.readers.register(kind: .liveQuery)
    }

    /// A join of two streams: `tail` feeds the pipeline's input 0, `second` its input 1.
    convenience init(columns: [ResultColumn], tail: StreamTail, second: StreamTail, pipeline: StreamingPipeline, cancel: CancelHandle) {
        precondition(pipeline.inputCount == 2)
        self.init(columns: columns, tail: tail, pipeline: pipeline, cancel: cancel)
        self.second = second
        secondRegistration = second.store.readers.register(kind: .liveQuery)
    }

    init(columns: [ResultColumn], feed: SystemTableTail, pipeline: StreamingPipeline, cancel: CancelHandle) {
        self.columns = columns
        self.feed = feed
        self.pipeline = pipeline
        self.cancel = cancel
        registration = nil
    }

    private func read() throws -> [Row] {
        if tail != nil { return try tail!.next(maxRows: LiveQueryStream.readBatch) }
        return try feed!.next(maxRows: LiveQueryStream.readBatch)
    }

    private var signal: AppendSignal { tail?.signal ?? feed!.signal }
    private func watermark() -> Int64 { tail?.watermark() ?? feed!.watermark() }

    /// Tell the stream's reader registry how far behind this reader is, per shard
    /// (once per batch handed on or read, never per row).
    private func reportAge() {
        guard let registration, let tail else { return }
        while let first = unconsumed.first, first.end <= produced { unconsumed.removeFirst() }
        var oldest: [Int: Int64] = [:]
        for batch in unconsumed {
            for r in batch.firsts where oldest[r.shard] == nil { oldest[r.shard] = r.firstRowtime }
        }
        var report = tail.unreadOldest().map { (shard: $0.shard, oldestUnconsumed: oldest.removeValue(forKey: $0.shard) ?? $0.oldestUnread) }
        for (shard, t) in oldest { report.append((shard, t)) }
        registration.report(report)
    }
    var commandTag: String { "SELECT \(produced)" }

    func close() {
        closed = true
        buffered = []
        unconsumed = []
        registration?.unregister()
        secondRegistration?.unregister()
    }

    func next(maxRows: Int) async throws -> [Row]? {
        try await next(maxRows: maxRows, deadlineNanoseconds: nil)
    }

    /// Like `next`, but returns an empty batch once `deadlineNanoseconds` (DispatchTime uptime)
    /// passes with no row (FETCH … WITH (timeout = …)).
    func next(maxRows: Int, deadlineNanoseconds: UInt64?) async throws -> [Row]? {
        while true {
            if let d = deadlineNanoseconds, DispatchTime.now().uptimeNanoseconds >= d, buffered.isEmpty { return [] }
            if closed { return nil }
            if cancel.isCancelled { throw FreshetError(.queryCanceled, "canceling statement due to user request") }
            if !buffered.isEmpty {
                let n = min(max(1, maxRows), buffered.count)
                let out = Array(buffered.prefix(n))
                buffered.removeFirst(n)
                produced += n
                reportAge()
                return out
            }
            if pipeline.isComplete { return nil }
            // Generations noted before reading: a commit after them wakes the wait below.
            let seen = signal.generation
            let secondSeen = second?.signal.generation ?? 0
            // The watermark is read before draining: every row below it is published by now.
            var watermark = watermark()
            if let second { watermark = min(watermark, second.watermark()) }
            var gotRows = false
            var drained = false
            var through = watermark   // what every input has been read through (see StreamTail.readThrough)
            for _ in 0..<16 {
                let rows = try read()
                if !rows.isEmpty {
                    gotRows = true
                    if let tail { through = min(through, tail.readThrough(rows, watermark: watermark)) }
                    let out = try pipeline.push(rows)
                    buffered.append(contentsOf: out)
                    emitted += out.count
                    if let tail { unconsumed.append((emitted, tail.lastReads)) }
                }
                // Drained only when a read finds nothing: a read can return fewer rows than asked
                // while more exist (it stops at a segment's end), and advancing the watermark
                // before everything published was read would close windows too early.
                if rows.isEmpty { drained = true; break }
                if buffered.count >= LiveQueryStream.readBatch { break }
            }
            if second != nil {
                var secondDrained = false
                for _ in 0..<16 {
                    let rows = try second!.next(maxRows: LiveQueryStream.readBatch)
                    if !rows.isEmpty {
                        gotRows = true
                        through = min(through, second!.readThrough(rows, watermark: watermark))
                        let out = try pipeline.push(rows, input: 1)
                        buffered.append(contentsOf: out)
                        emitted += out.count
                    }
                    if rows.isEmpty { secondDrained = true; break }
                }
                drained = drained && secondDrained
                secondRegistration?.report(second!.unreadOldest().map { (shard: $0.shard, oldestUnconsumed: $0.oldestUnread) })
            }
            if drained {
                let out = try pipeline.advance(to: watermark)
                buffered.append(contentsOf: out)
                emitted += out.count
            } else if tail != nil, through > caughtUpTo {
                // Catching up a backlog: close what the read has passed (not the stream's
                // watermark: older rows are still unread).
                caughtUpTo = through
                let out = try pipeline.advance(to: through)
                buffered.append(contentsOf: out)
                emitted += out.count
            }
            if gotRows && buffered.isEmpty { reportAge() }   // read rows, none to hand on (filtered, or held in windows)
            if !buffered.isEmpty || gotRows { continue }
            var wait = idleWaitNanoseconds
            if let d = deadlineNanoseconds {
                let now = DispatchTime.now().uptimeNanoseconds
                wait = min(wait, d > now ? d - now : 0)
            }
            if let deadline = pipeline.nextDeadline {
                let untilDeadline = max(0, deadline - watermark) * 1000
                wait = min(wait, UInt64(untilDeadline) + 1_000_000)
            }
            var signals = [(signal: signal, seen: seen)]
            if let second { signals.append((second.signal, secondSeen)) }
            await LiveQueryWakeup.wait(signals: signals, cancel: cancel, timeoutNanoseconds: wait)
        }
    }
}
