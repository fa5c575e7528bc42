import FreshetCore
import FreshetPlanner

/// Runs a bounded join (`JoinPlan`) over two materialised inputs and pushes
/// the joined rows (left ++ right ++ merged USING columns) in batches.
///
/// With equi-keys it is a hash join: the hash table is built on the smaller
/// input, keyed by the typed key values (`[Value]`, both sides already cast
/// to one type by the binder), and the other input probes it. Without keys
/// it is a nested loop. The residual condition is checked on each candidate
/// pair. Outer joins remember which rows matched and emit the others padded
/// with NULLs: unmatched probe rows as they are probed, unmatched build rows
/// at the end.
public struct JoinExecutor {
    let plan: JoinPlan
    let leftKeys: [CompiledExpression]
    let rightKeys: [CompiledExpression]
    let residual: CompiledExpression?
    let merged: [CompiledExpression]
    static let batchSize = 4096

    public init(plan: JoinPlan, compiler: ExpressionCompiler) throws {
        self.plan = plan
        leftKeys = try plan.leftKeys.map(compiler.compile)
        rightKeys = try plan.rightKeys.map(compiler.compile)
        residual = try plan.residual.map(compiler.compile)
        merged = try plan.merged.map(compiler.compile)
    }

    public func run(left: [Row], right: [Row], into next: RowSink) throws {
        let preserveLeft = plan.kind == .left || plan.kind == .full
        let preserveRight = plan.kind == .right || plan.kind == .full
        let nullLeft = Row(repeating: .null, count: plan.leftWidth)
        let nullRight = Row(repeating: .null, count: plan.rightWidth)
        var out: [Row] = []
        out.reserveCapacity(JoinExecutor.batchSize)
        func emit(_ l: Row, _ r: Row) throws {
            var row = l
            row.reserveCapacity(plan.width)
            row.append(contentsOf: r)
            if !merged.isEmpty {
                let base = row
                for m in merged { row.append(try m(base)) }
            }
            out.append(row)
            if out.count >= JoinExecutor.batchSize {
                try next.push(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        func matches(_ l: Row, _ r: Row) throws -> Bool {
            guard let residual else { return true }
            var row = l
            row.append(contentsOf: r)
            if case .bool(true) = try residual(row) { return true }
            return false
        }

        if leftKeys.isEmpty {
            // Nested loop.
            var rightMatched = [Bool](repeating: false, count: preserveRight ? right.count : 0)
            for l in left {
                var matched = false
                for (j, r) in right.enumerated() where try matches(l, r) {
                    matched = true
                    if preserveRight { rightMatched[j] = true }
                    try emit(l, r)
                }
                if !matched && preserveLeft { try emit(l, nullRight) }
            }
            if preserveRight {
                for (j, r) in right.enumerated() where !rightMatched[j] { try emit(nullLeft, r) }
            }
        } else {
            // Hash join: build on the smaller input.
            let buildLeft = left.count < right.count
            let build = buildLeft ? left : right
            let probe = buildLeft ? right : left
            let buildKeys = buildLeft ? leftKeys : rightKeys
            let probeKeys = buildLeft ? rightKeys : leftKeys
            let preserveBuild = buildLeft ? preserveLeft : preserveRight
            let preserveProbe = buildLeft ? preserveRight : preserveLeft
            var table: [[Value]: [Int]] = [:]
            table.reserveCapacity(build.count)
            var key: [Value] = []
            key.reserveCapacity(buildKeys.count)
            build: for (i, r) in build.enumerated() {
                key.removeAll(keepingCapacity: true)
                for k in buildKeys {
                    let v = try k(r)
                    if v.isNull { continue build }   // a NULL key matches nothing
                    key.append(v)
                }
                table[key, default: []].append(i)
            }
            var buildMatched = [Bool](repeating: false, count: preserveBuild ? build.count : 0)
            probe: for p in probe {
                key.removeAll(keepingCapacity: true)
                var hasNull = false
                for k in probeKeys {
                    let v = try k(p)
                    if v.isNull { hasNull = true; break }
                    key.append(v)
                }
                var matched = false
                if !hasNull, let candidates = table[key] {
                    for i in candidates {
                        let b = build[i]
                        let (l, r) = buildLeft ? (b, p) : (p, b)
                        guard try matches(l, r) else { continue }
                        matched = true
                        if preserveBuild { buildMatched[i] = true }
                        try emit(l, r)
                    }
                }
                if !matched && preserveProbe {
                    if buildLeft { try emit(nullLeft, p) } else { try emit(p, nullRight) }
                }
            }
            if preserveBuild {
                for (i, b) in build.enumerated() where !buildMatched[i] {
                    if buildLeft { try emit(b, nullRight) } else { try emit(nullLeft, b) }
                }
            }
        }
        if !out.isEmpty { try next.push(out) }
    }
}
