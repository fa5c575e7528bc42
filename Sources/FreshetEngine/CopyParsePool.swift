import Foundation

/// The threads that parse COPY FROM chunks (CopyInReceiver): one per core, shared
/// by all sessions, started on first use. Jobs run in the order they were queued,
/// each on whichever thread is free; a job must not block on another job.
///
/// Plain threads rather than Swift tasks or Dispatch's global queues: the receiver
/// waits for room in a bounded queue from a synchronous call made on Swift's
/// cooperative pool, and work queued there (or on a pool it shares threads with)
/// could then wait behind the very thread that waits for it.
final class CopyParsePool: @unchecked Sendable {
    static let shared = CopyParsePool(threads: max(1, ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var head = 0

    init(threads: Int) {
        for n in 0..<threads {
            let t = Thread { [unowned self] in self.run() }
            t.name = "copy-parse-\(n)"
            t.start()
        }
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count { jobs.removeAll(keepingCapacity: true); head = 0 }
            condition.unlock()
            job()
        }
    }
}
