import FreshetCore

/// Parameters of RANDOM_CUT_FOREST and RANDOM_CUT_FOREST_WITH_EXPLANATION
/// (Kinesis Data Analytics SQL reference; defaults as there).
public struct RandomCutForestParameters: Sendable, Equatable {
    /// Trees in the forest (1…1000, default 100).
    public var numberOfTrees: Int
    /// Points kept per tree (10…1000, default 256); rows score 0 until this many arrived.
    public var subSampleSize: Int
    /// How much recent rows are favoured: a row's chance to stay in a sample decays with
    /// exp(-age / timeDecay) (default 100000).
    public var timeDecay: Int
    /// How many consecutive rows form one point (1…30, default 1).
    public var shingleSize: Int
    /// RANDOM_CUT_FOREST_WITH_EXPLANATION: add ANOMALY_EXPLANATION.
    public var explanation: Bool
    /// WITH_EXPLANATION's withDirectionality: add DIRECTION and STRENGTH per column.
    public var directionality: Bool
    /// Seed of the forest's random cuts and sampling (fixed, so results are repeatable).
    public var seed: UInt64
    public init(numberOfTrees: Int = 100, subSampleSize: Int = 256, timeDecay: Int = 100_000, shingleSize: Int = 1,
                explanation: Bool = false, directionality: Bool = false, seed: UInt64 = 0x5EED_F0E5) {
        self.numberOfTrees = numberOfTrees
        self.subSampleSize = subSampleSize
        self.timeDecay = timeDecay
        self.shingleSize = shingleSize
        self.explanation = explanation
        self.directionality = directionality
        self.seed = seed
    }
}

/// Parameters of HOTSPOTS, in Kinesis Data Analytics' order: `HOTSPOTS(cursor, windowSize,
/// scanRadius, minimumDensity)`, all required (KDA's example: `1000, 0.2, 17`).
public struct HotspotsParameters: Sendable, Equatable {
    /// The rows considered: the last `windowSize` rows (100…1000).
    public var windowSize: Int
    /// The typical distance between a hotspot's point and its nearest neighbour, in the
    /// columns' units (DBSCAN's ε; > 0): the width of the cells the window is counted in.
    public var scanRadius: Double
    /// How many times denser than the window's average a region must be to be reported (> 0);
    /// HOTSPOTS_RESULT's `density` is on the same scale.
    public var minimumDensity: Double
    public init(windowSize: Int, scanRadius: Double, minimumDensity: Double) {
        self.windowSize = windowSize
        self.scanRadius = scanRadius
        self.minimumDensity = minimumDensity
    }
}

/// The analytic table function a `TABLE(f(CURSOR(…), …))` calls.
public enum AnalyticFunction: Sendable, Equatable {
    case randomCutForest(RandomCutForestParameters)
    case hotspots(HotspotsParameters)
    /// TOP_K_ITEMS_TUMBLING: the `k` most frequent values of cursor column `column` per window.
    case topKItems(column: Int, k: Int, windowMicros: Int64)
    /// COUNT_DISTINCT_ITEMS_TUMBLING: the number of distinct values of cursor column `column` per window.
    case countDistinctItems(column: Int, windowMicros: Int64)

    /// Whether the function emits per tumbling window (then its rows' ROWTIME is the window's end).
    public var isTumbling: Bool {
        switch self {
        case .topKItems, .countDistinctItems: return true
        case .randomCutForest, .hotspots: return false
        }
    }
}

/// `SELECT STREAM … FROM TABLE(f(CURSOR(SELECT STREAM … FROM s), args…))`: the cursor's
/// filter and projections over the stream's rows, then the analytic function. The
/// enclosing query (QueryPlan.filter/projections) reads the function's rows.
///
/// Row layouts:
/// - cursor row: `inputColumns` values, then the stream row's ROWTIME (hidden);
/// - function row: `outputColumns` values, then a ROWTIME (hidden) — the input row's for
///   RANDOM_CUT_FOREST and HOTSPOTS (cursor columns + the added ones), the window's end for
///   the tumbling functions (ITEM, ITEM_COUNT / NUMBER_OF_DISTINCT_ITEMS).
public struct TableFunctionPlan: Sendable {
    public var function: AnalyticFunction
    /// The cursor's WHERE, over the stream's row.
    public var inputFilter: BoundExpression?
    /// The cursor's select list, then ROWTIME, over the stream's row.
    public var inputProjections: [BoundExpression]
    /// The cursor's (visible) columns.
    public var inputColumns: [OutputColumn]
    /// Cursor columns used as the dimensions of a point (numeric columns; RANDOM_CUT_FOREST, HOTSPOTS).
    public var dimensions: [Int]
    /// The function's visible columns (the hidden ROWTIME follows them).
    public var outputColumns: [OutputColumn]
    public init(function: AnalyticFunction, inputFilter: BoundExpression?, inputProjections: [BoundExpression],
                inputColumns: [OutputColumn], dimensions: [Int], outputColumns: [OutputColumn]) {
        self.function = function
        self.inputFilter = inputFilter
        self.inputProjections = inputProjections
        self.inputColumns = inputColumns
        self.dimensions = dimensions
        self.outputColumns = outputColumns
    }
}
