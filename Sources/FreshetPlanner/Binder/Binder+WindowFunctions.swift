import FreshetCore
import FreshetSQL

/// Window functions of a bounded SELECT, bound as PostgreSQL 15 binds them
/// (parse_agg.c, parse_clause.c transformWindowDefinitions, gram.y frame checks):
/// the same messages and SQLSTATEs for misuse.
extension Binder {
    /// Functions that exist only with OVER (PostgreSQL: "window function … requires an OVER clause").
    static let windowOnlyFunctionNames: Set<String> = ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lead"]

    /// The window-function context of a bounded SELECT, with its WINDOW clause resolved.
    func makeWindowFunctionContext(_ select: Select) throws -> WindowFunctionContext {
        let context = WindowFunctionContext()
        let names = Set(select.windows.map(\.name.value))
        for w in select.windows {
            if context.named[w.name.value] != nil {
                throw PlanError.error(.windowingError, "window \"\(w.name.value)\" is already defined", w.name.span)
            }
            try refuseCopyingFrame(w.specification, named: context.named)
            context.named[w.name.value] = try resolveWindow(w.specification, named: context.named, laterNames: names)
        }
        return context
    }

    /// PostgreSQL refuses `OVER (w …)` and `WINDOW w2 AS (w …)` when `w` has a frame.
    private func refuseCopyingFrame(_ spec: WindowSpecification, named: [String: WindowSpecification]) throws {
        guard let base = spec.baseWindow, named[base.value]?.frame != nil else { return }
        throw PlanError.error(.windowingError, "cannot copy window \"\(base.value)\" because it has a frame clause", spec.span,
                              hint: "Omit the parentheses in this OVER clause.")
    }

    /// `f(…) OVER …` in a bounded SELECT: record the call (and its window) and return the
    /// placeholder column of its result (WindowFunctionContext.resultBase + i).
    func bindBoundedWindowFunction(_ call: FunctionCall, _ over: WindowReference, _ scope: Scope, grouping: GroupingContext?,
                                   span: SourceSpan, context: WindowFunctionContext) throws -> BoundExpression {
        let name = call.name.last.value.lowercased()
        if context.insideAggregate {
            throw PlanError.error(.groupingError, "aggregate function calls cannot contain window function calls", span)
        }
        if context.insideCall {
            throw PlanError.error(.windowingError, "window function calls cannot be nested", span)
        }
        if let clause = context.clause {
            throw PlanError.error(.windowingError, "window functions are not allowed in \(clause)", span)
        }
        if call.distinct { throw PlanError.error(.featureNotSupported, "DISTINCT is not implemented for window functions", span) }
        if call.filter != nil {
            throw PlanError.error(.featureNotSupported, "FILTER in a window function is not supported yet", span,
                                  hint: "Write the condition into the argument: SUM(CASE WHEN … THEN x END) OVER (…).")
        }
        let spec: WindowSpecification
        switch over {
        case .named(let id):
            guard let named = context.named[id.value] else {
                throw PlanError.error(.undefinedObject, "window \"\(id.value)\" does not exist", id.span)
            }
            spec = named
        case .inline(let inline):
            try refuseCopyingFrame(inline, named: context.named)
            spec = try resolveWindow(inline, named: context.named)
        }
        let window = try boundedWindowIndex(spec, scope, grouping: grouping, context)

        context.insideCall = true
        defer { context.insideCall = false }
        let args = try call.arguments.map { try bind($0, scope, grouping: grouping) }
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count), !call.star else {
                let types = call.star ? "*" : args.map(\.type.sqlName).joined(separator: ", ")
                throw PlanError.error(.undefinedFunction, "function \(name)(\(types)) does not exist", span,
                                      hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
            }
        }
        func concrete(_ b: BoundExpression) throws -> BoundExpression {
            b.type == .unknown ? try castExpression(b, to: .text, span: span, explicit: false) : b
        }
        func integer(_ i: Int) throws -> BoundExpression {
            guard args[i].type.isInteger || args[i].type == .unknown else {
                throw PlanError.error(.undefinedFunction, "function \(name)(\(args.map(\.type.sqlName).joined(separator: ", "))) does not exist",
                                      call.arguments[i].span, hint: "The \(i == 0 ? "argument" : "offset") must be an integer.")
            }
            return try castExpression(args[i], to: .bigint, span: call.arguments[i].span, explicit: false)
        }

        let result: WindowCall
        switch name {
        case "row_number", "rank", "dense_rank":
            try arity(0...0)
            let f: WindowCall.Function = name == "row_number" ? .rowNumber : name == "rank" ? .rank : .denseRank
            result = WindowCall(function: f, arguments: [], window: window, resultType: .bigint)
        case "percent_rank", "cume_dist":
            try arity(0...0)
            result = WindowCall(function: name == "cume_dist" ? .cumeDist : .percentRank, arguments: [], window: window, resultType: .double)
        case "ntile":
            try arity(1...1)
            result = WindowCall(function: .ntile, arguments: [try integer(0)], window: window, resultType: .integer)
        case "lag", "lead":
            try arity(1...3)
            var value = try concrete(args[0])
            var a = [value]
            if args.count >= 2 { a.append(try integer(1)) }
            if args.count == 3 {
                // lag(anycompatible, integer, anycompatible): value and default share a type.
                var fallback = args[2]
                guard var common = TypeCoercion.commonType(value.type, fallback.type) else {
                    throw PlanError.error(.undefinedFunction,
                        "function \(name)(\(value.type.sqlName), bigint, \(fallback.type.sqlName)) does not exist", span)
                }
                if common == .unknown { common = .text }
                value = try castExpression(value, to: common, span: call.arguments[0].span, explicit: false)
                fallback = try castExpression(fallback, to: common, span: call.arguments[2].span, explicit: false)
                a[0] = value
                a.append(fallback)
            }
            result = WindowCall(function: name == "lag" ? .lag : .lead, arguments: a, window: window, resultType: value.type)
        case "first_value", "last_value":
            try arity(1...1)
            let value = try concrete(args[0])
            result = WindowCall(function: name == "first_value" ? .firstValue : .lastValue, arguments: [value], window: window,
                                resultType: value.type)
        case "nth_value":
            try arity(2...2)
            let value = try concrete(args[0])
            result = WindowCall(function: .nthValue, arguments: [value, try integer(1)], window: window, resultType: value.type)
        case _ where Binder.aggregateNames.contains(name):
            let wanted = name == "approx_percentile" ? 2 : 1
            if !call.star && args.count != wanted {
                throw PlanError.error(.undefinedFunction, "function \(name) takes exactly \(wanted == 1 ? "one argument" : "two arguments")", span)
            }
            if call.star && name != "count" {
                throw PlanError.error(.wrongObjectType, "\(name)(*) is not valid: * is only for count(*)", span)
            }
            let aggregate = try aggregateCall(name, call, argument: call.star ? nil : args[0], span: span)
            result = WindowCall(function: .aggregate, arguments: aggregate.argument.map { [$0] } ?? [], aggregate: aggregate,
                                window: window, resultType: aggregate.resultType)
        case "exp_avg":
            throw PlanError.error(.featureNotSupported, "EXP_AVG is a sliding window over a stream's ROWTIME; use it in SELECT STREAM", span)
        default:
            throw PlanError.error(.wrongObjectType, "OVER specified, but \(name) is not a window function nor an aggregate function", span)
        }
        context.calls.append(result)
        return .column(WindowFunctionContext.resultBase + context.calls.count - 1, result.resultType)
    }

    /// The index of the window `spec` describes (bound in `scope`/`grouping`), adding it when it is new.
    func boundedWindowIndex(_ spec: WindowSpecification, _ scope: Scope, grouping: GroupingContext?,
                            _ context: WindowFunctionContext) throws -> Int {
        let key = WindowFunctionContext.WindowKey(partitionBy: spec.partitionBy, orderBy: spec.orderBy, frame: spec.frame)
        if let i = context.windowKeys.firstIndex(of: key) { return i }
        let enclosingClause = context.clause
        context.clause = "window definitions"
        defer { context.clause = enclosingClause }
        let partition = try spec.partitionBy.map { try bind($0, scope, grouping: grouping) }
        let order = try spec.orderBy.map { item -> WindowOrderKey in
            let ascending = item.ascending ?? true
            return WindowOrderKey(expression: try bind(item.expression, scope, grouping: grouping), ascending: ascending,
                                  nullsFirst: item.nullsFirst ?? !ascending)
        }
        var frame = WindowFrameDefinition.default
        if let f = spec.frame {
            frame = try bindFrame(f, spec: spec, order: order, scope, grouping: grouping)
        }
        context.windowKeys.append(key)
        context.windows.append(WindowDefinition(partitionBy: partition, orderBy: order, frame: frame))
        return context.windows.count - 1
    }

    /// A frame clause, checked as PostgreSQL's grammar and parse_clause.c check it.
    private func bindFrame(_ f: WindowFrame, spec: WindowSpecification, order: [WindowOrderKey], _ scope: Scope,
                           grouping: GroupingContext?) throws -> WindowFrameDefinition {
        let end = f.end ?? .currentRow
        switch (f.start, end) {
        case (.unboundedFollowing, _):
            throw PlanError.error(.windowingError, "frame start cannot be UNBOUNDED FOLLOWING", spec.span)
        case (_, .unboundedPreceding):
            throw PlanError.error(.windowingError, "frame end cannot be UNBOUNDED PRECEDING", spec.span)
        case (.currentRow, .preceding):
            throw PlanError.error(.windowingError, "frame starting from current row cannot have preceding rows", spec.span)
        case (.following, .preceding), (.following, .currentRow):
            throw PlanError.error(.windowingError, "frame starting from following row cannot have preceding rows", spec.span)
        default: break
        }
        let units: WindowFrameDefinition.Units = f.units == .rows ? .rows : .range
        var hasOffset = false
        for b in [f.start, end] {
            if case .preceding = b { hasOffset = true }
            if case .following = b { hasOffset = true }
        }
        if units == .range && hasOffset && order.count != 1 {
            throw PlanError.error(.windowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", spec.span)
        }
        var out = WindowFrameDefinition(units: units, start: .unboundedPreceding, end: .currentRow)
        // One bound: its offset constant and, for RANGE, the key value it reaches from the current row.
        func bound(_ b: WindowFrame.Bound, isStart: Bool) throws -> WindowFrameDefinition.Bound {
            let offsetExpression: Expression
            let preceding: Bool
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .unboundedFollowing: return .unboundedFollowing
            case .currentRow: return .currentRow
            case .preceding(let e): offsetExpression = e; preceding = true
            case .following(let e): offsetExpression = e; preceding = false
            }
            let offset: BoundExpression
            if units == .rows {
                let o = try bind(offsetExpression, Scope(), expected: .bigint)
                guard o.type.isInteger || o.type == .unknown else {
                    throw PlanError.error(.datatypeMismatch, "argument of ROWS must be type bigint, not type \(o.type.sqlName)", offsetExpression.span)
                }
                offset = try castExpression(o, to: .bigint, span: offsetExpression.span, explicit: false)
            } else {
                let keySpan = spec.orderBy[0].expression.span
                let keyType = order[0].expression.type
                var o = try bind(offsetExpression, Scope(), expected: keyType.isNumeric ? keyType : .interval)
                let keyNumeric = TypeCoercion.numericRank(keyType) != nil
                let temporal = keyType == .timestamp || keyType == .date || keyType == .interval
                guard keyNumeric || temporal else {
                    throw PlanError.error(.featureNotSupported,
                        "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType.sqlName)", keySpan)
                }
                if o.type == .unknown { o = try castExpression(o, to: keyNumeric ? keyType : .interval, span: offsetExpression.span, explicit: false) }
                let fits = keyNumeric ? TypeCoercion.numericRank(o.type) != nil : o.type == .interval
                guard fits else {
                    throw PlanError.error(.featureNotSupported,
                        "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType.sqlName) and offset type \(o.type.sqlName)",
                        offsetExpression.span, hint: "Cast the offset expression to the desired type.")
                }
                offset = o
                // PRECEDING goes toward smaller keys in ascending order, toward larger ones in descending order.
                let toward: BinaryOp = preceding == order[0].ascending ? .subtract : .add
                let key = order[0].expression
                let target: BoundExpression
                if keyType == .timestamp || keyType == .date {
                    target = .binary(toward, try castExpression(key, to: .timestamp, span: keySpan, explicit: false), o, .timestamp)
                } else if keyType == .interval {
                    target = .binary(toward, key, o, .interval)
                } else {
                    guard let t = TypeCoercion.arithmeticType(keyType, o.type) else {
                        throw PlanError.error(.featureNotSupported,
                            "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType.sqlName) and offset type \(o.type.sqlName)",
                            offsetExpression.span)
                    }
                    target = .binary(toward, try castExpression(key, to: t, span: keySpan, explicit: false),
                                     try castExpression(o, to: t, span: offsetExpression.span, explicit: false), t)
                }
                if out.rangeKey == nil {
                    out.rangeKey = try castExpression(order[0].expression, to: target.type, span: keySpan, explicit: false)
                }
                if isStart { out.startTarget = target } else { out.endTarget = target }
            }
            return preceding ? .preceding(offset) : .following(offset)
        }
        out.start = try bound(f.start, isStart: true)
        out.end = try bound(end, isStart: false)
        return out
    }
}
