/// A point in statement text. `offset` counts Unicode scalars from the start
/// (0-based); PostgreSQL's ErrorResponse position is `offset + 1`.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }
    public static let zero = SourceLocation(offset: 0, line: 1, column: 1)
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }
}

/// The half-open range of text a token or AST node came from.
///
/// Two spans always compare equal and hash alike, so that AST equality is
/// structural: `parse(print(parse(s))) == parse(s)` holds although the
/// printed text puts nodes at other offsets (the same choice as
/// sqlparser-rs's `AttachedToken`). Compare `start`/`end` to test positions.
public struct SourceSpan: Hashable, Sendable {
    public static func == (a: SourceSpan, b: SourceSpan) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
    public var start: SourceLocation
    public var end: SourceLocation
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }
    public static let empty = SourceSpan(start: .zero, end: .zero)
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
}
