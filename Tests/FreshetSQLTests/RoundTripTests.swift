import Testing
@testable import FreshetSQL

@Suite("Round trip: parse(print(parse(s))) == parse(s)")
struct RoundTripTests {
    @Test func corpusHasManyStatements() throws {
        let statements = try Parser.parseStatements(roundTripCorpus)
        #expect(statements.count >= 150)
    }

    @Test func everyCorpusStatementRoundTrips() throws {
        let statements = try Parser.parseStatements(roundTripCorpus)
        let scalars = Array(roundTripCorpus.unicodeScalars)
        for statement in statements {
            let text = String(String.UnicodeScalarView(scalars[statement.span.start.offset..<statement.span.end.offset]))
            // The span slices exactly this statement: it parses alone to the same AST.
            let alone = try Parser.parseStatement(text)
            #expect(alone == statement, "span text differs: \(text)")
            _ = try? roundTrip(text)
        }
    }

    @Test func wholeCorpusPrintsAndReparses() throws {
        let statements = try Parser.parseStatements(roundTripCorpus)
        let printed = SQLPrinter.print(statements)
        #expect(try Parser.parseStatements(printed) == statements)
    }
}
