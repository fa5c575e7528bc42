import FreshetCore

/// A streaming ORDER BY (SQLstream's T-sort): the first sort key is a time key
/// that never goes back (`FLOOR(ROWTIME TO MINUTE)`, ROWTIME, a window's start or
/// end). Projected rows are held until their time key value is complete — the
/// time (`timeKey + granularityMicros ≤ watermark`) guarantees no more rows with
/// that value — and are then released sorted by all of the plan's `orderBy` keys.
public struct StreamSortPlan: Sendable {
    /// Index of the time key in the projected row.
    public var timeKeyColumn: Int
    /// A row with time key `t` is final once the watermark reaches `t + granularityMicros`.
    public var granularityMicros: Int64
    /// True when the time key is an event-time window's bound (released on the event-time watermark).
    public var eventTime: Bool
    public init(timeKeyColumn: Int, granularityMicros: Int64, eventTime: Bool) {
        self.timeKeyColumn = timeKeyColumn
        self.granularityMicros = granularityMicros
        self.eventTime = eventTime
    }
}
