import Testing
@testable import FreshetSQL

@Suite("Syntax errors")
struct SyntaxErrorTests {
    @Test func misspelledFrom() throws {
        let error = try #require(syntaxError("SELECT * FORM t"))
        #expect(error.message == #"syntax error at or near "FORM""#)
        #expect(error.found == "FORM")
        #expect(error.span.start.offset == 9 && error.span.end.offset == 13)
        #expect(error.line == 1 && error.column == 10 && error.position == 10)
        #expect(error.expected.contains("FROM"))
        #expect(error.expected.contains("WHERE"))
        #expect(error.expected.contains("\";\""))
        #expect(error.expected.contains("end of input"))
        #expect(error.detail?.hasPrefix("expected one of: \",\", FROM, ") == true)
    }

    @Test func createStreamWithoutName() throws {
        let error = try #require(syntaxError("CREATE STREAM ("))
        #expect(error.message == #"syntax error at or near "(""#)
        #expect(error.span.start.offset == 14)
        #expect(error.column == 15)
        #expect(error.expected.contains("identifier"))
    }

    @Test func endOfInput() throws {
        let error = try #require(syntaxError("SELECT a FROM"))
        #expect(error.message == "syntax error at end of input")
        #expect(error.found == "")
        #expect(error.span.start.offset == 13)
        #expect(error.expected.contains("identifier"))
    }

    @Test func unterminatedString() throws {
        let error = try #require(syntaxError("INSERT INTO t VALUES ('abc)"))
        #expect(error.message == #"unterminated quoted string at or near "'abc)""#)
        #expect(error.span.start.offset == 22)
    }

    @Test func positionOnALaterLine() throws {
        let error = try #require(syntaxError("SELECT a,\n       b\n  FROM t\n WHERE a = = 1"))
        #expect(error.message == #"syntax error at or near "=""#)
        #expect(error.line == 4)
        #expect(error.column == 12)
        #expect(error.span.start.offset == 39)
        #expect(error.expected.contains("expression"))
    }

    @Test func unknownStatement() throws {
        let error = try #require(syntaxError("SELEC 1"))
        #expect(error.message == #"syntax error at or near "SELEC""#)
        #expect(error.expected.contains("SELECT") && error.expected.contains("CREATE"))
    }

    @Test func reservedWordAsName() throws {
        let error = try #require(syntaxError("SELECT * FROM select"))
        #expect(error.found == "select")
        #expect(error.span.start.offset == 14)
        // Quoted, it is a name.
        #expect(syntaxError(#"SELECT * FROM "select""#) == nil)
    }

    @Test func missingStatementSeparator() throws {
        let error = try #require(syntaxError("SELECT 1 SELECT 2"))
        #expect(error.span.start.offset == 9)
        #expect(error.expected.contains("\";\""))
    }

    @Test(arguments: [
        "SELECT", "SELECT (1", "SELECT 1 +", "SELECT CASE END", "SELECT CAST(1 AS)", "SELECT * FROM t JOIN u",
        "SELECT * FROM t WHERE", "SELECT f(", "SELECT x IS", "SELECT x BETWEEN 1", "SELECT x NOT 1",
        "CREATE STREAM s (a)", "CREATE STREAM s (a INT,)", "CREATE STREAM s (WATERMARK FOR a AS a, WATERMARK FOR b AS b)",
        "CREATE OR REPLACE TABLE t (a INT)", "CREATE", "DROP", "DROP STREAM", "INSERT t VALUES (1)", "INSERT INTO t",
        "COPY t", "COPY t FROM", "COPY t FROM STDIN WITH", "SET x", "SHOW", "START", "SELECT STREAM * FROM s START AT",
        "SELECT 1 FETCH FIRST 5 ROWS", "SELECT ARRAY[1", "SELECT EXTRACT(YEAR ts)", "SELECT FLOOR(ts TO WEEK)",
        "SELECT x::", "SELECT VARCHAR(99999999999999999999) '1'", "SELECT 1::varchar(99999999999999999999)",
        "SELECT 1::float(99)", "SELECT a OPERATOR(pg_catalog.@) b", "SELECT * FROM (a", "VALUES", "SELECT 1 UNION",
        "SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING)", "EXPLAIN", "BEGIN ISOLATION", ")", "SELECT * FROM t AS",
    ])
    func rejects(_ sql: String) throws {
        let error = try #require(syntaxError(sql), "accepted: \(sql)")
        let length = sql.unicodeScalars.count
        #expect(error.span.start.offset >= 0 && error.span.start.offset <= length)
        #expect(!error.message.isEmpty)
    }

    @Test func descriptionIsReadable() throws {
        let error = try #require(syntaxError("CREATE STREAM s (a INT) WITH shards = 1"))
        #expect(error.description == #"syntax error at or near "shards" at line 1, column 30 (expected "(")"#)
    }
}
