import Testing
@testable import FreshetSQL

/// The parser must never trap: every input ends in a value or a SQLSyntaxError
/// whose span lies inside the input. (A fuzz target comes later; these are
/// deterministic smoke tests over damaged versions of the corpus.)
@Suite("Robustness")
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func check(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let length = sql.unicodeScalars.count
        do {
            let statements = try Parser.parseStatements(sql)
            for statement in statements {
                #expect(statement.span.start.offset >= 0 && statement.span.end.offset <= length, sourceLocation: sourceLocation)
                // Whatever parses must print to something that parses the same.
                #expect((try? Parser.parseStatement(SQLPrinter.print(statement))) == statement,
                        "\(sql) → \(SQLPrinter.print(statement))", sourceLocation: sourceLocation)
            }
        } catch {
            #expect(error.span.start.offset >= 0 && error.span.start.offset <= length, "\(sql)", sourceLocation: sourceLocation)
            #expect(error.span.start.offset <= error.span.end.offset, sourceLocation: sourceLocation)
        }
    }

    @Test func everyPrefixOfEveryCorpusStatement() throws {
        let scalars = Array(roundTripCorpus.unicodeScalars)
        for statement in try Parser.parseStatements(roundTripCorpus) {
            let text = Array(scalars[statement.span.start.offset..<statement.span.end.offset])
            for end in 0..<text.count {
                check(String(String.UnicodeScalarView(text[0..<end])))
            }
        }
    }

    @Test func droppedAndDuplicatedTokens() throws {
        var random = SplitMix64(state: 42)
        for statement in try Parser.parseStatements(roundTripCorpus) {
            let tokens = try Lexer.tokenize(SQLPrinter.print(statement)).dropLast()
            let printed = Array(SQLPrinter.print(statement).utf8)
            let pieces = tokens.map { String(decoding: printed[$0.utf8Range], as: UTF8.self) }
            for _ in 0..<8 {
                var mutated = pieces
                let i = Int.random(in: 0..<mutated.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mutated.remove(at: i)
                case 1: mutated.insert(mutated[Int.random(in: 0..<mutated.count, using: &random)], at: i)
                default: mutated.swapAt(i, Int.random(in: 0..<mutated.count, using: &random))
                }
                check(mutated.joined(separator: " "))
            }
        }
    }

    @Test func randomTokenSoup() {
        let alphabet = ["SELECT", "STREAM", "FROM", "WHERE", "(", ")", "[", "]", ",", ";", "'s'", "E'\\x41'", "1", "1.5e3",
                        "x", "\"Q\"", ".", "*", "+", "-", "::", "NOT", "AND", "IS", "NULL", "IN", "BETWEEN", "CASE",
                        "WHEN", "THEN", "END", "CAST", "AS", "INT", "OVER", "PARTITION", "BY", "ORDER", "ROWS",
                        "INTERVAL", "DAY", "TO", "SECOND", "JOIN", "ON", "UNION", "VALUES", "INSERT", "INTO", "COPY",
                        "WITH", "CREATE", "TABLE", "SET", "$1", "$$d$$", "X'FF'", "TRIM", "LEADING", "EXTRACT",
                        "FLOOR", "STEP", "OPERATOR", "COLLATE", "ARRAY", "ROW", "TIMESTAMP", "--c\n", "/*c*/", "é"]
        var random = SplitMix64(state: 7)
        for _ in 0..<3_000 {
            let count = Int.random(in: 1..<25, using: &random)
            let words = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            check(words.joined(separator: " "))
        }
    }

    @Test func randomBytes() {
        var random = SplitMix64(state: 99)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<40, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...127, using: &random) }
            check(String(decoding: bytes, as: UTF8.self))
        }
    }
}
