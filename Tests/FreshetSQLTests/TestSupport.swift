import Testing
@testable import FreshetSQL

/// Parses one statement, prints it, parses the print, and checks that both
/// parses are equal and that printing is stable (print(parse(print(x))) == print(x)).
@discardableResult
func roundTrip(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Statement {
    let statement = try Parser.parseStatement(sql)
    let printed = SQLPrinter.print(statement)
    let reparsed: Statement
    do {
        reparsed = try Parser.parseStatement(printed)
    } catch {
        Issue.record("printed SQL does not parse: \(printed)\n\(error)", sourceLocation: sourceLocation)
        throw error
    }
    #expect(reparsed == statement, "round trip changed the AST:\n  in:  \(sql)\n  out: \(printed)", sourceLocation: sourceLocation)
    #expect(SQLPrinter.print(reparsed) == printed, "printing is not stable for \(printed)", sourceLocation: sourceLocation)
    return statement
}

/// The canonical print of a statement.
func canonical(_ sql: String) throws -> String {
    SQLPrinter.print(try Parser.parseStatement(sql))
}

/// Renders an expression with every operator application in parentheses, to
/// check how the parser grouped it independently of the printer's rules.
func grouped(_ sql: String) throws -> String {
    render(try Parser.parseExpression(sql))
}

func render(_ expression: Expression) -> String {
    switch expression.kind {
    case .unary(let op, let operand):
        return "(\(op.rawValue) \(render(operand)))"
    case .binary(let op, let left, let right):
        return "(\(render(left)) \(op.rawValue) \(render(right)))"
    case .isNull(let operand, let negated):
        return "(\(render(operand)) IS \(negated ? "NOT " : "")NULL)"
    case .isBoolean(let operand, let value, let negated):
        return "(\(render(operand)) IS \(negated ? "NOT " : "")\(value.map { $0 ? "TRUE" : "FALSE" } ?? "UNKNOWN"))"
    case .between(let operand, let low, let high, let negated):
        return "(\(render(operand)) \(negated ? "NOT " : "")BETWEEN \(render(low)) AND \(render(high)))"
    case .inList(let operand, let list, let negated):
        return "(\(render(operand)) \(negated ? "NOT " : "")IN [\(list.map(render).joined(separator: ", "))])"
    case .like(let operand, let pattern, let escape, let kind, let negated):
        return "(\(render(operand)) \(negated ? "NOT " : "")\(kind.rawValue) \(render(pattern))\(escape.map { " ESCAPE " + render($0) } ?? ""))"
    case .cast(let operand, let type, _):
        return "(\(render(operand))::\(SQLPrinter.print(type)))"
    case .collate(let operand, let name):
        return "(\(render(operand)) COLLATE \(name))"
    case .subscript(let base, let index):
        return "(\(render(base))[\(render(index))])"
    default:
        return SQLPrinter.print(expression)
    }
}

/// The error thrown by parsing `sql` as statements, or nil.
func syntaxError(_ sql: String) -> SQLSyntaxError? {
    do {
        _ = try Parser.parseStatements(sql)
        return nil
    } catch {
        return error
    }
}
