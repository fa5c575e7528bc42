import FreshetCore
import FreshetPlanner

/// Compiles a field read of a row-valued log-parsing call (`ScalarFunction.logParse`).
/// The fields of one call share a LogParseMemo (per ExpressionCompiler), so a line is
/// parsed once per row however many of its fields the query reads.
enum LogParseFunctions {
    static func compile(_ args: [CompiledExpression], constants: [Value?], memo: LogParseMemo, context: EvaluationContext) throws -> CompiledExpression {
        guard args.count >= 3, case .string(let function)? = constants[1], case .int(let index)? = constants[constants.count - 1] else {
            throw FreshetError(.internalError, "malformed log-parsing call")
        }
        var arguments: [String] = []
        for c in constants[2..<(constants.count - 1)] {
            guard case .string(let s)? = c else { throw FreshetError(.internalError, "log-parsing arguments must be constants") }
            arguments.append(s)
        }
        let parser = try memo.parser(function: function, arguments: arguments, statementTime: context.statementTime)
        let input = args[0]
        let field = Int(index)
        return { row in
            guard case .string(let line) = try input(row) else { return .null }
            return parser.field(field, of: line)
        }
    }
}

/// The parsers of one compilation, by call; each remembers its last line and result.
final class LogParseMemo {
    final class Entry {
        let parser: LogParser
        private var lastLine: String?
        private var lastFields: [Value]?
        init(parser: LogParser) { self.parser = parser }
        func field(_ i: Int, of line: String) -> Value {
            if lastLine != line {
                lastFields = parser.parse(line)
                lastLine = line
            }
            return lastFields?[i] ?? .null
        }
    }
    private var entries: [String: Entry] = [:]

    /// Read at compile time only. Calls with the same constants share one parser (and its
    /// last-line cache: a cache hit needs the same line, so sharing across inputs is safe).
    func parser(function: String, arguments: [String], statementTime: Int64) throws -> Entry {
        let key = ([function] + arguments).joined(separator: "\u{1}")
        if let e = entries[key] { return e }
        let e = Entry(parser: try LogParser(spec: try LogParseSpec.make(function: function, arguments: arguments), statementTime: statementTime))
        entries[key] = e
        return e
    }
}
