import FreshetCore

/// Where a query's rows come from.
public indirect enum PlanSource: Sendable {
    /// No FROM clause: one empty row.
    case singleRow
    /// A stream, table or system table, read as it is now.
    case relation(RelationDescriptor)
    /// VALUES rows (already bound, no input columns).
    case values([[BoundExpression]])
    /// Two inputs joined.
    case join(JoinPlan)
    /// A query in FROM (or a WITH query), its visible output columns as the row.
    case subquery(QueryPlan)
    /// UNION / INTERSECT / EXCEPT of two queries.
    case setOperation(SetOperationPlan)
}

extension PlanSource {
    /// The stream (or system table) a continuous query reads: the relation itself, or the stream side of a
    /// stream–table join (the stream is on the left, so its columns keep their positions).
    public var continuousStream: RelationDescriptor? {
        switch self {
        case .relation(let r) where r.kind == .stream || r.kind == .systemTable: return r
        case .join(let j):
            if case .relation(let r) = j.left, r.kind == .stream { return r }
            return nil
        default: return nil
        }
    }
}

/// Where a continuous query starts reading (SELECT STREAM … START AT).
public enum StreamStartPlan: Sendable {
    case latest
    case trimHorizon
    case timestamp(BoundExpression)
    /// `[AFTER] SEQUENCE '…'`: the decimal sequence number as written.
    case sequence(String, after: Bool)
}

/// A tumbling window over ROWTIME in a continuous query's GROUP BY
/// (`STEP(s.ROWTIME BY INTERVAL '10' SECOND)` or `FLOOR(s.ROWTIME TO MINUTE)`):
/// group key `keyIndex` is the window's start; a window [start, start + size)
/// closes, and emits one row per group, when the stream's time passes its end.
public struct TumblingWindowPlan: Sendable {
    public var keyIndex: Int
    public var sizeMicros: Int64
    public init(keyIndex: Int, sizeMicros: Int64) {
        self.keyIndex = keyIndex
        self.sizeMicros = sizeMicros
    }
}

/// GROUP BY keys and the aggregates computed per group. After grouping a
/// row is `keys ++ aggregate results`.
public struct Grouping: Sendable {
    public var keys: [BoundExpression]
    public var aggregates: [AggregateCall]
    public init(keys: [BoundExpression], aggregates: [AggregateCall]) {
        self.keys = keys
        self.aggregates = aggregates
    }
}

public struct SortKey: Sendable {
    /// Index into the projected row.
    public var column: Int
    public var ascending: Bool
    public var nullsFirst: Bool
    public init(column: Int, ascending: Bool, nullsFirst: Bool) {
        self.column = column
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }
}

public struct OutputColumn: Sendable {
    public var name: String
    public var type: DataType
    public var tableOID: UInt32
    public var columnNumber: Int16
    /// The column is an untyped literal (`NULL`, `'abc'`) that was given type text only for
    /// lack of context; a set operation resolves it to the other side's type instead (as PostgreSQL).
    public var untypedLiteral = false
    public init(name: String, type: DataType, tableOID: UInt32 = 0, columnNumber: Int16 = 0) {
        self.name = name
        self.type = type
        self.tableOID = tableOID
        self.columnNumber = columnNumber
    }
}

/// The plan of a bounded query, as plain data:
/// source → filter → [grouping → having] → [window functions] → projections → distinct → sort → offset/limit.
/// Projections may carry hidden trailing columns used only for sorting; they are
/// dropped after the sort (`outputColumns.count` are visible).
public struct QueryPlan: Sendable {
    public var source: PlanSource
    public var filter: BoundExpression?
    public var grouping: Grouping?
    public var having: BoundExpression?
    public var projections: [BoundExpression]
    public var outputColumns: [OutputColumn]
    public var distinct: Bool
    public var orderBy: [SortKey]
    public var limit: BoundExpression?
    public var offset: BoundExpression?
    /// SELECT STREAM: a continuous query over rows as they arrive.
    public var isStream: Bool
    /// For SELECT STREAM: where reading starts.
    public var startAt: StreamStartPlan = .latest
    /// For SELECT STREAM … GROUP BY: the tumbling window.
    public var window: TumblingWindowPlan?
    /// For a bounded SELECT with window functions (OVER): evaluated after HAVING, before the projections.
    public var windowFunctions: WindowFunctionPlan?
    /// For SELECT STREAM with window functions (OVER): the sliding windows.
    public var slidingWindow: SlidingWindowPlan?
    /// For SELECT STREAM over two streams joined within windows (`source` is then its `.join`).
    public var streamJoin: StreamJoinPlan?
    /// For SELECT STREAM … GROUP BY: an event-time, hopping or session window (instead of `window`).
    public var groupWindow: GroupWindowPlan?
    /// For SELECT STREAM … WINDOWED BY STAGGER (then `grouping` holds the PARTITION BY keys).
    public var stagger: StaggerWindowPlan?
    /// For SELECT STREAM … ORDER BY: how `orderBy` is applied to a stream.
    public var streamSort: StreamSortPlan?
    /// For SELECT STREAM … FROM TABLE(f(CURSOR(…))): the cursor and the analytic function
    /// (then `source` is the cursor's stream and `filter`/`projections` read the function's rows).
    public var tableFunction: TableFunctionPlan?
    /// Subqueries of this query's expressions, run before it.
    public var subqueries: [SubqueryPlan] = []
    public init(source: PlanSource, filter: BoundExpression? = nil, grouping: Grouping? = nil, having: BoundExpression? = nil,
                projections: [BoundExpression], outputColumns: [OutputColumn], distinct: Bool = false,
                orderBy: [SortKey] = [], limit: BoundExpression? = nil, offset: BoundExpression? = nil, isStream: Bool = false) {
        self.source = source
        self.filter = filter
        self.grouping = grouping
        self.having = having
        self.projections = projections
        self.outputColumns = outputColumns
        self.distinct = distinct
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.isStream = isStream
    }
}
