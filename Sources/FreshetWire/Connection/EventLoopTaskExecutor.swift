import NIOCore

/// Runs a connection's Swift tasks on the connection's own NIO event loop
/// (SE-0417 task executor preference), so that a client message, the
/// statement it starts and the reply it gets stay on one thread.
///
/// Without it every message hops from the event loop to the cooperative pool
/// (a thread wake-up), and every reply back again; with pgbench's one-row
/// INSERTs those hops were most of the server's CPU time (bench/analysis.md,
/// "Small durable writes"). A job enqueued from the loop's own thread is only
/// appended to the loop's queue; from another thread (the commit thread
/// resuming a continuation) it wakes the loop once, which is the one hop a
/// durable write needs.
///
/// Work on these tasks must not block (the rule for the cooperative pool
/// too): blocking I/O runs on the storage threads.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        eventLoop.execute {
            unowned.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
