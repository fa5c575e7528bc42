import FreshetCore

/// The window functions (`f(…) OVER (…)`) of a bounded SELECT, with PostgreSQL's
/// semantics (PostgreSQL 15 manual, 4.2.8 "Window Function Calls" and 9.22 "Window
/// Functions"). They are evaluated after WHERE, GROUP BY and HAVING and before the
/// projections, DISTINCT, ORDER BY and LIMIT: the operator reads every row, and emits
/// each row extended with one value per call, so after it a row is
/// `input columns ++ call results` and the projections read call `i` as column
/// `inputWidth + i`. (SELECT STREAM uses SlidingWindowPlan instead.)
public struct WindowFunctionPlan: Sendable {
    /// The distinct windows the calls use.
    public var windows: [WindowDefinition]
    /// The calls, in output order.
    public var calls: [WindowCall]
    /// Width of the input row (the grouped row when the query groups).
    public var inputWidth: Int
    public init(windows: [WindowDefinition], calls: [WindowCall], inputWidth: Int) {
        self.windows = windows
        self.calls = calls
        self.inputWidth = inputWidth
    }
}

/// One window: its partitions, the order within a partition and the frame.
public struct WindowDefinition: Sendable {
    public var partitionBy: [BoundExpression]
    public var orderBy: [WindowOrderKey]
    public var frame: WindowFrameDefinition
    public init(partitionBy: [BoundExpression], orderBy: [WindowOrderKey], frame: WindowFrameDefinition) {
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// One ORDER BY item of a window.
public struct WindowOrderKey: Sendable {
    public var expression: BoundExpression
    public var ascending: Bool
    public var nullsFirst: Bool
    public init(expression: BoundExpression, ascending: Bool, nullsFirst: Bool) {
        self.expression = expression
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }
}

/// The frame of a window: which rows of the partition, relative to the current row,
/// the frame-reading functions (aggregates, FIRST_VALUE, LAST_VALUE, NTH_VALUE) see.
public struct WindowFrameDefinition: Sendable {
    public enum Units: Sendable { case rows, range }
    public enum Bound: Sendable {
        case unboundedPreceding
        /// `offset PRECEDING`: a constant (ROWS: a bigint row count; RANGE: a distance in the ORDER BY key's units).
        case preceding(BoundExpression)
        case currentRow
        case following(BoundExpression)
        case unboundedFollowing
    }
    public var units: Units
    public var start: Bound
    public var end: Bound
    /// RANGE with an offset: the single ORDER BY key as compared with the targets below.
    public var rangeKey: BoundExpression?
    /// RANGE with an offset bound: the key value, computed from the current row, the frame
    /// starts at / ends at (`key - offset` for PRECEDING in ascending order, `key + offset`
    /// for FOLLOWING; the other way round in descending order).
    public var startTarget: BoundExpression?
    public var endTarget: BoundExpression?
    public init(units: Units, start: Bound, end: Bound) {
        self.units = units
        self.start = start
        self.end = end
    }

    /// PostgreSQL's default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    /// (the whole partition when the window has no ORDER BY, as every row is a peer).
    public static let `default` = WindowFrameDefinition(units: .range, start: .unboundedPreceding, end: .currentRow)
}

/// A window function applied to window `window` of the plan.
public struct WindowCall: Sendable {
    public enum Function: String, Sendable {
        case rowNumber = "row_number", rank, denseRank = "dense_rank", percentRank = "percent_rank"
        case cumeDist = "cume_dist", ntile, lag, lead
        case firstValue = "first_value", lastValue = "last_value", nthValue = "nth_value"
        /// An aggregate over the frame (`aggregate` says which).
        case aggregate
    }
    public var function: Function
    /// The arguments: the value, then LAG/LEAD's offset and default, NTH_VALUE's n, NTILE's bucket count.
    public var arguments: [BoundExpression]
    /// For `.aggregate`: the aggregate (its argument is `arguments.first`).
    public var aggregate: AggregateCall?
    public var window: Int
    public var resultType: DataType
    public init(function: Function, arguments: [BoundExpression], aggregate: AggregateCall? = nil, window: Int, resultType: DataType) {
        self.function = function
        self.arguments = arguments
        self.aggregate = aggregate
        self.window = window
        self.resultType = resultType
    }
}
