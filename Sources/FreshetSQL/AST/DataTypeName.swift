/// A type as written in SQL, before the planner maps it to a DataType:
/// `VARCHAR(64)`, `DECIMAL(10, 2)`, `DOUBLE PRECISION`, `TIMESTAMP`,
/// `INTERVAL DAY TO SECOND`. `name` is canonical upper case with multi-word
/// names joined by one space ("DOUBLE PRECISION", "CHARACTER VARYING").
public struct DataTypeName: Hashable, Sendable {
    public var name: String
    public var arguments: [Int]
    public var intervalQualifier: IntervalQualifier?
    public var span: SourceSpan
    public init(name: String, arguments: [Int] = [], intervalQualifier: IntervalQualifier? = nil, span: SourceSpan = .empty) {
        self.name = name
        self.arguments = arguments
        self.intervalQualifier = intervalQualifier
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
