import FreshetCore
import FreshetSQL

/// SQL-bodied user functions: type-checked once at CREATE FUNCTION, inlined
/// at every call (the body is bound over the parameters, then the bound
/// arguments replace the parameter references), so a call costs what its
/// body costs. Recursion, direct or through other functions, is refused.
extension Binder {
    /// Checks a CREATE FUNCTION: parameter names distinct, body binds over the
    /// parameters alone (no columns, no aggregates), its type assignable to
    /// RETURNS, no recursion. Returns the descriptor to store.
    public func checkFunctionDefinition(_ f: CreateFunction) throws -> FunctionDescriptor {
        let d = try Binder.functionDescriptor(f)
        let checker = Binder(catalog: catalog)
        checker.definingFunction = d
        _ = try checker.bindFunctionBody(d, span: f.body.span)
        return d
    }

    /// The descriptor of a CREATE FUNCTION (types resolved, body not checked: for a stored definition).
    public static func functionDescriptor(_ f: CreateFunction) throws -> FunctionDescriptor {
        var params: [Column] = []
        for p in f.parameters {
            let pname = p.name.value
            if params.contains(where: { $0.name == pname }) {
                throw PlanError.error(.invalidFunctionDefinition, "parameter name \"\(pname)\" used more than once", p.name.span)
            }
            params.append(Column(name: pname, type: try TypeNames.resolve(p.type)))
        }
        return FunctionDescriptor(name: f.name.last.value.lowercased(), parameters: params,
                                  returnType: try TypeNames.resolve(f.returnType), body: f.body)
    }

    /// The body of `d` bound over its parameters: `.column(i)` / `.parameter(i)` are parameter i.
    func bindFunctionBody(_ d: FunctionDescriptor, span: SourceSpan) throws -> BoundExpression {
        if inliningFunctions.contains(d.name) {
            throw PlanError.error(.invalidFunctionDefinition,
                                  "function \(d.name) is recursive (\((inliningFunctions + [d.name]).joined(separator: " → ")))", span,
                                  hint: "SQL functions are inlined where they are called, so they cannot call themselves.")
        }
        var scope = Scope()
        for (i, p) in d.parameters.enumerated() {
            scope.entries.append(Scope.Entry(qualifier: d.name, name: p.name, index: i, type: p.type, hidden: false, tableOID: 0, columnNumber: 0))
        }
        let inner = Binder(catalog: catalog, parameterTypes: d.parameters.map { $0.type })
        inner.inliningFunctions = inliningFunctions + [d.name]
        inner.definingFunction = definingFunction
        let body = try inner.bind(d.body, scope, expected: d.returnType)
        do {
            return try inner.castExpression(body, to: d.returnType, span: d.body.span, explicit: false)
        } catch let e as FreshetError where e.state == .datatypeMismatch {
            throw PlanError.error(.invalidFunctionDefinition,
                                  "function \(d.name) returns \(d.returnType.sqlName) but its body is \(body.type.sqlName)", d.body.span)
        }
    }

    /// A call to a user function, inlined; nil when no such function exists.
    func bindUserFunction(_ call: FunctionCall, _ args: [BoundExpression], span: SourceSpan) throws -> BoundExpression? {
        let name = call.name.last.value.lowercased()
        guard let d = (definingFunction?.name == name ? definingFunction : nil) ?? catalog.function(named: name) else { return nil }
        guard args.count == d.parameters.count else {
            throw PlanError.error(.undefinedFunction,
                                  "function \(name) takes \(d.parameters.count) argument(s) (\(d.parameters.map { $0.type.sqlName }.joined(separator: ", "))), not \(args.count)", span)
        }
        var actual: [BoundExpression] = []
        for (i, a) in args.enumerated() {
            actual.append(try castExpression(a, to: d.parameters[i].type, span: call.arguments[i].span, explicit: false))
        }
        let body = try bindFunctionBody(d, span: span)
        return try body.substitutingParameters(actual)
    }
}

extension BoundExpression {
    /// The expression with parameter i (`.column(i)` or `.parameter(i)` of a function body) replaced by `args[i]`.
    func substitutingParameters(_ args: [BoundExpression]) throws -> BoundExpression {
        func s(_ e: BoundExpression) throws -> BoundExpression { try e.substitutingParameters(args) }
        switch self {
        case .literal, .aggregate: return self
        case .column(let i, _), .parameter(let i, _): return args[i]
        case let .unary(op, x, t): return .unary(op, try s(x), t)
        case let .binary(op, l, r, t): return .binary(op, try s(l), try s(r), t)
        case .and(let xs): return .and(try xs.map(s))
        case .or(let xs): return .or(try xs.map(s))
        case .not(let x): return .not(try s(x))
        case let .cast(x, from, to, explicit): return .cast(try s(x), from: from, to: to, explicit: explicit)
        case let .isNull(x, negated): return .isNull(try s(x), negated: negated)
        case let .isBoolean(x, value, negated): return .isBoolean(try s(x), value: value, negated: negated)
        case let .caseWhen(branches, elseResult, t):
            return .caseWhen(try branches.map { (try s($0.0), try s($0.1)) }, elseResult: try elseResult.map(s), t)
        case let .inList(x, items, negated): return .inList(try s(x), try items.map(s), negated: negated)
        case let .like(x, p, ci, negated): return .like(try s(x), pattern: try s(p), caseInsensitive: ci, negated: negated)
        case let .function(f, xs, t): return .function(f, try xs.map(s), t)
        case .subquery, .outerColumn:
            throw PlanError.error(.featureNotSupported, "subqueries in the body of a SQL function are not supported yet", nil)
        }
    }
}
