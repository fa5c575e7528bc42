/// A name as written, folded the PostgreSQL way: unquoted identifiers are
/// lower-cased, `"Quoted"` ones keep their case.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public var value: String
    public var quoted: Bool
    public var span: SourceSpan
    public init(_ value: String, quoted: Bool = false, span: SourceSpan = .empty) {
        self.value = value
        self.quoted = quoted
        self.span = span
    }
    public var description: String { value }
}

/// A possibly qualified name: `clicks`, `sys.streams`, `c.user_id`.
public struct ObjectName: Hashable, Sendable, CustomStringConvertible {
    public var parts: [Identifier]
    public init(_ parts: [Identifier]) { self.parts = parts }
    public var last: Identifier { parts[parts.count - 1] }
    public var span: SourceSpan {
        guard let f = parts.first, let l = parts.last else { return .empty }
        return f.span.union(l.span)
    }
    public var description: String { parts.map(\.value).joined(separator: ".") }
}
