import FreshetCore
import FreshetPlanner

/// OFFSET/LIMIT; also drops hidden sort columns (keeps the first `width`).
final class LimitOperator: RowSink {
    var toSkip: Int64
    var remaining: Int64?
    let width: Int?
    let next: RowSink
    init(offset: Int64, limit: Int64?, width: Int?, next: RowSink) {
        toSkip = offset
        remaining = limit
        self.width = width
        self.next = next
    }
    var isSatisfied: Bool { remaining == 0 }

    /// OFFSET/LIMIT of a plan (constant expressions, evaluated once), keeping its visible columns.
    convenience init(plan: QueryPlan, compiler: ExpressionCompiler, next: RowSink) throws {
        func constant(_ e: BoundExpression?) throws -> Int64? {
            guard let e else { return nil }
            switch try compiler.compile(e)([]) {
            case .int(let n):
                guard n >= 0 else { throw FreshetError(.invalidParameterValue, "LIMIT and OFFSET must not be negative") }
                return n
            case .null: return nil
            default: throw FreshetError(.datatypeMismatch, "LIMIT and OFFSET must be integers")
            }
        }
        self.init(offset: try constant(plan.offset) ?? 0, limit: try constant(plan.limit), width: plan.outputColumns.count, next: next)
    }
    func push(_ rows: [Row]) throws {
        var out: [Row] = []
        for r in rows {
            if toSkip > 0 { toSkip -= 1; continue }
            if let rem = remaining {
                if rem == 0 { break }
                remaining = rem - 1
            }
            if let width, r.count > width { out.append(Array(r.prefix(width))) } else { out.append(r) }
        }
        if !out.isEmpty { try next.push(out) }
    }
    func finish() throws { try next.finish() }
}
