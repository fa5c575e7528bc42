import Testing
@testable import FreshetSQL

@Suite("Lexer")
struct LexerTests {
    func kinds(_ sql: String) throws -> [TokenKind] {
        try Lexer.tokenize(sql).map(\.kind).dropLast()
    }

    @Test func identifiersFoldUnlessQuoted() throws {
        #expect(try kinds(#"Clicks "Clicks" "a""b" _x1$ café"#) == [
            .word("clicks", nil), .quotedIdentifier("Clicks"), .quotedIdentifier("a\"b"), .word("_x1$", nil), .word("café", nil),
        ])
    }

    @Test func keywordsAreRecognisedInAnyCase() throws {
        #expect(try kinds("SELECT select SeLeCt stream") == [
            .word("select", .select), .word("select", .select), .word("select", .select), .word("stream", .stream),
        ])
    }

    @Test func numbersStayText() throws {
        #expect(try kinds("42 3.14 .5 1. 1e10 2.5E-3 7e+2 99999999999999999999999999") == [
            .integer("42"), .decimal("3.14"), .decimal(".5"), .decimal("1."), .decimal("1e10"), .decimal("2.5E-3"),
            .decimal("7e+2"), .integer("99999999999999999999999999"),
        ])
    }

    @Test func strings() throws {
        #expect(try kinds("'it''s' '' 'a\\nb'") == [.string("it's"), .string(""), .string("a\\nb")])
    }

    @Test func escapeStrings() throws {
        #expect(try kinds(#"E'a\nb\t\'c\\' e'\x41\101\u00e9\U0001F600' E'it''s'"#) == [
            .string("a\nb\t'c\\"), .string("AAé😀"), .string("it's"),
        ])
        // A surrogate pair written as two \u escapes.
        #expect(try kinds(#"E'\uD83D\uDE00'"#) == [.string("😀")])
    }

    @Test func unicodeStrings() throws {
        #expect(try kinds(#"U&'d\0061t\+000061' u&'\\x'"#) == [.string("data"), .string("\\x")])
    }

    @Test func hexStrings() throws {
        #expect(try kinds("X'3F00ff' x''") == [.bytes([0x3F, 0x00, 0xFF]), .bytes([])])
    }

    @Test func dollarQuoting() throws {
        #expect(try kinds("$$it's $x$$ $fn$a$$b$fn$") == [.string("it's $x"), .string("a$$b")])
    }

    @Test func parameters() throws {
        #expect(try kinds("$1 $23") == [.parameter(1), .parameter(23)])
    }

    @Test func operators() throws {
        let sql = "+ - * / % ^ || = <> != < <= > >= :: ~ ~* !~ !~* & | . , ; ( ) [ ] :"
        let expected: [Symbol] = [.plus, .minus, .star, .slash, .percent, .caret, .concat, .equal, .notEqual, .notEqual,
                                  .less, .lessOrEqual, .greater, .greaterOrEqual, .doubleColon, .tilde, .tildeStar,
                                  .bangTilde, .bangTildeStar, .ampersand, .pipe, .dot, .comma, .semicolon,
                                  .leftParen, .rightParen, .leftBracket, .rightBracket, .colon]
        #expect(try kinds(sql) == expected.map { .symbol($0) })
        #expect(try kinds("a=-1") == [.word("a", nil), .symbol(.equal), .symbol(.minus), .integer("1")])
    }

    @Test func comments() throws {
        #expect(try kinds("1 -- one\n/* a /* nested */ comment */ 2 --") == [.integer("1"), .integer("2")])
    }

    @Test func spansCountScalarsLinesAndColumns() throws {
        let tokens = try Lexer.tokenize("SELECT 'é€😀',\n  \"Ünï\" FROM t")
        let starts = tokens.map { ($0.span.start.offset, $0.span.start.line, $0.span.start.column) }
        let ends = tokens.map(\.span.end.offset)
        #expect(starts.map(\.0) == [0, 7, 12, 16, 22, 27, 28])
        #expect(starts.map(\.1) == [1, 1, 1, 2, 2, 2, 2])
        #expect(starts.map(\.2) == [1, 8, 13, 3, 9, 14, 15])
        #expect(ends == [6, 12, 13, 21, 26, 28, 28])
    }

    func lexError(_ sql: String) -> SQLSyntaxError? {
        do {
            _ = try Lexer.tokenize(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test func unterminatedStringReportsItsStart() throws {
        let error = try #require(lexError("SELECT 'abc"))
        #expect(error.message == #"unterminated quoted string at or near "'abc""#)
        #expect(error.span.start.offset == 7)
        #expect(error.position == 8)
        #expect(error.line == 1 && error.column == 8)
    }

    @Test func lexicalErrors() throws {
        let cases: [(String, String, Int)] = [
            ("SELECT 1 /* open", "unterminated /* comment", 9),
            ("SELECT \"abc", "unterminated quoted identifier", 7),
            ("SELECT \"\"", "zero-length delimited identifier", 7),
            ("SELECT E'\\u12'", "invalid Unicode escape", 7),
            ("SELECT U&'\\12'", "invalid Unicode escape", 7),
            ("SELECT E'\\uD800'", "invalid Unicode surrogate pair", 7),
            ("SELECT E'\\xff'", "invalid byte sequence", 7),
            ("SELECT X'ABC'", "odd number of digits", 7),
            ("SELECT X'AZ'", "invalid hexadecimal digit", 7),
            ("SELECT $$abc", "unterminated dollar-quoted string", 7),
            ("SELECT 12abc", "trailing junk after numeric literal", 7),
            ("SELECT $0", "there is no parameter 0", 7),
            ("SELECT $99999999999999999999999", "there is no parameter", 7),
            ("SELECT 1 @ 2", "syntax error at or near \"@\"", 9),
            ("SELECT E'abc", "unterminated quoted string", 7),
        ]
        for (sql, message, offset) in cases {
            let error = lexError(sql)
            #expect(error?.message.contains(message) == true, "\(sql): \(String(describing: error))")
            #expect(error?.span.start.offset == offset, "\(sql)")
        }
    }

    @Test func errorPositionOnLaterLine() throws {
        let error = try #require(lexError("SELECT 1,\n  2,\n    'oops"))
        #expect(error.line == 3)
        #expect(error.column == 5)
        #expect(error.span.start.offset == 19)
    }
}
