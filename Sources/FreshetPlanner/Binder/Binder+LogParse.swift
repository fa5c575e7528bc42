import FreshetCore
import FreshetSQL

/// Binding the fields of row-valued log-parsing calls. A field read `l.r.COLUMN2` has been
/// rewritten (Binder+DerivedStream) to `freshet$row_field(<call>, 'column2')`; it binds to
/// `.function(.logParse, [input, 'function', constants…, fieldIndex])` with the field's type.
/// A log-parsing call anywhere else is refused: its value is a row, not a scalar.
extension Binder {
    func bindLogParse(_ call: FunctionCall, _ scope: Scope, grouping: GroupingContext?, span: SourceSpan) throws -> BoundExpression {
        let name = call.name.last.value.lowercased()
        guard name == Binder.rowFieldFunction, call.arguments.count == 2,
              case .function(let rowCall) = call.arguments[0].kind,
              case .literal(.string(let field)) = call.arguments[1].kind else {
            throw PlanError.error(.featureNotSupported, "\(name.uppercased()) returns a row; it can only be a select item of a FROM subquery", span,
                                  hint: "Read its fields from the outer query: SELECT l.r.COLUMN1 FROM (SELECT \(name.uppercased())(…) FROM src) AS l(r).")
        }
        let spec = try LogParseSpec.resolve(call.arguments[0])
        guard let index = spec.fields.firstIndex(where: { $0.name == field }) else {
            throw PlanError.error(.undefinedColumn, "the row has no field \"\(field)\"", span)
        }
        let input = try bind(rowCall.arguments[0], scope, grouping: grouping, expected: .text)
        guard input.type.isString || input.type == .unknown else {
            throw PlanError.error(.datatypeMismatch, "\(spec.function.uppercased()) parses text, not \(input.type.sqlName)", rowCall.arguments[0].span)
        }
        var args = [try castExpression(input, to: .text, span: rowCall.arguments[0].span, explicit: true)]
        args.append(.literal(.string(spec.function), .text))
        args += spec.arguments.map { .literal(.string($0), .text) }
        args.append(.literal(.int(Int64(index)), .bigint))
        return .function(.logParse, args, spec.fields[index].type)
    }
}
