import Foundation
import Testing
@testable import FreshetSQL

/// Inputs the libFuzzer target (fuzz/FuzzEntry.swift, run by `fuzz/run`) found
/// to break the lexer, the parser or the round-trip property, kept as files in
/// fuzz/regressions/ (which are also fuzzing seeds). Each is checked the way the
/// harness checks it: the bytes decoded as UTF-8 (invalid bytes become U+FFFD),
/// and every statement / expression that parses must print and re-parse to an
/// equal AST, with stable printing.
///
/// - nonascii-unquoted-name.sql: an unquoted name with non-ASCII characters was
///   printed quoted, so it re-parsed as a quoted name.
/// - quoted-type-name-literal.sql: `é '…'` (a typed literal of an unknown type)
///   printed as `"É" '…'`, which did not parse: a quoted type name before a
///   string is now a typed literal, as in PostgreSQL.
/// - option-quoted-type-literal.sql: the same in an option list
///   (`WITH (backup = é 'failed')`), where a quoted word was read as a bare word.
/// - nested-prefix-operators.sql: `~~~…~x` printed as `~(~(~(…)))`, twice as deep,
///   past the nesting limit; nested prefix operators now print without parentheses.
/// - nested-parenthesised-from-timeout.sql: nested runs of `FROM ((((…` made the
///   "query or join?" backtracking exponential (a libFuzzer timeout); failed
///   attempts are now remembered.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = GrammarFileTests.root.appendingPathComponent("fuzz/regressions")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func regressionsExist() {
        #expect(Self.files.count >= 2)
    }

    @Test(arguments: files)
    func roundTripsLikeTheHarness(file: String) throws {
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent(file))
        let sql = String(decoding: bytes, as: UTF8.self)
        if let statements = try? Parser.parseStatements(sql) {
            for statement in statements {
                let printed = SQLPrinter.print(statement)
                let reparsed = try Parser.parseStatement(printed)
                #expect(reparsed == statement, "\(file): \(printed)")
                #expect(SQLPrinter.print(reparsed) == printed, "\(file): printing is not stable")
            }
        }
        if let expression = try? Parser.parseExpression(sql) {
            let printed = SQLPrinter.print(expression)
            #expect(try Parser.parseExpression(printed) == expression, "\(file): \(printed)")
        }
    }

    @Test func nonASCIINamesStayBareWhenUnquotedAndQuotedWhenQuoted() throws {
        #expect(try canonical("SELECT café FROM naïve") == "SELECT café FROM naïve")
        #expect(try canonical("SELECT \"café\" FROM t") == "SELECT \"café\" FROM t")
        // quoteIdentifierIfNeeded follows PostgreSQL's quote_ident: non-ASCII is quoted.
        #expect(SQLPrinter.quoteIdentifierIfNeeded("café") == "\"café\"")
    }

    @Test func nestedPrefixOperatorsPrintWithoutParentheses() throws {
        #expect(try SQLPrinter.print(Parser.parseExpression("~~~x")) == "~ ~ ~x")
        #expect(try SQLPrinter.print(Parser.parseExpression("-(-(+1))")) == "- - +1")
        #expect(try SQLPrinter.print(Parser.parseExpression("-(NOT x)")) == "-(NOT x)")
        let deep = String(repeating: "~", count: Parser.maximumDepth - 5) + "x"
        let expression = try Parser.parseExpression(deep)
        #expect(try Parser.parseExpression(SQLPrinter.print(expression)) == expression)
    }

    @Test func nestedParenthesesInFromStayLinear() throws {
        // 6 levels of subqueries, each opening 8 parentheses, none closed: exponential before.
        let group = "a = ALL (SELECT x FROM ((((((((SELECT "
        let sql = "SELECT " + String(repeating: group, count: 6) + "1"
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = syntaxError(sql) }
        #expect(syntaxError(sql) != nil)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        // Both readings of "((" still work.
        try roundTrip("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u")
        try roundTrip("SELECT * FROM ((SELECT 1) AS x JOIN b ON TRUE)")
        try roundTrip("SELECT * FROM ((a JOIN b ON TRUE) JOIN c ON TRUE)")
    }

    @Test func quotedTypeNameBeforeAStringIsATypedLiteral() throws {
        #expect(try Parser.parseExpression("\"MyType\" 'x'") == Expression(.literal(.typed(DataTypeName(name: "MyType"), "x"))))
        #expect(try canonical("SELECT é 'x', mytype 'y'") == "SELECT \"É\" 'x', MYTYPE 'y'")
        try roundTrip("SELECT é 'x', \"MyType\" 'y'")
        try roundTrip("CREATE STREAM s WITH (a = é 'x', b = \"MyType\" 'y', c = \"Word\")")
    }
}
