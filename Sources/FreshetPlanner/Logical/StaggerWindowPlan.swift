import FreshetCore

/// `WINDOWED BY STAGGER (PARTITION BY k, … RANGE INTERVAL '1' MINUTE)` (Kinesis
/// Data Analytics stagger windows): a window per partition key opens with the
/// key's first row (at that row's ROWTIME) and closes `rangeMicros` later, when
/// it emits one row `partition keys ++ aggregate results`; the output ROWTIME is
/// the closing time. The grouping keys of the plan are the PARTITION BY expressions.
public struct StaggerWindowPlan: Sendable {
    public var rangeMicros: Int64
    /// ROWTIME's position in the input row.
    public var rowtimeIndex: Int
    public init(rangeMicros: Int64, rowtimeIndex: Int) {
        self.rangeMicros = rangeMicros
        self.rowtimeIndex = rowtimeIndex
    }
}
