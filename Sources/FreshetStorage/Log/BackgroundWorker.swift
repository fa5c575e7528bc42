// BackgroundWorker: one dedicated thread running submitted jobs in order.
//
// Used to write zeros ahead of every log's data (ZeroAhead) off the commit path. A
// plain Thread, not the Swift cooperative pool: the jobs block in write(2) and fdatasync.

import Foundation

final class BackgroundWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var running = 0

    init(name: String) {
        let thread = Thread { [self] in self.loop() }   // strong: see GroupCommitter.init
        thread.name = name
        thread.start()
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Wait until every job submitted so far has finished (for tests).
    func drain() {
        condition.lock()
        while !jobs.isEmpty || running > 0 { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            running += 1
            condition.unlock()
            job()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The process-wide worker shared by all logs.
    static let shared = BackgroundWorker(name: "freshet-zero-ahead")
}
