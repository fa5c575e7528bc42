// libFuzzer entry for FreshetSQL's lexer and parser, compiled together with
// Sources/FreshetSQL/**/*.swift by `fuzz/run` (swiftc -sanitize=fuzzer,address
// -parse-as-library; a SwiftPM executable would bring its own `main`).
//
// Besides "never crash, never overflow the stack", every input that parses
// must satisfy the printer's round-trip property (SQLPrinter.swift):
// parse(print(s)) == s for each statement, and printing is stable. A
// violation aborts, which libFuzzer records as a crash with the input.
//
// One exception, a resource limit rather than the grammar: the printer
// parenthesises non-associative chains (`(a = b) = c`) and some operands of
// postfix predicates, and each parenthesis is a level of the parser's nesting
// limit (Parser.maximumDepth, which protects the stack). An input near the
// limit may therefore print to text past it; that re-parse error is not a
// round-trip failure (docs/sql-grammar.md, "Deliberate limits"); the same for
// the parser's backtracking step budget (Parser.stepBudget).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reports a broken property and aborts (libFuzzer saves the input).
func fuzzFailure(_ what: String, _ input: String, _ printed: String) -> Never {
    fputs("ROUND TRIP FAILURE: \(what)\n  input:   \(input)\n  printed: \(printed)\n", stderr)
    abort()
}

/// Whether a re-parse failed only on a resource limit (nesting depth, or the
/// backtracking step budget), not on the grammar.
func isNestingLimit(_ error: SQLSyntaxError) -> Bool {
    error.message.hasPrefix("statement is nested too deeply") || error.message.hasPrefix("statement is too complex")
}

func checkStatements(_ sql: String) {
    guard let statements = try? Parser.parseStatements(sql) else { return }
    for statement in statements {
        let printed = SQLPrinter.print(statement)
        let reparsed: Statement
        do {
            reparsed = try Parser.parseStatement(printed)
        } catch {
            if isNestingLimit(error) { continue }
            fuzzFailure("printed statement does not parse: \(error)", sql, printed)
        }
        if reparsed != statement { fuzzFailure("statement AST changed", sql, printed) }
        let reprinted = SQLPrinter.print(reparsed)
        if reprinted != printed { fuzzFailure("printing is not stable: \(reprinted)", sql, printed) }
    }
}

func checkExpression(_ sql: String) {
    guard let expression = try? Parser.parseExpression(sql) else { return }
    let printed = SQLPrinter.print(expression)
    let reparsed: Expression
    do {
        reparsed = try Parser.parseExpression(printed)
    } catch {
        if isNestingLimit(error) { return }
        fuzzFailure("printed expression does not parse: \(error)", sql, printed)
    }
    if reparsed != expression { fuzzFailure("expression AST changed", sql, printed) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func freshetSQLFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let sql = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkStatements(sql)
    checkExpression(sql)
    return 0
}
