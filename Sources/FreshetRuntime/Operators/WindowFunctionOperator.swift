import FreshetCore
import FreshetPlanner

/// Window functions (OVER) over a bounded input, with PostgreSQL's semantics
/// (WindowFunctionPlan). It buffers every row; at finish, for each window it
/// evaluates the PARTITION BY and ORDER BY keys once per row, sorts the row
/// indices once by (partition, order, arrival), and walks each partition in that
/// order computing the window's calls (WindowFunctionOperator+Partition). Rows
/// are emitted extended by the call results, in the order of the last window.
final class WindowFunctionOperator: RowSink {
    /// One window, compiled.
    struct Window {
        let definition: WindowDefinition
        let partitionBy: [CompiledExpression]
        let orderBy: [CompiledExpression]
        let rangeKey: CompiledExpression?
        let startTarget: CompiledExpression?
        let endTarget: CompiledExpression?
        let startOffset: CompiledExpression?
        let endOffset: CompiledExpression?
        /// The calls over this window (indices into the plan's calls).
        let calls: [Int]
    }

    let plan: WindowFunctionPlan
    let windows: [Window]
    /// Per call: its compiled arguments.
    let arguments: [[CompiledExpression]]
    let next: RowSink
    var rows: [Row] = []

    init(plan: WindowFunctionPlan, compiler: ExpressionCompiler, next: RowSink) throws {
        self.plan = plan
        self.next = next
        arguments = try plan.calls.map { try $0.arguments.map(compiler.compile) }
        func offset(_ b: WindowFrameDefinition.Bound) throws -> CompiledExpression? {
            switch b {
            case .preceding(let e), .following(let e): return try compiler.compile(e)
            default: return nil
            }
        }
        windows = try plan.windows.enumerated().map { i, w in
            Window(definition: w, partitionBy: try w.partitionBy.map(compiler.compile), orderBy: try w.orderBy.map { try compiler.compile($0.expression) },
                   rangeKey: try w.frame.rangeKey.map(compiler.compile), startTarget: try w.frame.startTarget.map(compiler.compile),
                   endTarget: try w.frame.endTarget.map(compiler.compile), startOffset: try offset(w.frame.start),
                   endOffset: try offset(w.frame.end), calls: plan.calls.indices.filter { plan.calls[$0].window == i })
        }
    }

    func push(_ rows: [Row]) throws { self.rows.append(contentsOf: rows) }

    func finish() throws {
        let n = rows.count
        let callCount = plan.calls.count
        var results = [Value](repeating: .null, count: n * callCount)
        var order = Array(0..<n)
        for w in windows where !w.calls.isEmpty {
            order = try evaluate(w, into: &results)
        }
        var out: [Row] = []
        out.reserveCapacity(n)
        for i in order {
            var row = rows[i]
            if row.count != plan.inputWidth {
                if row.count > plan.inputWidth { row.removeLast(row.count - plan.inputWidth) }
                else { row.append(contentsOf: repeatElement(Value.null, count: plan.inputWidth - row.count)) }
            }
            row.reserveCapacity(plan.inputWidth + callCount)
            row.append(contentsOf: results[(i * callCount)..<((i + 1) * callCount)])
            out.append(row)
        }
        rows = []
        if !out.isEmpty { try next.push(out) }
        try next.finish()
    }

    /// Evaluate the calls of window `w` for every row; returns the row indices in the window's order.
    private func evaluate(_ w: Window, into results: inout [Value]) throws -> [Int] {
        let n = rows.count
        let p = w.partitionBy.count, o = w.orderBy.count
        var partitionKeys: [Value] = []
        partitionKeys.reserveCapacity(n * p)
        var orderKeys: [Value] = []
        orderKeys.reserveCapacity(n * o)
        for r in rows {
            for e in w.partitionBy { partitionKeys.append(try e(r)) }
            for e in w.orderBy { orderKeys.append(try e(r)) }
        }
        let ascending = w.definition.orderBy.map(\.ascending)
        let nullsFirst = w.definition.orderBy.map(\.nullsFirst)
        var index = Array(0..<n)
        // One sort by (partition, ORDER BY, arrival): every partition is then a run, in window order.
        index.sort { a, b in
            for k in 0..<p {
                let c = Value.sortCompare(partitionKeys[a * p + k], partitionKeys[b * p + k])
                if c != 0 { return c < 0 }
            }
            for k in 0..<o {
                let x = orderKeys[a * o + k], y = orderKeys[b * o + k]
                if x.isNull || y.isNull {
                    if x.isNull && y.isNull { continue }
                    return x.isNull == nullsFirst[k]
                }
                let c = Value.sortCompare(x, y)
                if c != 0 { return ascending[k] ? c < 0 : c > 0 }
            }
            return a < b
        }
        let offsets = try FrameOffsets(w)
        var start = 0
        while start < n {
            var end = start + 1
            samePartition: while end < n {
                for k in 0..<p where Value.sortCompare(partitionKeys[index[start] * p + k], partitionKeys[index[end] * p + k]) != 0 {
                    break samePartition
                }
                end += 1
            }
            var partition = Partition(rows: Array(index[start..<end]))
            partition.findPeers(orderKeys, width: o)
            try evaluate(w, &partition, offsets: offsets, into: &results)
            start = end
        }
        return index
    }

    /// The frame offsets of a window, evaluated once (they are constants) and checked as PostgreSQL checks them.
    struct FrameOffsets {
        var start: Value = .null
        var end: Value = .null
        init(_ w: Window) throws {
            let rows = w.definition.frame.units == .rows
            if let s = w.startOffset { start = try FrameOffsets.check(try s([]), starting: true, rows: rows) }
            if let e = w.endOffset { end = try FrameOffsets.check(try e([]), starting: false, rows: rows) }
        }

        static func check(_ v: Value, starting: Bool, rows: Bool) throws -> Value {
            let which = starting ? "starting" : "ending"
            if v.isNull { throw FreshetError(.nullValueNotAllowed, "frame \(which) offset must not be null") }
            let negative: Bool
            switch v {
            case .int(let i): negative = i < 0
            case .double(let d): negative = d < 0 || d.isNaN
            case .decimal(let d): negative = d.compare(.zero) < 0
            case .interval(let i): negative = i.months < 0 || i.days < 0 || i.microseconds < 0
            default: negative = false
            }
            if negative {
                throw FreshetError(SQLState("22013"), rows ? "frame \(which) offset must not be negative"
                                                           : "invalid preceding or following size in window function")
            }
            return v
        }

        /// A ROWS offset as a row count.
        func rows(_ v: Value) -> Int {
            if case .int(let i) = v { return i > Int64(Int32.max) ? Int(Int32.max) : Int(i) }
            return 0
        }
    }
}
