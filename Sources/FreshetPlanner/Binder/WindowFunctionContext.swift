import FreshetCore
import FreshetSQL

/// The window functions of one bounded SELECT while its expressions are bound:
/// the named windows (`WINDOW w AS (…)`), the distinct windows the calls use, the
/// calls, and where in the statement the binder is (PostgreSQL allows window
/// functions only in the select list and ORDER BY). A call's result is bound as
/// column `resultBase + i` until the width of the row the window operator reads
/// is known (a grouped row grows while aggregates are found); `bindSelect` then
/// moves the references to `inputWidth + i` (see WindowFunctionPlan).
final class WindowFunctionContext {
    /// Where call results are numbered from while the query level is bound.
    static let resultBase = 1 << 40
    /// Named windows as written (a window built on another has its base merged in).
    var named: [String: WindowSpecification] = [:]
    /// The clause being bound, where window functions are not allowed; nil in the select list and ORDER BY.
    var clause: String? = "JOIN conditions"
    /// True while a window function's arguments are bound (calls cannot nest).
    var insideCall = false
    /// True while an aggregate's argument is bound (an aggregate cannot contain a window function).
    var insideAggregate = false
    var windowKeys: [WindowKey] = []
    var windows: [WindowDefinition] = []
    var calls: [WindowCall] = []

    /// Two OVER clauses share a window when they partition, order and frame alike (as written).
    struct WindowKey: Equatable {
        var partitionBy: [Expression]
        var orderBy: [OrderByItem]
        var frame: WindowFrame?
    }

    /// The plan, once the row the operator reads is known to be `inputWidth` wide; nil without calls.
    func plan(inputWidth: Int) -> WindowFunctionPlan? {
        calls.isEmpty ? nil : WindowFunctionPlan(windows: windows, calls: calls, inputWidth: inputWidth)
    }

    /// `e` with the references to call results moved from `resultBase + i` to `inputWidth + i`.
    static func placeResults(_ e: BoundExpression, inputWidth: Int) -> BoundExpression {
        e.mapColumns { i, t in i >= resultBase ? .column(inputWidth + i - resultBase, t) : .column(i, t) }
    }
}
