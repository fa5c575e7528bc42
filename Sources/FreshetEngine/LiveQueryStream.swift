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
final class LiveQueryStream: RowStream {
    let columns: [ResultColumn]
    private var tail: StreamTail
    private let pipeline: StreamingPipeline
    private let cancel: CancelHandle
    private var produced = 0
    private var buffered: [Row] = []
    private var closed = false
    /// How long a reader sleeps between checks when no commit wakes it (bounds cancel latency).
    static let idleWaitNanoseconds: UInt64 = 50_000_000
    static let readBatch = 4096

    init(columns: [ResultColumn], tail: StreamTail, pipeline: StreamingPipeline, cancel: CancelHandle) {
        self.columns = columns
        self.tail = tail
        self.pipeline = pipeline
        self.cancel = cancel
    }

    var commandTag: String { "SELECT \(produced)" }

    func close() {
        closed = true
        buffered = []
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
                return out
            }
            if pipeline.isComplete { return nil }
            let seen = tail.signal.generation
            // The watermark is read before draining: every row below it is published by now.
            let watermark = tail.watermark()
            var gotRows = false
            var drained = false
            for _ in 0..<16 {
                let rows = try tail.next(maxRows: LiveQueryStream.readBatch)
                if !rows.isEmpty {
                    gotRows = true
                    buffered.append(contentsOf: try pipeline.push(rows))
                }
                if rows.count < LiveQueryStream.readBatch { drained = true; break }
                if buffered.count >= LiveQueryStream.readBatch { break }
            }
            if drained { buffered.append(contentsOf: try pipeline.advance(to: watermark)) }
            if !buffered.isEmpty || gotRows { continue }
            var wait = LiveQueryStream.idleWaitNanoseconds
            if let d = deadlineNanoseconds {
                let now = DispatchTime.now().uptimeNanoseconds
                wait = min(wait, d > now ? d - now : 0)
            }
            if let deadline = pipeline.nextDeadline {
                let untilDeadline = max(0, deadline - watermark) * 1000
                wait = min(wait, UInt64(untilDeadline) + 1_000_000)
            }
            await tail.signal.wait(after: seen, timeoutNanoseconds: wait)
        }
    }
}
