import FreshetCore
import FreshetSQL

/// Rewrites an outer query's expressions over a flattened derived table: each
/// reference to one of its columns becomes the inner expression it stands for,
/// `alias.row.FIELD` becomes a field read of a row-valued call, `alias.ROWTIME`
/// the inner row's ROWTIME. Subqueries inside the expressions are left alone
/// (they name their own tables).
struct DerivedRewriter {
    let columns: [Binder.DerivedColumn]
    let qualifier: String?
    let rowtime: Expression

    /// `freshet$row_field(call, 'field')`.
    static func field(_ call: Expression, _ name: String, span: SourceSpan) -> Expression {
        Expression(.function(FunctionCall(name: ObjectName([Identifier(Binder.rowFieldFunction)]),
                                          arguments: [call, Expression(.literal(.string(name)), span: span)])), span: span)
    }

    func resolve(_ name: ObjectName, span: SourceSpan) throws -> Expression {
        var parts = name.parts.map(\.value)
        if parts.count >= 2, let q = qualifier, parts[0] == q || parts[0].lowercased() == q.lowercased() {
            parts.removeFirst()
        } else if parts.count >= 2, columns.firstIndex(where: { $0.row != nil && $0.name == parts[0] }) == nil {
            throw PlanError.error(.undefinedTable, "missing FROM-clause entry for table \"\(parts[0])\"", span)
        }
        let col = parts[0]
        guard let c = columns.first(where: { $0.name == col }) ?? columns.first(where: { $0.name.lowercased() == col.lowercased() }) else {
            if parts.count == 1 && col.lowercased() == "rowtime" { return Expression(rowtime.kind, span: span) }
            var best: (String, Int)?
            for c in columns {
                let d = editDistance(c.name, col)
                if d <= max(2, col.count / 3), best == nil || d < best!.1 { best = (c.name, d) }
            }
            throw PlanError.error(.undefinedColumn, "column \"\(name)\" does not exist", span,
                                  hint: best.map { "Perhaps you meant to reference the column \"\($0.0)\"." })
        }
        if let row = c.row {
            guard parts.count == 2 else {
                if parts.count == 1 {
                    throw PlanError.error(.featureNotSupported, "\"\(name)\" is a row value; read its fields as \(qualifier.map { $0 + "." } ?? "")\(c.name).\(row.fields.first?.name.uppercased() ?? "COLUMN1")", span)
                }
                throw PlanError.error(.undefinedColumn, "column \"\(name)\" does not exist", span)
            }
            let field = parts[1].lowercased()
            guard row.fields.contains(where: { $0.name == field }) else {
                throw PlanError.error(.undefinedColumn, "row \"\(c.name)\" has no field \"\(parts[1])\"", span,
                                      hint: "Its fields are \(row.fields.map { $0.name.uppercased() }.joined(separator: ", ")).")
            }
            return DerivedRewriter.field(c.expression, field, span: span)
        }
        guard parts.count == 1 else { throw PlanError.error(.undefinedColumn, "column \"\(name)\" does not exist", span) }
        return Expression(c.expression.kind, span: span)
    }

    func rewrite(_ e: Expression) throws -> Expression {
        func r(_ x: Expression) throws -> Expression { try rewrite(x) }
        let kind: ExpressionKind
        switch e.kind {
        case .column(let name):
            if name.parts.count == 1, name.last.value.lowercased() == "rowtime",
               !columns.contains(where: { $0.name.lowercased() == "rowtime" }) {
                return Expression(rowtime.kind, span: e.span)
            }
            if name.parts.count == 2, let q = qualifier, name.parts[0].value == q, name.last.value.lowercased() == "rowtime",
               !columns.contains(where: { $0.name.lowercased() == "rowtime" }) {
                return Expression(rowtime.kind, span: e.span)
            }
            return try resolve(name, span: e.span)
        case .literal, .parameter, .defaultValue, .scalarSubquery, .exists, .arraySubquery, .cursor:
            return e
        case let .unary(op, x): kind = .unary(op, try r(x))
        case let .binary(op, a, b): kind = .binary(op, try r(a), try r(b))
        case .function(var f):
            f.arguments = try f.arguments.map(r)
            f.filter = try f.filter.map(r)
            if case .inline(let spec) = f.over { f.over = .inline(try rewrite(spec)) }
            kind = .function(f)
        case let .cast(x, t, syntax): kind = .cast(try r(x), t, syntax: syntax)
        case let .isNull(x, n): kind = .isNull(try r(x), negated: n)
        case let .isBoolean(x, v, n): kind = .isBoolean(try r(x), value: v, negated: n)
        case let .between(x, lo, hi, n): kind = .between(try r(x), low: try r(lo), high: try r(hi), negated: n)
        case let .inList(x, xs, n): kind = .inList(try r(x), try xs.map(r), negated: n)
        case let .inSubquery(x, q, n): kind = .inSubquery(try r(x), q, negated: n)
        case let .like(x, p, esc, k, n): kind = .like(try r(x), pattern: try r(p), escape: try esc.map(r), kind: k, negated: n)
        case let .caseWhen(op, branches, el):
            kind = .caseWhen(operand: try op.map(r), branches: try branches.map { CaseBranch(condition: try r($0.condition), result: try r($0.result)) },
                             elseResult: try el.map(r))
        case let .extract(field, x): kind = .extract(field: field, try r(x))
        case let .floorCeilTo(x, unit, ceil): kind = .floorCeilTo(try r(x), unit: unit, ceil: ceil)
        case let .step(x, by): kind = .step(try r(x), by: try r(by))
        case .row(let xs): kind = .row(try xs.map(r))
        case let .specialFunction(name, args, kw): kind = .specialFunction(name: name, arguments: try args.map(r), keywordForm: kw)
        case let .collate(x, n): kind = .collate(try r(x), n)
        case .array(let xs): kind = .array(try xs.map(r))
        case let .subscript(a, b): kind = .subscript(try r(a), try r(b))
        case let .quantified(x, op, q, a): kind = .quantified(try r(x), op, q, try r(a))
        case let .quantifiedSubquery(x, op, q, sub): kind = .quantifiedSubquery(try r(x), op, q, sub)
        case let .atTimeZone(x, z): kind = .atTimeZone(try r(x), zone: try r(z))
        }
        return Expression(kind, span: e.span)
    }

    func rewrite(_ spec: WindowSpecification) throws -> WindowSpecification {
        var s = spec
        s.partitionBy = try spec.partitionBy.map(rewrite)
        s.orderBy = try spec.orderBy.map { o in
            var o = o
            o.expression = try rewrite(o.expression)
            return o
        }
        return s
    }

    /// Calls `body` on `e` and every expression inside it (not inside subqueries).
    static func visit(_ e: Expression, _ body: (Expression) -> Void) {
        body(e)
        func v(_ x: Expression) { visit(x, body) }
        switch e.kind {
        case .literal, .parameter, .defaultValue, .scalarSubquery, .exists, .arraySubquery, .cursor, .column: break
        case let .unary(_, x), let .cast(x, _, _), let .isNull(x, _), let .isBoolean(x, _, _), let .extract(_, x),
             let .floorCeilTo(x, _, _), let .collate(x, _), let .inSubquery(x, _, _), let .quantifiedSubquery(x, _, _, _):
            v(x)
        case let .binary(_, a, b), let .step(a, b), let .subscript(a, b), let .atTimeZone(a, b), let .quantified(a, _, _, b):
            v(a); v(b)
        case .function(let f): f.arguments.forEach(v); f.filter.map(v)
        case let .between(x, a, b, _): v(x); v(a); v(b)
        case let .inList(x, xs, _): v(x); xs.forEach(v)
        case let .like(x, p, esc, _, _): v(x); v(p); esc.map(v)
        case let .caseWhen(op, branches, el):
            op.map(v); branches.forEach { v($0.condition); v($0.result) }; el.map(v)
        case .row(let xs), .array(let xs): xs.forEach(v)
        case let .specialFunction(_, args, _): args.forEach(v)
        }
    }
}
