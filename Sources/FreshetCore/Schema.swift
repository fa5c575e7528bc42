/// A named, typed column of a stream, table or result.
public struct Column: Hashable, Sendable {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    public init(name: String, type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// An ordered list of columns.
public struct Schema: Hashable, Sendable {
    public var columns: [Column]
    public init(_ columns: [Column]) { self.columns = columns }
    public var count: Int { columns.count }
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}
