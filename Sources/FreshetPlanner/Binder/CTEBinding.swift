import FreshetSQL

/// A WITH query as the binder keeps it: bound again at each reference (a
/// non-recursive CTE is the same as its query written in place), in the
/// scope of the WITH queries defined before it.
struct CTEBinding {
    var name: String
    var columns: [Identifier]
    var query: Query
    /// The WITH queries visible from this one's body (those before it, and enclosing ones).
    var environment: [[CTEBinding]]
}
