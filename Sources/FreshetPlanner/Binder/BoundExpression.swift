import FreshetCore

/// A name-resolved, type-checked expression: the plan's form of an
/// expression, plain data shared with the runtime (which compiles it).
public indirect enum BoundExpression: Sendable {
    case literal(Value, DataType)
    /// Column `index` of the input row.
    case column(Int, DataType)
    /// Parameter `$n` (0-based index here).
    case parameter(Int, DataType)
    case unary(UnaryOp, BoundExpression, DataType)
    case binary(BinaryOp, BoundExpression, BoundExpression, DataType)
    case and([BoundExpression])
    case or([BoundExpression])
    case not(BoundExpression)
    /// `explicit`: CAST/:: semantics (a too-long string is cut); false: assignment (22001).
    case cast(BoundExpression, from: DataType, to: DataType, explicit: Bool)
    case isNull(BoundExpression, negated: Bool)
    case isBoolean(BoundExpression, value: Bool?, negated: Bool)
    case caseWhen([(BoundExpression, BoundExpression)], elseResult: BoundExpression?, DataType)
    case inList(BoundExpression, [BoundExpression], negated: Bool)
    case like(BoundExpression, pattern: BoundExpression, caseInsensitive: Bool, negated: Bool)
    case function(ScalarFunction, [BoundExpression], DataType)
    /// Result of aggregate number `index` (after grouping).
    case aggregate(Int, DataType)
    /// A subquery's result used as a value (scalar), a test (EXISTS) or a comparison
    /// of `operand` with its rows (IN, ANY, ALL).
    case subquery(SubqueryTest, operand: BoundExpression?, DataType)
    /// Column `index` of the current row of the query `level` levels out (1: the query
    /// right around this subquery), in a correlated subquery.
    case outerColumn(level: Int, Int, DataType)

    public var type: DataType {
        switch self {
        case let .literal(_, t), let .column(_, t), let .parameter(_, t), let .unary(_, _, t),
             let .binary(_, _, _, t), let .caseWhen(_, _, t), let .function(_, _, t), let .aggregate(_, t), let .subquery(_, _, t),
             let .outerColumn(_, _, t):
            return t
        case .and, .or, .not, .isNull, .isBoolean, .inList, .like: return .boolean
        case let .cast(_, _, to, _): return to
        }
    }
}

public enum UnaryOp: Hashable, Sendable { case negate }

public enum BinaryOp: Hashable, Sendable {
    case add, subtract, multiply, divide, modulo, power, concat
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    case isDistinctFrom, isNotDistinctFrom
    case regexMatch(caseInsensitive: Bool, negated: Bool)
}

/// Scalar functions known to the planner.
public enum ScalarFunction: String, Sendable, CaseIterable {
    case lower, upper, length, charLength = "char_length", abs, coalesce, nullif, now, round, floor, ceil
    case substring, position, trim, ltrim, rtrim, concat, replace, mod, sqrt, power, exp, ln, log10
    case greatest, least, currentTimestamp = "current_timestamp", version, currentDatabase = "current_database"
    case currentUser = "current_user", currentSchema = "current_schema", floorTo = "floor_to", ceilTo = "ceil_to"
    case extract
    /// STEP(x BY width): x rounded down to a multiple of width (timestamps: of an interval since the epoch).
    case stepBy = "step"
    // String functions (Binder+Functions.swift lists their signatures).
    case overlay, initcap, left, right, repeatText = "repeat", reverse, lpad, rpad, splitPart = "split_part"
    /// REGEX_REPLACE(s, regex, replacement, startPosition, occurrence) — KDA, Java replaceAll semantics.
    case regexReplace = "regex_replace"
    /// `s LIKE pattern ESCAPE e` (args: s, pattern, escape; case-insensitive variant for ILIKE).
    case likeEscape = "like_escape", ilikeEscape = "ilike_escape"
    /// `s SIMILAR TO pattern [ESCAPE e]` (SQL regular expressions).
    case similarTo = "similar_to"
    // Numeric.
    case sign
    // Time.
    /// The clock at the moment each row is evaluated (KDA CURRENT_ROW_TIMESTAMP).
    case currentRowTimestamp = "current_row_timestamp"
    case currentDate = "current_date"
    /// TSDIFF(start, end): end − start in milliseconds (KDA).
    case tsdiff
    /// UNIX_TIMESTAMP(ts): milliseconds since 1970 as BIGINT (KDA).
    case unixTimestamp = "unix_timestamp"
    /// TO_TIMESTAMP(ms): the timestamp that many milliseconds after 1970 (KDA).
    case toTimestamp = "to_timestamp"
    /// CHAR_TO_TIMESTAMP(format, text) with a Java SimpleDateFormat pattern (KDA).
    case charToTimestamp = "char_to_timestamp"
    /// TIMESTAMP_TO_CHAR(format, ts) with a Java SimpleDateFormat pattern (KDA).
    case timestampToChar = "timestamp_to_char"
    /// json_value(text, path): the scalar at a JSONPath subset ($.a.b, $.a[0], $['a']), as text.
    case jsonValue = "json_value"
    /// One field of a row-valued log-parsing call (LogParseSpec): args are the input text, the
    /// function name, its constant arguments, and the field's index, all but the first literals.
    case logParse = "log_parse"
}

/// An aggregate call: function, argument, DISTINCT.
public struct AggregateCall: Sendable {
    public enum Function: String, Sendable {
        case count, countStar = "count(*)", sum, avg, min, max
        case stddevPop = "stddev_pop", stddevSamp = "stddev_samp", varPop = "var_pop", varSamp = "var_samp"
        /// The first / last non-null value in arrival order (KDA FIRST_VALUE / LAST_VALUE in GROUP BY).
        case firstValue = "first_value", lastValue = "last_value"
        /// ANY / SOME / BOOL_OR and EVERY / BOOL_AND over booleans.
        case any, every
        /// APPROX_COUNT_DISTINCT: HyperLogLog, about 0.8 % standard error.
        case approxCountDistinct = "approx_count_distinct"
        /// APPROX_PERCENTILE(x, p): the p-quantile (0 ≤ p ≤ 1) of the group's non-null values,
        /// interpolated between closest ranks like PERCENTILE_CONT (exact over the group).
        case approxPercentile = "approx_percentile"
    }
    public var function: Function
    public var argument: BoundExpression?
    public var distinct: Bool
    public var resultType: DataType
    /// APPROX_PERCENTILE's fraction (a constant between 0 and 1); nil for the others.
    public var fraction: Double?
    public init(function: Function, argument: BoundExpression?, distinct: Bool, resultType: DataType) {
        self.function = function
        self.argument = argument
        self.distinct = distinct
        self.resultType = resultType
    }
}
