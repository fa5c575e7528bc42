import Foundation
import FreshetCore

/// Collects error_stream entries from synchronous callers (the late-row callback of a
/// continuous query runs inside the pipeline) and writes them with
/// `Engine.reportError` in batches: one durable commit for whatever accumulated while
/// the previous commit ran. `flush()` waits until everything enqueued is durable.
final class ErrorBatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [ErrorStream.Entry] = []
    private var writer: Task<Void, Never>?

    func enqueue(_ entry: ErrorStream.Entry, engine: Engine) {
        lock.withLock {
            pending.append(entry)
            if writer == nil {
                writer = Task.detached { [weak self, weak engine] in
                    while let self, let engine {
                        let batch: [ErrorStream.Entry] = self.lock.withLock {
                            let b = self.pending
                            self.pending = []
                            if b.isEmpty { self.writer = nil }
                            return b
                        }
                        if batch.isEmpty { return }
                        do { try await engine.reportError(batch) } catch {
                            engine.logger.error("\(batch.count) error_stream row(s) could not be written: \(error)")
                        }
                    }
                }
            }
        }
    }

    /// Wait until every entry enqueued so far is written (or failed).
    func flush() async {
        while let w = lock.withLock({ writer }) { await w.value }
    }
}
