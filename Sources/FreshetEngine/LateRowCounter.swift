import Foundation

/// Rows that continuous queries received behind an event-time watermark, per
/// stream, since the server started (sys.streams.late_rows). Thread-safe: every
/// live query reports into it.
final class LateRowCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int64] = [:]

    func add(stream: String) {
        lock.withLock { counts[stream, default: 0] += 1 }
    }

    /// Forget a dropped stream's count (a new stream of the same name starts at 0).
    func reset(stream: String) {
        lock.withLock { _ = counts.removeValue(forKey: stream) }
    }

    func count(stream: String) -> Int64 {
        lock.withLock { counts[stream] ?? 0 }
    }
}
