// Ordering of values for ORDER BY, MIN/MAX, GROUP BY and comparisons.
// STUB SIGNATURES: bodies to be completed (see the Core values task).

extension Value {
    /// Total order for sorting: values of comparable kinds by value; NULL sorts
    /// after everything (PostgreSQL's default for ASC). Ints, doubles and decimals
    /// compare numerically with each other.
    public static func sortCompare(_ a: Value, _ b: Value) -> Int {
        fatalError("sortCompare not implemented")
    }
}
