/// A type as written in SQL, before the planner maps it to a DataType:
/// `VARCHAR(64)`, `DECIMAL(10, 2)`, `DOUBLE PRECISION`, `TIMESTAMP`,
/// `INTERVAL DAY TO SECOND`.
///
/// `name` is canonical: the parser maps each spelling to one name, so
/// `DOUBLE PRECISION`, `FLOAT8` and `FLOAT` are all "DOUBLE", `CHARACTER
/// VARYING(10)` is "VARCHAR" with arguments [10], `INT4` is "INTEGER".
/// The canonical names are BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL,
/// DOUBLE, DECIMAL, CHAR, VARCHAR, TEXT, BYTEA, DATE, TIME, TIMETZ, TIMESTAMP,
/// TIMESTAMPTZ, INTERVAL; any other type name is kept in upper case (JSON,
/// UUID, REGCLASS, …) for the planner to accept or refuse. The full table is
/// in Parser+DataType.swift.
public struct DataTypeName: Hashable, Sendable {
    public var name: String
    /// Length, precision and scale: `VARCHAR(64)` → [64], `DECIMAL(10, 2)` → [10, 2].
    public var arguments: [Int]
    public var intervalQualifier: IntervalQualifier?
    /// How many `[]` follow the name: `TEXT[]` → 1 (PostgreSQL array types,
    /// which psql's catalog queries use).
    public var arrayDimensions: Int
    public var span: SourceSpan
    public init(name: String, arguments: [Int] = [], intervalQualifier: IntervalQualifier? = nil,
                arrayDimensions: Int = 0, span: SourceSpan = .empty) {
        self.name = name
        self.arguments = arguments
        self.intervalQualifier = intervalQualifier
        self.arrayDimensions = arrayDimensions
        self.span = span
    }
}

/// The units of an interval literal or type: `DAY`, `DAY TO SECOND`, `MINUTE(3)`.
public struct IntervalQualifier: Hashable, Sendable {
    public enum Unit: String, Hashable, Sendable, CaseIterable {
        case year = "YEAR", month = "MONTH", day = "DAY", hour = "HOUR", minute = "MINUTE", second = "SECOND"
    }
    public var start: Unit
    public var startPrecision: Int?
    public var end: Unit?
    public var fractionalPrecision: Int?
    public init(start: Unit, startPrecision: Int? = nil, end: Unit? = nil, fractionalPrecision: Int? = nil) {
        self.start = start
        self.startPrecision = startPrecision
        self.end = end
        self.fractionalPrecision = fractionalPrecision
    }
}
