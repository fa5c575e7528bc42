import Foundation
import FreshetCore

/// The continuous readers of one stream — live `SELECT STREAM` queries and cursors
/// today, pumps and delivery streams later — and how far each is behind, for the
/// iterator age (Kinesis's GetRecords.IteratorAgeMilliseconds) in `sys.stream_metrics`
/// and at `/metrics`.
///
/// A reader registers once and then reports, once per batch it reads or hands on
/// (never per row), for each shard it reads the ROWTIME of the oldest row it has not
/// yet consumed there, or nil when it has consumed everything the shard holds. Its
/// age in a shard is then `now − that ROWTIME` (0 when caught up): the age grows while
/// a reader sits on unconsumed rows, even if it reads nothing. Each report also
/// folds the ages into the shard's current minute of `StreamMetrics` (the maximum over
/// readers and reports in that minute); `sampleAges()` does the same for readers that
/// have not reported this minute, so an idle reader that is behind still shows.
public final class StreamReaders: @unchecked Sendable {
    /// What kind of consumer a reader is (for diagnostics).
    public enum Kind: String, Sendable {
        case liveQuery = "live query"
        case pump
        case deliveryStream = "delivery stream"
    }

    /// One registered reader. Unregisters when released (or on `unregister()`).
    public final class Registration: @unchecked Sendable {
        public let id: Int
        public let kind: Kind
        public let name: String
        private weak var owner: StreamReaders?

        init(id: Int, kind: Kind, name: String, owner: StreamReaders) {
            self.id = id
            self.kind = kind
            self.name = name
            self.owner = owner
        }

        /// The oldest unconsumed ROWTIME per shard index (nil: caught up in that shard).
        /// Shards not named keep their last report.
        public func report(_ pending: [(shard: Int, oldestUnconsumed: Int64?)]) {
            owner?.update(id, pending)
        }

        /// Stop counting this reader (its shards no longer report an age for it).
        public func unregister() { owner?.remove(id) }

        deinit { owner?.remove(id) }
    }

    private let lock = NSLock()
    private var nextID = 0
    /// Reader id → shard index → oldest unconsumed ROWTIME (nil: caught up).
    private var pending: [Int: [Int: Int64?]] = [:]
    private let metrics: StreamMetrics
    private let clock: any Clock

    init(metrics: StreamMetrics, clock: any Clock) {
        self.metrics = metrics
        self.clock = clock
    }

    /// Register a reader of this stream.
    public func register(kind: Kind, name: String = "") -> Registration {
        let id: Int = lock.withLock {
            nextID += 1
            pending[nextID] = [:]
            return nextID
        }
        return Registration(id: id, kind: kind, name: name, owner: self)
    }

    /// How many readers are registered.
    public var count: Int { lock.withLock { pending.count } }

    func update(_ id: Int, _ report: [(shard: Int, oldestUnconsumed: Int64?)]) {
        let now = clock.nowMicros()
        lock.withLock {
            guard var p = pending[id] else { return }
            for r in report { p[r.shard] = r.oldestUnconsumed }
            pending[id] = p
        }
        for r in report {
            let age = StreamReaders.ageMillis(r.oldestUnconsumed, now: now)
            metrics.record(shard: r.shard, now: now) { $0.iteratorAgeMs = max($0.iteratorAgeMs ?? 0, age) }
        }
    }

    func remove(_ id: Int) { _ = lock.withLock { pending.removeValue(forKey: id) } }

    /// The iterator age now per shard index: the largest over registered readers, in
    /// milliseconds. Shards no reader has reported on are absent.
    public func ages() -> [Int: Int64] {
        let now = clock.nowMicros()
        return lock.withLock {
            var out: [Int: Int64] = [:]
            for shards in pending.values {
                for (shard, oldest) in shards {
                    out[shard] = max(out[shard] ?? 0, StreamReaders.ageMillis(oldest, now: now))
                }
            }
            return out
        }
    }

    /// Fold the current ages into the current minute of the metrics (a reader that is
    /// behind but idle, e.g. a cursor nobody FETCHes from, has not reported this minute).
    /// Returns the ages.
    @discardableResult
    public func sampleAges() -> [Int: Int64] {
        let a = ages()
        let now = clock.nowMicros()
        for (shard, age) in a {
            metrics.record(shard: shard, now: now) { $0.iteratorAgeMs = max($0.iteratorAgeMs ?? 0, age) }
        }
        return a
    }

    static func ageMillis(_ oldest: Int64?, now: Int64) -> Int64 {
        guard let oldest else { return 0 }
        return max(0, now - oldest) / 1000
    }
}

extension StreamReaders.Registration {
    /// For a reader that hands on every row as soon as it reads it (a pump, a delivery
    /// stream): report, per shard, the oldest row `tail` has not read yet. Call once per
    /// batch read. (A reader that buffers rows, like a live query, reports the oldest
    /// row it has not handed on instead: see `LiveQueryStream`.)
    public func report(unreadBy tail: StreamTail) {
        report(tail.unreadOldest().map { (shard: $0.shard, oldestUnconsumed: $0.oldestUnread) })
    }
}
