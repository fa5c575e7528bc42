import FreshetCore
import FreshetSQL

extension SQLState {
    /// 42P20 windowing_error (PostgreSQL): a window function or window clause used where it cannot be.
    static let windowingError = SQLState("42P20")
}

/// The window functions of one SELECT STREAM while its expressions are bound:
/// the resolved named windows (`WINDOW w AS (…)`), the distinct windows the
/// calls use and the calls themselves, in the order they become output columns
/// of the sliding-window operator (see SlidingWindowPlan).
final class WindowingContext {
    /// Named windows, with their base windows already merged in.
    var named: [String: WindowSpecification] = [:]
    let rowtimeIndex: Int
    let inputWidth: Int
    /// The stream's event-time watermark (WATERMARK FOR ts), when it has one.
    let watermark: EventTimeWatermark?
    /// The order the windows asked for: nil until a window has ORDER BY; then false for ROWTIME,
    /// true for the event-time column. Windows without ORDER BY follow it.
    var eventTimeOrder: Bool?
    /// The clause being bound; window functions are allowed only in the select list (nil).
    var clause: String? = "WHERE"
    /// True while a window function's arguments are bound (calls cannot nest).
    var insideCall = false
    var windowKeys: [WindowKey] = []
    var windows: [SlidingWindowDefinition] = []
    var calls: [WindowFunctionCall] = []

    /// Two OVER clauses share a window when they partition alike and frame alike.
    struct WindowKey: Equatable {
        var partitionBy: [Expression]
        var frame: SlidingWindowDefinition.Frame
    }

    init(rowtimeIndex: Int, inputWidth: Int, watermark: EventTimeWatermark?) {
        self.rowtimeIndex = rowtimeIndex
        self.inputWidth = inputWidth
        self.watermark = watermark
    }

    var plan: SlidingWindowPlan? {
        calls.isEmpty ? nil : SlidingWindowPlan(windows: windows, calls: calls, rowtimeIndex: rowtimeIndex, inputWidth: inputWidth,
                                                eventTime: eventTimeOrder == true ? watermark : nil)
    }
}

extension Binder {
    /// Functions that only exist over a window (issue 3: "an analytic function needs a window").
    static let analyticFunctionNames: Set<String> = ["lag", "nth_value", "exp_avg", "first_value", "last_value"]

    /// The window-function context of a SELECT STREAM over `relation`, with its WINDOW clauses resolved.
    func makeWindowingContext(_ select: Select, relation: RelationDescriptor) throws -> WindowingContext {
        let context = WindowingContext(rowtimeIndex: relation.userColumnCount, inputWidth: relation.columns.count,
                                       watermark: relation.watermark)
        for w in select.windows {
            if context.named[w.name.value] != nil {
                throw PlanError.error(.windowingError, "window \"\(w.name.value)\" is already defined", w.name.span)
            }
            context.named[w.name.value] = try resolveWindow(w.specification, named: context.named, laterNames: Set(select.windows.map(\.name.value)))
        }
        return context
    }

    /// Merge a window specification with its base window (`OVER (w ROWS 2 PRECEDING)`, `WINDOW w2 AS (w1 …)`).
    func resolveWindow(_ spec: WindowSpecification, named: [String: WindowSpecification], laterNames: Set<String> = []) throws -> WindowSpecification {
        guard let baseName = spec.baseWindow else { return spec }
        guard let base = named[baseName.value] else {
            if laterNames.contains(baseName.value) {
                throw PlanError.error(.windowingError, "window \"\(baseName.value)\" must be defined before a window that refers to it", baseName.span)
            }
            throw PlanError.error(.undefinedObject, "window \"\(baseName.value)\" does not exist", baseName.span)
        }
        var merged = spec
        merged.baseWindow = nil
        if !spec.partitionBy.isEmpty {
            throw PlanError.error(.windowingError, "cannot override PARTITION BY clause of window \"\(baseName.value)\"", spec.span)
        }
        merged.partitionBy = base.partitionBy
        if !base.orderBy.isEmpty {
            if !spec.orderBy.isEmpty {
                throw PlanError.error(.windowingError, "cannot override ORDER BY clause of window \"\(baseName.value)\"", spec.span)
            }
            merged.orderBy = base.orderBy
        }
        if let frame = base.frame {
            if spec.frame != nil {
                throw PlanError.error(.windowingError, "window \"\(baseName.value)\" already has a frame (RANGE or ROWS)", spec.span)
            }
            merged.frame = frame
        }
        return merged
    }

    /// `f(…) OVER …`: record the call (and its window) in the windowing context and
    /// return the column the sliding-window operator will put its result in.
    func bindWindowFunction(_ call: FunctionCall, _ over: WindowReference, _ scope: Scope, grouping: GroupingContext?,
                            span: SourceSpan) throws -> BoundExpression {
        if let bounded = windowFunctions {
            return try bindBoundedWindowFunction(call, over, scope, grouping: grouping, span: span, context: bounded)
        }
        let name = call.name.last.value.lowercased()
        guard let context = windowing else {
            if inStreamJoin {
                throw PlanError.error(.featureNotSupported, "window functions (OVER) over a join of two streams are not supported yet", span,
                                      hint: "Aggregate the joined rows with GROUP BY and a window over ROWTIME instead.")
            }
            throw PlanError.error(.featureNotSupported, "window functions (OVER) in SELECT STREAM need one stream (or a stream joined with a table) in FROM", span,
                                  hint: "Compute the window in a query over the stream itself, and read its output here.")
        }
        if let clause = context.clause {
            throw PlanError.error(.windowingError, "window functions are not allowed in \(clause)", span)
        }
        if context.insideCall {
            throw PlanError.error(.windowingError, "window function calls cannot be nested", span)
        }
        if grouping != nil {
            throw PlanError.error(.featureNotSupported,
                "window functions (OVER) cannot be combined with GROUP BY or plain aggregates in one SELECT STREAM", span,
                hint: "Compute the sliding window in one query and aggregate its output in another (a pump into an intermediate stream).")
        }
        if call.filter != nil { throw PlanError.error(.featureNotSupported, "FILTER in a window function is not supported", span) }
        if call.distinct { throw PlanError.error(.featureNotSupported, "DISTINCT in a window function is not supported", span) }

        let spec: WindowSpecification
        switch over {
        case .named(let id):
            guard let named = context.named[id.value] else {
                throw PlanError.error(.undefinedObject, "window \"\(id.value)\" does not exist", id.span,
                                      hint: "Define it after HAVING/GROUP BY: WINDOW \(id.value) AS (PARTITION BY … RANGE INTERVAL '1' MINUTE PRECEDING).")
            }
            spec = named
        case .inline(let inline):
            spec = try resolveWindow(inline, named: context.named)
        }
        let window = try windowIndex(spec, scope, context, span: span)
        let frame = context.windows[window].frame

        context.insideCall = true
        let args = try call.arguments.map { try bind($0, scope) }
        context.insideCall = false
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else {
                throw PlanError.error(.undefinedFunction, "function \(name) with \(args.count) argument(s) does not exist", span)
            }
        }
        func concrete(_ b: BoundExpression) throws -> BoundExpression {
            b.type == .unknown ? try castExpression(b, to: .text, span: span, explicit: false) : b
        }

        var result: WindowFunctionCall
        switch name {
        case "count":
            if call.star {
                result = WindowFunctionCall(function: .countStar, argument: nil, window: window, resultType: .bigint)
            } else {
                try arity(1...1)
                result = WindowFunctionCall(function: .count, argument: args[0], window: window, resultType: .bigint)
            }
        case "sum", "avg":
            try arity(1...1)
            var a = args[0]
            if a.type == .unknown { a = try castExpression(a, to: .double, span: span, explicit: false) }
            guard TypeCoercion.numericRank(a.type) != nil || a.type == .interval else {
                throw PlanError.error(.undefinedFunction, "function \(name)(\(a.type.sqlName)) does not exist", span)
            }
            let type: DataType
            switch (name, a.type) {
            case ("sum", .tinyint), ("sum", .smallint), ("sum", .integer): type = .bigint
            case ("sum", .bigint), ("sum", .decimal): type = .decimal(precision: nil, scale: nil)
            case (_, .real), (_, .double): type = .double
            case (_, .interval): type = .interval
            default: type = .decimal(precision: nil, scale: nil)   // avg of integers and decimals
            }
            result = WindowFunctionCall(function: name == "sum" ? .sum : .avg, argument: a, window: window, resultType: type)
        case "min", "max", "first_value", "last_value":
            try arity(1...1)
            let a = try concrete(args[0])
            let f: WindowFunctionCall.Function = ["min": .min, "max": .max, "first_value": .firstValue, "last_value": .lastValue][name]!
            result = WindowFunctionCall(function: f, argument: a, window: window, resultType: a.type)
        case "lag":
            try arity(1...3)
            let a = try concrete(args[0])
            let n = args.count >= 2 ? try constantCount(args[1], "LAG's offset", minimum: 0, span: call.arguments[1].span) : 1
            if case .rows(let k) = frame, n > k {
                throw PlanError.error(.windowingError,
                    "LAG(…, \(n)) looks \(n) rows back but the window (ROWS \(k) PRECEDING) holds only \(k) rows before the current one", span)
            }
            var fallback: BoundExpression?
            if args.count == 3 {
                context.insideCall = true
                let d = try bind(call.arguments[2], scope, expected: a.type)
                context.insideCall = false
                fallback = try castExpression(d, to: a.type, span: call.arguments[2].span, explicit: false)
            }
            result = WindowFunctionCall(function: .lag, argument: a, window: window, offset: n, defaultValue: fallback, resultType: a.type)
        case "nth_value":
            try arity(2...2)
            let a = try concrete(args[0])
            let n = try constantCount(args[1], "NTH_VALUE's position", minimum: 1, span: call.arguments[1].span)
            if case .rows(let k) = frame, n > k + 1 {
                throw PlanError.error(.windowingError,
                    "NTH_VALUE(…, \(n)) asks for row \(n) but the window (ROWS \(k) PRECEDING) holds at most \(k + 1) rows", span)
            }
            result = WindowFunctionCall(function: .nthValue, argument: a, window: window, offset: n, resultType: a.type)
        case "exp_avg":
            try arity(2...2)
            var a = args[0]
            if a.type == .unknown { a = try castExpression(a, to: .double, span: span, explicit: false) }
            guard TypeCoercion.numericRank(a.type) != nil else {
                throw PlanError.error(.undefinedFunction, "function exp_avg(\(a.type.sqlName), …) does not exist: EXP_AVG averages numbers", span)
            }
            a = try castExpression(a, to: .double, span: span, explicit: false)
            let halfLife = try constantDuration(call.arguments[1], what: "EXP_AVG's half-life", example: "EXP_AVG(price, INTERVAL '10' SECOND)")
            guard halfLife > 0 else {
                throw PlanError.error(.invalidParameterValue, "EXP_AVG's half-life must be positive", call.arguments[1].span)
            }
            result = WindowFunctionCall(function: .expAvg, argument: a, window: window, halfLifeMicros: halfLife, resultType: .double)
        default:
            throw PlanError.error(.undefinedFunction, "function \(name) is not a window function", span,
                                  hint: "Over a window use COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE, LAST_VALUE, NTH_VALUE, LAG or EXP_AVG.")
        }
        context.calls.append(result)
        return .column(context.inputWidth + context.calls.count - 1, result.resultType)
    }

    /// The index of the window `spec` describes, adding it when it is new.
    func windowIndex(_ spec: WindowSpecification, _ scope: Scope, _ context: WindowingContext, span: SourceSpan) throws -> Int {
        let example = "Example: AVG(price) OVER (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING)"
        guard let frame = spec.frame else {
            throw PlanError.error(.windowingError,
                "an analytic function needs a window: OVER (…) must say RANGE INTERVAL '…' PRECEDING or ROWS n PRECEDING",
                span, hint: example)
        }
        if spec.orderBy.count > 1 {
            throw PlanError.error(.windowingError, "a window over a stream is ordered by one time column (ROWTIME or the WATERMARK column)",
                                  spec.orderBy[1].expression.span)
        }
        for item in spec.orderBy {
            let b = try bind(item.expression, scope)
            let eventTime: Bool
            if case .column(let c, _) = b, c == context.rowtimeIndex {
                eventTime = false
            } else if case .column(let c, _) = b, let w = context.watermark, c == w.column {
                eventTime = true
            } else {
                let name = outputName(item.expression)
                throw PlanError.error(.windowingError,
                    "a window over a stream is ordered by ROWTIME or by the stream's WATERMARK column; it cannot be ordered by \(name)",
                    item.expression.span, hint: context.watermark == nil
                        ? "Leave out ORDER BY (rows are windowed in ROWTIME order), or declare the event time in CREATE STREAM (…, WATERMARK FOR \(name) AS \(name) - INTERVAL '5' SECOND) and order by it."
                        : "Leave out ORDER BY (rows are windowed in ROWTIME order) or order by ROWTIME or the WATERMARK column.")
            }
            if item.ascending == false {
                throw PlanError.error(.windowingError, "a window over a stream is ordered by ascending time; ORDER BY \(outputName(item.expression)) DESC is not possible",
                                      item.expression.span)
            }
            if let order = context.eventTimeOrder, order != eventTime {
                throw PlanError.error(.windowingError,
                    "the windows of one SELECT STREAM are all ordered by ROWTIME or all by the event-time column, not some by each",
                    item.expression.span, hint: "Order every window alike, or compute them in two queries.")
            }
            context.eventTimeOrder = eventTime
        }
        switch frame.end {
        case nil, .currentRow?: break
        case .following?, .unboundedFollowing?:
            throw PlanError.error(.windowingError,
                "a window over a stream ends at the current row: FOLLOWING would wait for rows that have not arrived", spec.span)
        case .preceding?, .unboundedPreceding?:
            throw PlanError.error(.featureNotSupported, "a window that ends before the current row is not supported; end it at CURRENT ROW", spec.span)
        }
        let bound: SlidingWindowDefinition.Frame
        switch frame.start {
        case .unboundedPreceding:
            throw PlanError.error(.windowingError,
                "an unbounded window over a stream would keep every row forever; give RANGE INTERVAL '…' PRECEDING or ROWS n PRECEDING",
                spec.span, hint: example)
        case .following, .unboundedFollowing:
            throw PlanError.error(.windowingError,
                "a window over a stream ends at the current row: FOLLOWING would wait for rows that have not arrived", spec.span)
        case .currentRow:
            bound = frame.units == .rows ? .rows(0) : .range(micros: 0)
        case .preceding(let e):
            if frame.units == .rows {
                bound = .rows(try constantCount(try bind(e, Scope(), expected: .bigint), "ROWS n PRECEDING", minimum: 0, span: e.span))
            } else {
                bound = .range(micros: try constantDuration(e, what: "RANGE … PRECEDING",
                    example: "RANGE INTERVAL '1' MINUTE PRECEDING; for a number of rows use ROWS n PRECEDING"))
            }
        }
        var partition: [BoundExpression] = []
        for p in spec.partitionBy {
            context.insideCall = true
            defer { context.insideCall = false }
            partition.append(try bind(p, scope))
        }
        let key = WindowingContext.WindowKey(partitionBy: spec.partitionBy, frame: bound)
        if let i = context.windowKeys.firstIndex(of: key) { return i }
        context.windowKeys.append(key)
        context.windows.append(SlidingWindowDefinition(partitionBy: partition, frame: bound))
        return context.windows.count - 1
    }

    /// A non-negative integer constant (ROWS n, LAG's n, NTH_VALUE's n).
    func constantCount(_ b: BoundExpression, _ what: String, minimum: Int, span: SourceSpan) throws -> Int {
        guard case .literal(.int(let n), _) = b else {
            throw PlanError.error(.invalidParameterValue, "\(what) needs an integer constant", span)
        }
        guard n >= minimum, n < Int64(Int32.max) else {
            throw PlanError.error(.invalidParameterValue, "\(what) must be at least \(minimum), not \(n)", span)
        }
        return Int(n)
    }

    /// An interval constant of fixed length, in microseconds (RANGE INTERVAL …, EXP_AVG's half-life).
    func constantDuration(_ e: Expression, what: String, example: String) throws -> Int64 {
        let b = try bind(e, Scope(), expected: .interval)
        guard case .literal(let v, let t) = b, t == .interval, case .interval(let i) = v else {
            if TypeCoercion.numericRank(b.type) != nil {
                throw PlanError.error(.windowingError,
                    "\(what) measures ROWTIME and needs an INTERVAL, not a number", e.span, hint: "Example: \(example)")
            }
            throw PlanError.error(.invalidParameterValue, "\(what) needs an INTERVAL constant", e.span, hint: "Example: \(example)")
        }
        guard i.months == 0 else {
            throw PlanError.error(.invalidParameterValue,
                "an interval in months or years has no fixed length; use days, hours, minutes or seconds", e.span)
        }
        let micros = Int64(i.days) * 86_400_000_000 + i.microseconds
        guard micros >= 0 else { throw PlanError.error(.invalidParameterValue, "\(what) must not be negative", e.span) }
        return micros
    }
}
