import FreshetCore
import FreshetPlanner

/// What both streaming join operators share: the compiled keys, residual and
/// USING columns of a `StreamJoinPlan`, and how a joined row is built
/// (left ++ right ++ merged ++ ROWTIME, see `StreamJoinPlan`).
struct StreamJoinRow {
    let leftKeys: [CompiledExpression]
    let rightKeys: [CompiledExpression]
    let residual: CompiledExpression?
    let merged: [CompiledExpression]
    let width: Int
    let nullLeft: Row
    let nullRight: Row

    init(plan: StreamJoinPlan, compiler: ExpressionCompiler) throws {
        let j = plan.join
        leftKeys = try j.leftKeys.map(compiler.compile)
        rightKeys = try j.rightKeys.map(compiler.compile)
        residual = try j.residual.map(compiler.compile)
        merged = try j.merged.map(compiler.compile)
        width = plan.width
        nullLeft = Row(repeating: .null, count: j.leftWidth)
        nullRight = Row(repeating: .null, count: j.rightWidth)
    }

    /// The key of a row under `keys` into `key` (reused); false when a part is NULL (it matches nothing).
    @inline(__always)
    static func key(_ row: Row, _ keys: [CompiledExpression], into key: inout [Value]) throws -> Bool {
        key.removeAll(keepingCapacity: true)
        for k in keys {
            let v = try k(row)
            if v.isNull { return false }
            key.append(v)
        }
        return true
    }

    /// `l ++ r` when the pair satisfies the residual condition (nil otherwise).
    @inline(__always)
    func pair(_ l: Row, _ r: Row) throws -> Row? {
        var row = l
        row.reserveCapacity(width)
        row.append(contentsOf: r)
        if let residual {
            guard case .bool(true) = try residual(row) else { return nil }
        }
        return row
    }

    /// Complete `l ++ r` into a joined row: the USING columns, then ROWTIME.
    @inline(__always)
    func finish(_ row: inout Row, rowtime: Int64) throws {
        if !merged.isEmpty {
            let base = row
            for m in merged { row.append(try m(base)) }
        }
        row.append(.timestamp(rowtime))
    }

    /// A rough size of a row in memory, for the state-bytes counter.
    static func estimatedBytes(_ row: Row) -> Int {
        var n = 32 + row.count * MemoryLayout<Value>.stride
        for v in row {
            switch v {
            case .string(let s): n += s.utf8.count
            case .bytes(let b): n += b.count
            default: break
            }
        }
        return n
    }
}

extension Value {
    /// The microseconds of a ROWTIME value (0 for anything else, which ROWTIME never is).
    @inline(__always)
    var rowtimeMicros: Int64 {
        if case .timestamp(let t) = self { return t }
        return 0
    }
}
