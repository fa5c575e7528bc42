import Testing
@testable import FreshetSQL

@Suite("Printer")
struct PrinterTests {
    @Test(arguments: [
        ("create or replace stream \"DESTINATION_SQL_STREAM\" (ticker_symbol varchar(4), change double precision) with (shards=4)",
         "CREATE OR REPLACE STREAM \"DESTINATION_SQL_STREAM\" (ticker_symbol VARCHAR(4), change DOUBLE) WITH (shards = 4)"),
        ("select stream url, count(*) from clicks group by url, step(clicks.rowtime by interval '1' minute)",
         "SELECT STREAM url, count(*) FROM clicks GROUP BY url, STEP(clicks.rowtime BY INTERVAL '1' MINUTE)"),
        ("select a b, c as \"C\" from t x left outer join u on x.id=u.id where not a<>1 limit all",
         "SELECT a AS b, c AS \"C\" FROM t AS x LEFT JOIN u ON x.id = u.id WHERE NOT a <> 1"),
        ("copy t from stdin with csv header delimiter ';'",
         "COPY t FROM STDIN WITH (format 'csv', header, delimiter ';')"),
        ("insert into t values (1,'a''b'),(2,E'c\\nd')",
         "INSERT INTO t VALUES (1, 'a''b'), (2, 'c\nd')"),
        ("select * from t fetch first 3 rows only", "SELECT * FROM t LIMIT 3"),
        ("set time zone 'UTC'", "SET timezone TO 'UTC'"),
        ("start transaction", "BEGIN"),
        ("select x::int4, cast(y as character varying(3)), 'x'::text collate \"C\"",
         "SELECT x::INTEGER, CAST(y AS VARCHAR(3)), 'x'::TEXT COLLATE \"C\""),
        ("select \"lower\", \"Upper\", \"from\", \"a b\", \"q\"\"q\"", "SELECT \"lower\", \"Upper\", \"from\", \"a b\", \"q\"\"q\""),
    ])
    func canonicalText(_ sql: String, _ expected: String) throws {
        #expect(try canonical(sql) == expected)
    }

    @Test func namesAreQuotedOnlyWhenNeeded() {
        #expect(SQLPrinter.quoteIdentifierIfNeeded("clicks") == "clicks")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("_x1$") == "_x1$")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("Clicks") == "\"Clicks\"")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("1x") == "\"1x\"")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("select") == "\"select\"")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("start") == "start")
        #expect(SQLPrinter.quoteIdentifierIfNeeded("a\"b") == "\"a\"\"b\"")
    }

    @Test func statementsPrintWithSemicolons() throws {
        let statements = try Parser.parseStatements("select 1; show all")
        #expect(SQLPrinter.print(statements) == "SELECT 1;\nSHOW ALL;\n")
    }
}
