import FreshetCore
import FreshetSQL

/// Resolves names and types of one statement against the catalog, producing
/// plain-data plans. One Binder per statement: it collects the types of the
/// `$n` parameters as it meets them.
public final class Binder {
    let catalog: CatalogReader
    /// Parameter types: given by the client, or inferred from use (nil until known).
    public private(set) var parameterTypes: [DataType?]
    /// While a SELECT STREAM is bound: its window functions (OVER) and WINDOW clauses.
    var windowing: WindowingContext?
    /// While a bounded SELECT is bound: its window functions (OVER) and WINDOW clauses (nil for SELECT STREAM).
    var windowFunctions: WindowFunctionContext?
    /// While the query level being bound is a SELECT STREAM joining two streams (no window functions there).
    var inStreamJoin = false
    /// User functions being inlined (outermost first): a call to one of them again is recursion.
    var inliningFunctions: [String] = []
    /// The function a CREATE FUNCTION is defining, visible to its own body (to refuse recursion).
    var definingFunction: FunctionDescriptor?
    /// WITH queries visible where the binder is, innermost frame last.
    var cteFrames: [[CTEBinding]] = []
    /// Subqueries of expressions met while binding each enclosing query level, innermost last.
    var subqueryFrames: [[SubqueryPlan]] = []
    /// The enclosing queries while a subquery is bound, innermost last (correlated references).
    var outerLevels: [OuterLevel] = []
    /// While a FROM clause is bound: the number of enclosing levels outside it. A FROM item is
    /// read once, so references from inside it to those levels are not supported.
    var fromBoundary = 0
    var nextSubqueryID = 0

    public init(catalog: CatalogReader, parameterTypes: [DataType?] = []) {
        self.catalog = catalog
        self.parameterTypes = parameterTypes
    }

    /// Parameter types with anything still unknown defaulted to text.
    public var resolvedParameterTypes: [DataType] {
        parameterTypes.map { t in
            if let t, t != .unknown { return t }
            return .text
        }
    }

    func noteParameter(_ index: Int, type: DataType?) -> DataType {
        while parameterTypes.count <= index { parameterTypes.append(nil) }
        if let existing = parameterTypes[index], existing != .unknown { return existing }
        if let type, type != .unknown {
            parameterTypes[index] = type
            return type
        }
        return .unknown
    }

    /// Resolve a relation name or fail with 42P01 and a suggestion.
    public func resolveRelation(_ name: ObjectName) throws -> RelationDescriptor {
        let parts = name.parts.map(\.value)
        if let r = catalog.relation(named: parts) { return r }
        var hint: String?
        let wanted = name.last.value
        var best: (String, Int)?
        for n in catalog.relationNames() {
            let d = editDistance(n, wanted)
            if d <= max(2, wanted.count / 3), best == nil || d < best!.1 { best = (n, d) }
        }
        if let best { hint = "Perhaps you meant to reference the relation \"\(best.0)\"." }
        throw PlanError.error(.undefinedTable, "relation \"\(name)\" does not exist", name.span, hint: hint)
    }
}
