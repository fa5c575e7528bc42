import FreshetCore
import FreshetPlanner

extension StreamingPipeline {
    /// The input columns a continuous query over one stream reads — its WHERE, then its
    /// group keys, aggregate arguments and window time column, or (without GROUP BY) its
    /// select list — so its reader may leave the others unfilled (SystemColumnSelection:
    /// the per-row text system columns). nil when that is not known for the plan's shape
    /// (joins, table functions, OVER, stagger windows, ORDER BY, subqueries): read all.
    ///
    /// HAVING and, with GROUP BY, the select list read the grouped rows (keys, then
    /// aggregates), not the input, so they add nothing here.
    public static func inputColumns(of plan: QueryPlan) -> Set<Int>? {
        guard case .relation = plan.source, plan.streamJoin == nil, plan.tableFunction == nil, plan.slidingWindow == nil,
              plan.stagger == nil, plan.subqueries.isEmpty, plan.orderBy.isEmpty else { return nil }
        var columns = Set<Int>()
        if let f = plan.filter { columns.formUnion(f.referencedColumns) }
        if let g = plan.grouping {
            for k in g.keys { columns.formUnion(k.referencedColumns) }
            for a in g.aggregates { if let x = a.argument { columns.formUnion(x.referencedColumns) } }
            if let w = plan.groupWindow {
                columns.insert(w.timeColumn)
                if let e = w.eventTime { columns.insert(e.column) }
            }
        } else {
            for p in plan.projections { columns.formUnion(p.referencedColumns) }
        }
        return columns
    }
}
