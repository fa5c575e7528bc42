// SQL CAST between types. STUB: completed in the Core values task.

extension Value {
    /// CAST(self AS type), where self is a value of type `from`.
    public func cast(to type: DataType, from: DataType) throws -> Value {
        if case .null = self { return .null }
        if from == type { return self }
        switch (self, type) {
        case let (.string(s), _): return try Value.parse(pgText: Substring(s), as: type)
        case (_, .varchar), (_, .char): return .string(pgText(as: from))
        case let (.int(i), .double), let (.int(i), .real): return .double(Double(i))
        case (.int, _) where type.isInteger: return self
        case let (.double(d), _) where type.isInteger: return .int(Int64(d.rounded(.toNearestOrAwayFromZero)))
        default:
            throw FreshetError(.cannotCoerce, "cannot cast type \(from.sqlName) to \(type.sqlName)")
        }
    }
}
