import FreshetCore

/// A GROUP BY window other than a tumbling window over ROWTIME (which is a
/// `TumblingWindowPlan`): a tumbling window over an event-time column
/// (`STEP(ts BY …)`, `FLOOR(ts TO …)`), a hopping window `HOP(ts, slide, size)`
/// or a session window `SESSION(ts, gap)` (Flink SQL's group windows, SQL.md
/// "Windows"), over ROWTIME or over the stream's watermarked column.
///
/// After grouping a row is `keys ++ aggregate results`; the keys listed in
/// `startKeys` / `endKeys` are not evaluated but filled with the window's start
/// and end (that is how `HOP_START(…)`, `SESSION_END(…)` and the window key itself
/// read them).
public struct GroupWindowPlan: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Windows [k·size, (k+1)·size).
        case tumbling(sizeMicros: Int64)
        /// Windows [k·slide, k·slide + size): a row falls in ⌈size / slide⌉ of them.
        case hop(slideMicros: Int64, sizeMicros: Int64)
        /// Per group, rows at most `gap` apart share a window [first, last + gap).
        case session(gapMicros: Int64)
    }
    public var kind: Kind
    /// The time column in the input row (ROWTIME or the watermarked column).
    public var timeColumn: Int
    /// Group keys that hold the window's start.
    public var startKeys: [Int]
    /// Group keys that hold the window's end.
    public var endKeys: [Int]
    /// Nil: the window is over ROWTIME and closes on the stream's time (server clock);
    /// otherwise it closes when this event-time watermark passes its end.
    public var eventTime: EventTimeWatermark?
    public init(kind: Kind, timeColumn: Int, startKeys: [Int], endKeys: [Int], eventTime: EventTimeWatermark?) {
        self.kind = kind
        self.timeColumn = timeColumn
        self.startKeys = startKeys
        self.endKeys = endKeys
        self.eventTime = eventTime
    }
}
