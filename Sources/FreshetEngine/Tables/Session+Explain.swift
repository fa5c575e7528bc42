import FreshetCore
import FreshetPlanner
import FreshetSQL

extension Session {
    /// EXPLAIN statement: the plan of a query (SELECT or SELECT STREAM), INSERT, UPDATE or DELETE, one line a row.
    func explain(_ statement: Statement, analyze: Bool, binder: Binder) throws -> [String] {
        if analyze {
            throw FreshetError(.featureNotSupported, "EXPLAIN ANALYZE is not supported yet", position: statement.span.start.offset + 1)
        }
        switch statement.kind {
        case .query(let q):
            return PlanExplainer.explain(try binder.bindQuery(q))
        case .insert(let i):
            let plan = try binder.bindInsert(i)
            var e = PlanExplainer()
            e.node("Insert on \(plan.target.name)", depth: 0)
            switch plan.source {
            case .values(let rows): e.node("Values Scan (\(rows.count) row\(rows.count == 1 ? "" : "s"))", depth: 1)
            case .query(let q): e.query(q, depth: 1)
            }
            return e.lines
        case .update(let u):
            return modifyLines("Update", try binder.bindUpdate(u))
        case .delete(let d):
            return modifyLines("Delete", try binder.bindDelete(d))
        default:
            throw FreshetError(.featureNotSupported, "EXPLAIN shows queries, INSERT, UPDATE and DELETE; not this statement",
                               position: statement.span.start.offset + 1)
        }
    }

    private func modifyLines(_ verb: String, _ plan: ModifyPlan) -> [String] {
        var q = QueryPlan(source: .relation(plan.target), filter: plan.filter, projections: [], outputColumns: [])
        q.subqueries = plan.subqueries
        var e = PlanExplainer()
        e.node("\(verb) on \(plan.target.name)", depth: 0)
        if let f = plan.filter {
            e.node("Filter", depth: 1)
            e.detail("Filter: \(PlanExplainer.render(f, PlanExplainer.columnNames(q.source)))", depth: 1)
            e.source(q.source, depth: 2)
        } else {
            e.source(q.source, depth: 1)
        }
        for s in plan.subqueries {
            e.detail("SubPlan \(s.id + 1)", depth: 0)
            e.query(s.query, depth: 1)
        }
        return e.lines
    }
}
