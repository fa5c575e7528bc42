import FreshetCore

/// The sliding windows of a continuous query (SQL.md "Windows": `agg(x) OVER
/// (PARTITION BY … RANGE INTERVAL '…' PRECEDING | ROWS n PRECEDING)` and named
/// `WINDOW w AS (…)`). The window operator runs after WHERE and before the
/// projections: it emits each input row at once, extended with one value per
/// call, so after it a row is `input columns ++ call results` and the
/// projections read call `i` as column `inputWidth + i`.
public struct SlidingWindowPlan: Sendable {
    /// The distinct window definitions the calls use.
    public var windows: [SlidingWindowDefinition]
    /// The window function calls, in output order.
    public var calls: [WindowFunctionCall]
    /// Position of ROWTIME in the input row (the order and clock of every window).
    public var rowtimeIndex: Int
    /// Width of the input row (call `i` lands at `inputWidth + i`).
    public var inputWidth: Int
    /// Nil: the windows are ordered by ROWTIME (rows are windowed as they arrive). Otherwise they
    /// are ordered by the stream's event-time column (`ORDER BY ts` with `WATERMARK FOR ts`): rows
    /// wait until the watermark reaches their event time, are windowed in event-time order, and
    /// RANGE measures the event-time column; rows behind the watermark are late rows.
    public var eventTime: EventTimeWatermark?
    public init(windows: [SlidingWindowDefinition], calls: [WindowFunctionCall], rowtimeIndex: Int, inputWidth: Int,
                eventTime: EventTimeWatermark? = nil) {
        self.windows = windows
        self.calls = calls
        self.rowtimeIndex = rowtimeIndex
        self.inputWidth = inputWidth
        self.eventTime = eventTime
    }

    /// The column the windows are ordered and measured by: ROWTIME or the event-time column.
    public var timeIndex: Int { eventTime?.column ?? rowtimeIndex }
}

/// One window: how rows are partitioned and which of them, before and
/// including the current row, are in its frame.
public struct SlidingWindowDefinition: Sendable {
    public enum Frame: Hashable, Sendable {
        /// `RANGE INTERVAL … PRECEDING`: the partition's rows whose ROWTIME (or event time) is at
        /// least the current row's minus `micros` (both bounds inclusive).
        case range(micros: Int64)
        /// `ROWS n PRECEDING`: the current row and the `n` rows of the partition before it.
        case rows(Int)
    }
    public var partitionBy: [BoundExpression]
    public var frame: Frame
    public init(partitionBy: [BoundExpression], frame: Frame) {
        self.partitionBy = partitionBy
        self.frame = frame
    }
}

/// A window function applied to window `window` of the plan.
public struct WindowFunctionCall: Sendable {
    public enum Function: String, Sendable {
        case count, countStar = "count(*)", sum, avg, min, max
        case firstValue = "first_value", lastValue = "last_value", nthValue = "nth_value", lag
        /// Exponentially weighted average with half-life `halfLifeMicros`.
        case expAvg = "exp_avg"
    }
    public var function: Function
    /// The argument (nil for COUNT(*)).
    public var argument: BoundExpression?
    public var window: Int
    /// LAG's offset (rows before the current one) or NTH_VALUE's position (1-based).
    public var offset: Int
    /// LAG's third argument, evaluated on the current row when the lagged row is outside the window.
    public var defaultValue: BoundExpression?
    /// EXP_AVG's half-life.
    public var halfLifeMicros: Int64
    public var resultType: DataType
    public init(function: Function, argument: BoundExpression?, window: Int, offset: Int = 0,
                defaultValue: BoundExpression? = nil, halfLifeMicros: Int64 = 0, resultType: DataType) {
        self.function = function
        self.argument = argument
        self.window = window
        self.offset = offset
        self.defaultValue = defaultValue
        self.halfLifeMicros = halfLifeMicros
        self.resultType = resultType
    }
}
