// SyncWorkers: a few dedicated threads that run the fdatasyncs of one commit round in
// parallel when several files are dirty (one device queue serves them together).

import Foundation

final class SyncWorkers: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var unfinished = 0
    private var stopping = false
    private var alive: Int

    init(threads: Int) {
        alive = threads
        for i in 0..<threads {
            let t = Thread { [self] in self.loop() }   // strong: see GroupCommitter.init
            t.name = "freshet-sync-\(i)"
            t.start()
        }
    }

    /// Run all jobs (the calling thread takes part) and return when all are done.
    func runAll(_ work: [() -> Void]) {
        if work.isEmpty { return }
        if work.count == 1 || alive == 0 { work.forEach { $0() }; return }
        condition.lock()
        jobs.append(contentsOf: work.dropFirst())
        unfinished += work.count - 1
        condition.broadcast()
        condition.unlock()
        work[0]()
        while true {
            condition.lock()
            if jobs.isEmpty {
                while unfinished > 0 { condition.wait() }
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock(); unfinished -= 1; condition.broadcast(); condition.unlock()
        }
    }

    func stop() {
        condition.lock(); stopping = true; condition.broadcast(); condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping { alive -= 1; condition.unlock(); return }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock(); unfinished -= 1; condition.broadcast(); condition.unlock()
        }
    }
}
