import FreshetCore
import FreshetPlanner

/// UNION / INTERSECT / EXCEPT [ALL] over two materialised inputs whose rows
/// have the same column types. Rows are compared whole, NULL equal to NULL
/// (SQL's "not distinct" for set operations), by hashing the typed values.
/// Output order: left rows first, in input order (then right rows for UNION).
public enum SetOperationExecutor {
    public static func run(_ op: SetOperationPlan.Operator, all: Bool, left: [Row], right: [Row]) -> [Row] {
        switch (op, all) {
        case (.union, true):
            return left + right
        case (.union, false):
            var seen = Set<Row>()
            var out: [Row] = []
            for r in left where seen.insert(r).inserted { out.append(r) }
            for r in right where seen.insert(r).inserted { out.append(r) }
            return out
        case (.intersect, _), (.except, _):
            var counts: [Row: Int] = [:]
            for r in right { counts[r, default: 0] += 1 }
            var out: [Row] = []
            var emitted = Set<Row>()
            for r in left {
                let c = counts[r] ?? 0
                if op == .intersect {
                    if all {
                        if c > 0 { out.append(r); counts[r] = c - 1 }
                    } else if c > 0 && emitted.insert(r).inserted {
                        out.append(r)
                    }
                } else {
                    if all {
                        if c > 0 { counts[r] = c - 1 } else { out.append(r) }
                    } else if c == 0 && emitted.insert(r).inserted {
                        out.append(r)
                    }
                }
            }
            return out
        }
    }
}
