import FreshetCore
import FreshetSQL

/// `TABLE(f(CURSOR(SELECT STREAM …), args…))` in FROM: the analytic table functions of
/// Kinesis Data Analytics (RANDOM_CUT_FOREST[_WITH_EXPLANATION], HOTSPOTS,
/// TOP_K_ITEMS_TUMBLING, COUNT_DISTINCT_ITEMS_TUMBLING), with its parameters, defaults,
/// ranges and output columns.
extension Binder {
    /// What a table function in FROM contributes to the enclosing query.
    struct BoundTableFunction {
        var relation: RelationDescriptor
        var startAt: StreamStartPlan
        var scope: Scope
        var plan: TableFunctionPlan
    }

    /// One parameter of a table function: its name (as KDA documents it), its SQL type
    /// for messages, and its default (nil: required).
    private struct Parameter {
        var name: String
        var type: String
        var defaultValue: Literal?
    }

    private static let signatures: [String: [Parameter]] = [
        "random_cut_forest": [
            Parameter(name: "numberOfTrees", type: "integer", defaultValue: .integer("100")),
            Parameter(name: "subSampleSize", type: "integer", defaultValue: .integer("256")),
            Parameter(name: "timeDecay", type: "integer", defaultValue: .integer("100000")),
            Parameter(name: "shingleSize", type: "integer", defaultValue: .integer("1")),
        ],
        "random_cut_forest_with_explanation": [
            Parameter(name: "numberOfTrees", type: "integer", defaultValue: .integer("100")),
            Parameter(name: "subSampleSize", type: "integer", defaultValue: .integer("256")),
            Parameter(name: "timeDecay", type: "integer", defaultValue: .integer("100000")),
            Parameter(name: "shingleSize", type: "integer", defaultValue: .integer("1")),
            Parameter(name: "withDirectionality", type: "boolean", defaultValue: .boolean(false)),
        ],
        "hotspots": [
            Parameter(name: "windowSize", type: "integer", defaultValue: nil),
            Parameter(name: "scanRadius", type: "double", defaultValue: nil),
            Parameter(name: "minimumDensity", type: "double", defaultValue: nil),
        ],
        "top_k_items_tumbling": [
            Parameter(name: "columnName", type: "text", defaultValue: nil),
            Parameter(name: "K", type: "integer", defaultValue: nil),
            Parameter(name: "windowSize", type: "integer", defaultValue: nil),
        ],
        "count_distinct_items_tumbling": [
            Parameter(name: "columnName", type: "text", defaultValue: nil),
            Parameter(name: "windowSize", type: "integer", defaultValue: nil),
        ],
    ]

    func bindTableFunction(_ call: FunctionCall, alias: TableAlias?, select: Select, query: Query) throws -> BoundTableFunction {
        let name = call.name.last.value.lowercased()
        let upper = name.uppercased()
        guard let parameters = Binder.signatures[name] else {
            throw PlanError.error(.undefinedFunction, "table function \(call.name) does not exist", call.name.span,
                                  hint: "The table functions are RANDOM_CUT_FOREST, RANDOM_CUT_FOREST_WITH_EXPLANATION, HOTSPOTS, TOP_K_ITEMS_TUMBLING and COUNT_DISTINCT_ITEMS_TUMBLING, called as TABLE(f(CURSOR(SELECT STREAM …), …)).")
        }
        let signature = "\(upper)(CURSOR(SELECT STREAM …), " + parameters.map { $0.defaultValue == nil ? $0.name : "[\($0.name)]" }.joined(separator: ", ") + ")"
        guard select.isStream else {
            throw PlanError.error(.featureNotSupported, "\(upper) produces a stream: read it with SELECT STREAM", select.span)
        }
        if call.star || call.distinct || call.filter != nil || call.over != nil {
            throw PlanError.error(.syntaxError, "\(upper) takes a cursor and constants: \(signature)", call.name.span)
        }
        let required = parameters.filter { $0.defaultValue == nil }.count
        guard call.arguments.count >= 1 + required && call.arguments.count <= 1 + parameters.count else {
            let types = (["cursor"] + call.arguments.dropFirst().map { argumentTypeName($0) }).joined(separator: ", ")
            throw PlanError.error(.undefinedFunction, "function \(name)(\(types)) does not exist", call.name.span,
                                  hint: "\(upper) takes \(1 + required)\(required < parameters.count ? " to \(1 + parameters.count)" : "") arguments: \(signature).")
        }
        guard case .cursor(let cursorQuery) = call.arguments[0].kind else {
            throw PlanError.error(.syntaxError, "the first argument of \(upper) must be CURSOR(SELECT STREAM …)", call.arguments[0].span,
                                  hint: signature)
        }
        if !select.groupBy.isEmpty || select.stagger != nil || select.having != nil || !query.orderBy.isEmpty
            || select.items.contains(where: { if case .expression(let e, _) = $0 { return containsAggregate(e) } else { return false } }) {
            throw PlanError.error(.featureNotSupported, "GROUP BY, aggregates and ORDER BY over \(upper) are not supported yet", select.span,
                                  hint: "Write the analytic query into a stream with a pump and aggregate that stream.")
        }
        // The cursor: a plain continuous query over one stream.
        guard case .select(let inner) = cursorQuery.body, inner.isStream else {
            throw PlanError.error(.syntaxError, "the CURSOR of \(upper) must be a SELECT STREAM query", call.arguments[0].span,
                                  hint: "For example CURSOR(SELECT STREAM price, qty FROM trades).")
        }
        let cursor = try bindQuery(cursorQuery)
        guard case .relation(let relation) = cursor.source, relation.kind == .stream else {
            throw PlanError.error(.wrongObjectType, "the CURSOR of \(upper) must read a stream", call.arguments[0].span)
        }
        if cursor.grouping != nil || cursor.slidingWindow != nil || cursor.tableFunction != nil || !cursor.orderBy.isEmpty
            || cursor.limit != nil || cursor.offset != nil {
            throw PlanError.error(.featureNotSupported, "the CURSOR of \(upper) can filter and project one stream; windows, ORDER BY, LIMIT and nested table functions in it are not supported yet",
                                  call.arguments[0].span)
        }
        guard let rowtime = relation.columns.firstIndex(where: { $0.name == "rowtime" }) else {
            throw PlanError.error(.internalError, "stream \"\(relation.name)\" has no ROWTIME column", call.arguments[0].span)
        }
        let inputColumns = Array(cursor.outputColumns)
        let projections = Array(cursor.projections.prefix(inputColumns.count)) + [.column(rowtime, .timestamp)]
        let numeric = inputColumns.indices.filter { inputColumns[$0].type.isNumeric }

        // Constant arguments, defaults filled in.
        var values: [(value: Literal, span: SourceSpan)] = []
        for (i, p) in parameters.enumerated() {
            if i + 1 < call.arguments.count {
                let a = call.arguments[i + 1]
                let v = try constantArgument(a, function: upper, parameter: p.name)
                if case .null = v, let d = p.defaultValue { values.append((d, a.span)) } else { values.append((v, a.span)) }
            } else {
                values.append((p.defaultValue!, call.name.span))
            }
        }
        func integer(_ i: Int, _ range: ClosedRange<Int>) throws -> Int {
            let (v, span) = values[i]
            let p = parameters[i]
            guard case .integer(let digits) = v, let n = Int(digits) else {
                throw PlanError.error(.invalidParameterValue, "\(p.name) of \(upper) must be an integer constant", span, hint: signature)
            }
            guard range.contains(n) else {
                throw PlanError.error(.invalidParameterValue, "\(p.name) of \(upper) must be between \(range.lowerBound) and \(range.upperBound), not \(n)", span)
            }
            return n
        }
        func double(_ i: Int, minimum: Double, exclusive: Bool) throws -> Double {
            let (v, span) = values[i]
            let p = parameters[i]
            var x: Double?
            switch v {
            case .integer(let d), .decimal(let d): x = Double(d)
            default: x = nil
            }
            guard let x, x.isFinite else {
                throw PlanError.error(.invalidParameterValue, "\(p.name) of \(upper) must be a numeric constant", span, hint: signature)
            }
            guard exclusive ? x > minimum : x >= minimum else {
                throw PlanError.error(.invalidParameterValue, "\(p.name) of \(upper) must be \(exclusive ? "greater than" : "at least") \(minimum), not \(x)", span)
            }
            return x
        }
        func column(_ i: Int) throws -> Int {
            let (v, span) = values[i]
            guard case .string(let wanted) = v else {
                throw PlanError.error(.invalidParameterValue, "columnName of \(upper) must be a column name in single quotes, such as 'ticker_symbol'", span)
            }
            if let c = inputColumns.firstIndex(where: { $0.name == wanted }) ?? inputColumns.firstIndex(where: { $0.name.lowercased() == wanted.lowercased() }) {
                return c
            }
            throw PlanError.error(.undefinedColumn, "column \"\(wanted)\" is not a column of the CURSOR of \(upper)", span,
                                  hint: "The cursor's columns are " + inputColumns.map { "'\($0.name)'" }.joined(separator: ", ") + ".")
        }
        func requireDimensions() throws {
            if numeric.isEmpty {
                throw PlanError.error(.invalidParameterValue, "the CURSOR of \(upper) has no numeric column", call.arguments[0].span,
                                      hint: "\(upper) reads the numeric columns (integer, real, double precision, numeric) of each row as a point.")
            }
        }

        let function: AnalyticFunction
        var added: [OutputColumn] = []
        switch name {
        case "random_cut_forest", "random_cut_forest_with_explanation":
            try requireDimensions()
            let explain = name.hasSuffix("explanation")
            var directionality = false
            if explain {
                let (v, span) = values[4]
                guard case .boolean(let b) = v else {
                    throw PlanError.error(.invalidParameterValue, "withDirectionality of \(upper) must be TRUE or FALSE", span)
                }
                directionality = b
            }
            let p = RandomCutForestParameters(numberOfTrees: try integer(0, 1...1000), subSampleSize: try integer(1, 10...1000),
                                              timeDecay: try integer(2, 1...Int(Int32.max)), shingleSize: try integer(3, 1...30),
                                              explanation: explain, directionality: directionality)
            function = .randomCutForest(p)
            added.append(OutputColumn(name: "anomaly_score", type: .double))
            if explain { added.append(OutputColumn(name: "anomaly_explanation", type: .varchar(20480))) }
        case "hotspots":
            try requireDimensions()
            function = .hotspots(HotspotsParameters(windowSize: try integer(0, 100...1000), scanRadius: try double(1, minimum: 0, exclusive: true),
                                                    minimumDensity: try double(2, minimum: 0, exclusive: true)))
            added.append(OutputColumn(name: "hotspots_result", type: .varchar(10000)))
        case "top_k_items_tumbling":
            let c = try column(0)
            let k = try integer(1, 1...100_000)
            let seconds = try integer(2, 1...3600)
            function = .topKItems(column: c, k: k, windowMicros: Int64(seconds) * 1_000_000)
        default:
            let c = try column(0)
            let seconds = try integer(1, 1...3600)
            function = .countDistinctItems(column: c, windowMicros: Int64(seconds) * 1_000_000)
        }
        var outputColumns: [OutputColumn]
        switch function {
        case .topKItems(let c, _, _):
            outputColumns = [OutputColumn(name: "item", type: inputColumns[c].type), OutputColumn(name: "item_count", type: .bigint)]
        case .countDistinctItems:
            outputColumns = [OutputColumn(name: "number_of_distinct_items", type: .bigint)]
        default:
            outputColumns = inputColumns + added
        }
        if let alias, alias.columns.count > outputColumns.count {
            throw PlanError.error(.invalidColumnReference,
                "table \"\(alias.name.value)\" has \(outputColumns.count) columns available but \(alias.columns.count) columns specified", alias.name.span)
        }
        var scope = Scope()
        let qualifier = alias?.name.value ?? name
        for (i, c) in outputColumns.enumerated() {
            var columnName = c.name
            if let alias, i < alias.columns.count { columnName = alias.columns[i].value; outputColumns[i].name = columnName }
            scope.entries.append(Scope.Entry(qualifier: qualifier, name: columnName, index: i, type: c.type, hidden: false,
                                             tableOID: c.tableOID, columnNumber: c.columnNumber))
        }
        scope.entries.append(Scope.Entry(qualifier: qualifier, name: "rowtime", index: outputColumns.count, type: .timestamp,
                                         hidden: true, tableOID: 0, columnNumber: 0))
        let plan = TableFunctionPlan(function: function, inputFilter: cursor.filter, inputProjections: projections,
                                     inputColumns: inputColumns, dimensions: numeric, outputColumns: outputColumns)
        return BoundTableFunction(relation: relation, startAt: cursor.startAt, scope: scope, plan: plan)
    }

    /// A constant argument of a table function: a literal, possibly negated; NULL stands for the default.
    private func constantArgument(_ e: Expression, function: String, parameter: String) throws -> Literal {
        switch e.kind {
        case .literal(let l):
            switch l {
            case .null, .boolean, .integer, .decimal, .string: return l
            default: break
            }
        case .unary(.minus, let x):
            if case .literal(.integer(let d)) = x.kind { return .integer("-" + d) }
            if case .literal(.decimal(let d)) = x.kind { return .decimal("-" + d) }
        case .unary(.plus, let x):
            return try constantArgument(x, function: function, parameter: parameter)
        case .cursor:
            throw PlanError.error(.syntaxError, "\(function) takes one CURSOR, as its first argument", e.span)
        default:
            break
        }
        throw PlanError.error(.invalidParameterValue, "\(parameter) of \(function) must be a constant", e.span)
    }

    /// The type of an argument as a "function … does not exist" message shows it.
    private func argumentTypeName(_ e: Expression) -> String {
        switch e.kind {
        case .literal(.integer): return "integer"
        case .literal(.decimal): return "numeric"
        case .literal(.string): return "unknown"
        case .literal(.boolean): return "boolean"
        case .literal(.null): return "unknown"
        case .unary(_, let x): return argumentTypeName(x)
        case .cursor: return "cursor"
        default: return "unknown"
        }
    }
}
