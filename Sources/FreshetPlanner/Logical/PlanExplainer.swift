import FreshetCore

/// Renders a plan as PostgreSQL-style EXPLAIN lines: the root node first,
/// each child on its own line under `->`, indented by depth; details of a
/// node on indented lines below it. Columns are named as their input
/// relation names them (`trades.ticker`), or `$n` where no name exists.
public struct PlanExplainer {
    public var lines: [String] = []

    public init() {}

    /// The EXPLAIN lines of a query.
    public static func explain(_ plan: QueryPlan) -> [String] {
        var e = PlanExplainer()
        e.query(plan, depth: 0)
        return e.lines
    }

    /// Lines for a node at `depth` (0: the root).
    public mutating func node(_ text: String, depth: Int) {
        if depth == 0 { lines.append(text) } else {
            lines.append(String(repeating: " ", count: 6 * depth - 4) + "->  " + text)
        }
    }

    public mutating func detail(_ text: String, depth: Int) {
        lines.append(String(repeating: " ", count: depth == 0 ? 2 : 6 * depth + 2) + text)
    }

    /// One query level: limit → sort → distinct → project → having → aggregate → filter → source,
    /// printing only the stages the plan has (as PostgreSQL does).
    public mutating func query(_ plan: QueryPlan, depth: Int) {
        var d = depth
        var input = PlanExplainer.columnNames(plan.source)
        if plan.streamJoin != nil { input.append("ROWTIME") }   // a join of two streams appends the joined ROWTIME
        let grouped: [String]? = plan.grouping.map { g in
            g.keys.map { PlanExplainer.render($0, input) } + g.aggregates.map { PlanExplainer.render(aggregate: $0, input) }
        }
        let windowInput = grouped ?? input
        // Window function results follow the row the window operator reads.
        let windowCalls: [String] = plan.windowFunctions.map { w in
            w.calls.map { c in
                let name = c.aggregate.map { $0.function == .countStar ? "count(*)" : $0.function.rawValue } ?? c.function.rawValue
                let args = c.aggregate?.function == .countStar ? "" : c.arguments.map { PlanExplainer.render($0, windowInput) }.joined(separator: ", ")
                return "\(name.hasSuffix("(*)") ? name : "\(name)(\(args))") OVER w\(c.window + 1)"
            }
        } ?? []
        let projected = windowInput + windowCalls
        let outputs = plan.projections.map { PlanExplainer.render($0, projected) }
        if plan.isStream {
            node("Continuous Query (SELECT STREAM, start: \(PlanExplainer.describe(plan.startAt)))", depth: d)
            d += 1
        }
        if plan.limit != nil || plan.offset != nil {
            node("Limit", depth: d)
            if let l = plan.limit { detail("Count: \(PlanExplainer.render(l, []))", depth: d) }
            if let o = plan.offset { detail("Offset: \(PlanExplainer.render(o, []))", depth: d) }
            d += 1
        }
        if !plan.orderBy.isEmpty {
            node("Sort", depth: d)
            let keys = plan.orderBy.map { k -> String in
                let name = k.column < outputs.count ? outputs[k.column] : "$\(k.column + 1)"
                return name + (k.ascending ? "" : " DESC") + (k.nullsFirst == !k.ascending ? "" : (k.nullsFirst ? " NULLS FIRST" : " NULLS LAST"))
            }
            detail("Sort Key: \(keys.joined(separator: ", "))", depth: d)
            d += 1
        }
        if plan.distinct {
            node("Distinct", depth: d)
            d += 1
        }
        node("Project", depth: d)
        detail("Output: \(outputs.prefix(plan.outputColumns.count).joined(separator: ", "))", depth: d)
        d += 1
        if let s = plan.slidingWindow {
            node("Sliding Window (\(s.windows.count) window\(s.windows.count == 1 ? "" : "s"), \(s.calls.count) function\(s.calls.count == 1 ? "" : "s"))", depth: d)
            d += 1
        }
        if let w = plan.windowFunctions {
            node("WindowAgg", depth: d)
            for (i, def) in w.windows.enumerated() {
                var parts: [String] = []
                if !def.partitionBy.isEmpty {
                    parts.append("PARTITION BY " + def.partitionBy.map { PlanExplainer.render($0, windowInput) }.joined(separator: ", "))
                }
                if !def.orderBy.isEmpty {
                    parts.append("ORDER BY " + def.orderBy.map { PlanExplainer.render($0.expression, windowInput) + ($0.ascending ? "" : " DESC") }
                        .joined(separator: ", "))
                }
                detail("Window: w\(i + 1) AS (\(parts.joined(separator: " ")))", depth: d)
            }
            detail("Functions: \(windowCalls.joined(separator: ", "))", depth: d)
            d += 1
        }
        if let h = plan.having {
            node("Filter (HAVING)", depth: d)
            detail("Filter: \(PlanExplainer.render(h, projected))", depth: d)
            d += 1
        }
        if let g = plan.grouping {
            if let w = plan.window {
                node("Tumbling Window Aggregate (\(w.sizeMicros / 1_000_000) s over ROWTIME)", depth: d)
            } else {
                node(g.keys.isEmpty ? "Aggregate" : "Hash Aggregate", depth: d)
            }
            if !g.keys.isEmpty { detail("Group Key: \(g.keys.map { PlanExplainer.render($0, input) }.joined(separator: ", "))", depth: d) }
            if !g.aggregates.isEmpty { detail("Aggregates: \(g.aggregates.map { PlanExplainer.render(aggregate: $0, input) }.joined(separator: ", "))", depth: d) }
            d += 1
        }
        if let f = plan.filter {
            node("Filter", depth: d)
            detail("Filter: \(PlanExplainer.render(f, input))", depth: d)
            d += 1
        }
        source(plan.source, depth: d, continuous: plan.isStream, streamJoin: plan.streamJoin)
        for s in plan.subqueries {
            detail("SubPlan \(s.id + 1)", depth: depth)
            query(s.query, depth: depth + 1)
        }
    }

    public mutating func source(_ s: PlanSource, depth: Int, continuous: Bool = false, streamJoin: StreamJoinPlan? = nil) {
        switch s {
        case .singleRow:
            node("Result (one row)", depth: depth)
        case .values(let rows):
            node("Values Scan (\(rows.count) row\(rows.count == 1 ? "" : "s"))", depth: depth)
        case .relation(let r):
            let what: String
            switch r.kind {
            case .stream: what = "Stream Scan"
            case .table: what = "Table Scan"
            case .systemTable: what = "System Table Scan"
            }
            node("\(what) on \(r.schemaName == "public" ? "" : r.schemaName + ".")\(r.name)\(r.alias.map { " \($0)" } ?? "")", depth: depth)
        case .subquery(let q):
            node("Subquery Scan", depth: depth)
            query(q, depth: depth + 1)
        case .join(let j):
            let left = PlanExplainer.columnNames(j.left), right = PlanExplainer.columnNames(j.right)
            if let sj = streamJoin {
                func window(_ i: StreamJoinPlan.Input) -> String {
                    i.windowMicros.map { "\(i.relation.alias ?? i.relation.name) \(PlanExplainer.describeDuration($0))" }
                        ?? "\(i.relation.alias ?? i.relation.name) current row"
                }
                node("Stream–Stream \(j.kind.rawValue) Join (\(j.leftKeys.isEmpty ? "nested loop" : "hashed") within windows: \(window(sj.left)), \(window(sj.right)))",
                     depth: depth)
                let conds = zip(j.leftKeys, j.rightKeys).map { "\(PlanExplainer.render($0, left)) = \(PlanExplainer.render($1, right))" }
                if !conds.isEmpty { detail("Hash Cond: \(conds.joined(separator: " AND "))", depth: depth) }
            } else if continuous {
                node("Stream–Table \(j.kind.rawValue) Join (\(j.leftKeys.isEmpty ? "each row against the table" : "table hashed once per table version"))",
                     depth: depth)
                let conds = zip(j.leftKeys, j.rightKeys).map { "\(PlanExplainer.render($0, left)) = \(PlanExplainer.render($1, right))" }
                if !conds.isEmpty { detail("Hash Cond: \(conds.joined(separator: " AND "))", depth: depth) }
            } else if j.leftKeys.isEmpty {
                node("Nested Loop \(j.kind == .cross ? "" : j.kind.rawValue + " ")Join", depth: depth)
            } else {
                node("Hash \(j.kind.rawValue) Join (hash table on the smaller input)", depth: depth)
                let conds = zip(j.leftKeys, j.rightKeys).map { "\(PlanExplainer.render($0, left)) = \(PlanExplainer.render($1, right))" }
                detail("Hash Cond: \(conds.joined(separator: " AND "))", depth: depth)
            }
            if let r = j.residual { detail("Join Filter: \(PlanExplainer.render(r, left + right))", depth: depth) }
            source(j.left, depth: depth + 1)
            source(j.right, depth: depth + 1)
        case .setOperation(let s):
            node("\(s.op.rawValue)\(s.all ? " All" : "")", depth: depth)
            query(s.left, depth: depth + 1)
            query(s.right, depth: depth + 1)
        }
    }

    /// Names of a source's row columns.
    public static func columnNames(_ s: PlanSource) -> [String] {
        switch s {
        case .singleRow: return []
        case .values(let rows): return (rows.first ?? []).indices.map { "column\($0 + 1)" }
        case .relation(let r): return r.columns.map { "\(r.alias ?? r.name).\($0.name)" }
        case .subquery(let q): return q.outputColumns.map(\.name)
        case .join(let j):
            let base = columnNames(j.left) + columnNames(j.right)
            return base + j.merged.map { render($0, base) }
        case .setOperation(let s): return s.left.outputColumns.map(\.name)
        }
    }

    /// A window width for EXPLAIN: `1 hour`, `90 seconds`, `1500 ms`.
    static func describeDuration(_ micros: Int64) -> String {
        let units: [(Int64, String)] = [(86_400_000_000, "day"), (3_600_000_000, "hour"), (60_000_000, "minute"), (1_000_000, "second")]
        for (size, name) in units where micros >= size && micros % size == 0 {
            let n = micros / size
            return "\(n) \(name)\(n == 1 ? "" : "s")"
        }
        return micros % 1000 == 0 ? "\(micros / 1000) ms" : "\(micros) µs"
    }

    static func describe(_ s: StreamStartPlan) -> String {
        switch s {
        case .latest: return "LATEST"
        case .trimHorizon: return "TRIM_HORIZON"
        case .timestamp(let e): return "TIMESTAMP \(render(e, []))"
        case let .sequence(seq, after): return "\(after ? "AFTER " : "")SEQUENCE '\(seq)'"
        }
    }

    static func render(aggregate a: AggregateCall, _ names: [String]) -> String {
        if a.function == .countStar { return "count(*)" }
        return "\(a.function.rawValue)(\(a.distinct ? "DISTINCT " : "")\(a.argument.map { render($0, names) } ?? ""))"
    }

    /// An expression as SQL-like text.
    public static func render(_ e: BoundExpression, _ names: [String]) -> String {
        func r(_ x: BoundExpression) -> String { render(x, names) }
        switch e {
        case let .literal(v, t):
            if v.isNull { return "NULL" }
            let text = v.pgText(as: t)
            switch v {
            case .int, .double, .decimal, .bool: return text
            default: return "'\(text.replacingOccurrences(of: "'", with: "''"))'"
            }
        case let .column(i, _): return i < names.count ? names[i] : "$\(i + 1)"
        case let .parameter(i, _): return "$\(i + 1)"
        case let .unary(_, x, _): return "(- \(r(x)))"
        case let .binary(op, a, b, _):
            let symbol: String
            switch op {
            case .add: symbol = "+"
            case .subtract: symbol = "-"
            case .multiply: symbol = "*"
            case .divide: symbol = "/"
            case .modulo: symbol = "%"
            case .power: symbol = "^"
            case .concat: symbol = "||"
            case .equal: symbol = "="
            case .notEqual: symbol = "<>"
            case .less: symbol = "<"
            case .lessOrEqual: symbol = "<="
            case .greater: symbol = ">"
            case .greaterOrEqual: symbol = ">="
            case .isDistinctFrom: symbol = "IS DISTINCT FROM"
            case .isNotDistinctFrom: symbol = "IS NOT DISTINCT FROM"
            case let .regexMatch(ci, negated): symbol = (negated ? "!~" : "~") + (ci ? "*" : "")
            }
            return "(\(r(a)) \(symbol) \(r(b)))"
        case let .and(xs): return "(" + xs.map(r).joined(separator: " AND ") + ")"
        case let .or(xs): return "(" + xs.map(r).joined(separator: " OR ") + ")"
        case let .not(x): return "(NOT \(r(x)))"
        case let .cast(x, _, to, _): return "\(r(x))::\(to.sqlName)"
        case let .isNull(x, negated): return "(\(r(x)) IS \(negated ? "NOT " : "")NULL)"
        case let .isBoolean(x, v, negated):
            return "(\(r(x)) IS \(negated ? "NOT " : "")\(v.map { $0 ? "TRUE" : "FALSE" } ?? "UNKNOWN"))"
        case let .caseWhen(branches, elseResult, _):
            return "CASE " + branches.map { "WHEN \(r($0.0)) THEN \(r($0.1))" }.joined(separator: " ")
                + (elseResult.map { " ELSE \(r($0))" } ?? "") + " END"
        case let .inList(x, items, negated): return "(\(r(x)) \(negated ? "NOT " : "")IN (\(items.map(r).joined(separator: ", "))))"
        case let .like(x, p, ci, negated): return "(\(r(x)) \(negated ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(r(p)))"
        case let .function(f, args, _): return "\(f.rawValue)(\(args.map(r).joined(separator: ", ")))"
        case let .aggregate(i, _): return i < names.count ? names[i] : "agg\(i + 1)"
        case let .outerColumn(level, i, _): return "outer\(level > 1 ? "\(level)" : "").$\(i + 1)"
        case let .subquery(test, operand, _):
            let sub = "(SubPlan \(test.id + 1))"
            switch test.kind {
            case .exists: return "EXISTS\(sub)"
            case .scalar: return sub
            case .any(let op): return "(\(operand.map(r) ?? "?") \(render(.binary(op, .literal(.null, .unknown), .literal(.null, .unknown), .boolean), []).split(separator: " ")[1]) ANY \(sub))"
            case .all(let op): return "(\(operand.map(r) ?? "?") \(render(.binary(op, .literal(.null, .unknown), .literal(.null, .unknown), .boolean), []).split(separator: " ")[1]) ALL \(sub))"
            }
        }
    }
}
