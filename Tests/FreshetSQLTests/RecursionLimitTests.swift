import Testing
@testable import FreshetSQL

/// Deep input must fail with a syntax error, never a stack overflow.
@Suite("Recursion limit")
struct RecursionLimitTests {
    func expectTooDeep(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            _ = try Parser.parseStatements(sql)
            Issue.record("deep input was accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.hasPrefix("statement is nested too deeply"), sourceLocation: sourceLocation)
        }
    }

    @Test func hundredThousandParentheses() {
        let depth = 100_000
        expectTooDeep("SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth))
    }

    @Test func hundredThousandNots() {
        expectTooDeep("SELECT " + String(repeating: "NOT ", count: 100_000) + "TRUE")
    }

    @Test func hundredThousandMinuses() {
        expectTooDeep("SELECT " + String(repeating: "- ", count: 100_000) + "1")
    }

    @Test func deepSubqueriesAndTables() {
        let depth = 100_000
        expectTooDeep(String(repeating: "(", count: depth) + "SELECT 1" + String(repeating: ")", count: depth))
        expectTooDeep("SELECT * FROM " + String(repeating: "(", count: depth) + "t" + String(repeating: ")", count: depth))
        expectTooDeep("SELECT " + String(repeating: "(SELECT ", count: 10_000) + "1" + String(repeating: ")", count: 10_000))
        expectTooDeep("SELECT " + String(repeating: "floor(", count: 10_000) + "1" + String(repeating: ")", count: 10_000))
        expectTooDeep("SELECT " + String(repeating: "ARRAY[", count: 10_000) + "1" + String(repeating: "]", count: 10_000))
        expectTooDeep("SELECT 1" + String(repeating: " UNION SELECT 1", count: 0) + String(repeating: " UNION (SELECT 1", count: 10_000)
                      + String(repeating: ")", count: 10_000))
    }

    @Test func moderateNestingIsFine() throws {
        let depth = 50
        let sql = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        _ = try roundTrip(sql)
        _ = try roundTrip("SELECT " + String(repeating: "NOT ", count: depth) + "TRUE")
    }

    @Test func longFlatChainsAreNotNesting() throws {
        // Left-associative chains are iterative: 20,000 terms parse.
        let sql = "SELECT " + (0..<20_000).map { "x\($0)" }.joined(separator: " + ")
        _ = try Parser.parseStatement(sql)
        let conjunction = "SELECT * FROM t WHERE " + (0..<20_000).map { "a = \($0)" }.joined(separator: " OR ")
        _ = try Parser.parseStatement(conjunction)
    }
}
