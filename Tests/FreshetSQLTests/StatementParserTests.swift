import Testing
@testable import FreshetSQL

@Suite("Statements")
struct StatementParserTests {
    func id(_ value: String, quoted: Bool = false) -> Identifier { Identifier(value, quoted: quoted) }
    func name(_ parts: String...) -> ObjectName { ObjectName(parts.map { Identifier($0) }) }
    func column(_ value: String) -> Expression { Expression(.column(ObjectName([Identifier(value)]))) }
    func int(_ digits: String) -> Expression { Expression(.literal(.integer(digits))) }
    func string(_ value: String) -> Expression { Expression(.literal(.string(value))) }

    func kind(_ sql: String) throws -> StatementKind { try Parser.parseStatement(sql).kind }

    @Test func parseStatementsSplitsAndSkipsEmptyStatements() throws {
        #expect(try Parser.parseStatements("").isEmpty)
        #expect(try Parser.parseStatements(" ;; -- nothing\n ; ").isEmpty)
        let sql = "SELECT 1; ;INSERT INTO t VALUES (2);\n  SHOW ALL"
        let statements = try Parser.parseStatements(sql)
        #expect(statements.count == 3)
        let scalars = Array(sql.unicodeScalars)
        let texts = statements.map { String(String.UnicodeScalarView(scalars[$0.span.start.offset..<$0.span.end.offset])) }
        #expect(texts == ["SELECT 1", "INSERT INTO t VALUES (2)", "SHOW ALL"])
        #expect(statements[2].span.start.line == 2 && statements[2].span.start.column == 3)
    }

    @Test func statementSpansCountScalarsNotBytes() throws {
        let sql = "SELECT 'é😀'; SELECT 2"
        let statements = try Parser.parseStatements(sql)
        #expect(statements.map(\.span.start.offset) == [0, 13])
        #expect(statements.map(\.span.end.offset) == [11, 21])
    }

    @Test func parseStatementWantsExactlyOne() throws {
        #expect(try kind("SELECT 1;") == kind("SELECT 1"))
        #expect(throws: SQLSyntaxError.self) { try Parser.parseStatement("SELECT 1; SELECT 2") }
        #expect(throws: SQLSyntaxError.self) { try Parser.parseStatement("") }
    }

    @Test func createStream() throws {
        let sql = """
        CREATE OR REPLACE STREAM IF NOT EXISTS "DESTINATION_SQL_STREAM" (
            ticker VARCHAR(4) NOT NULL, price DOUBLE, ts TIMESTAMP,
            WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
        ) WITH (shards = 4, partition_key = 'ticker', mode = provisioned) DESCRIPTION 'prices'
        """
        guard case .createStream(let create) = try kind(sql) else { Issue.record("not CREATE STREAM"); return }
        #expect(create.name == ObjectName([id("DESTINATION_SQL_STREAM", quoted: true)]))
        #expect(create.orReplace && create.ifNotExists)
        #expect(create.columns == [
            ColumnDefinition(name: id("ticker"), type: DataTypeName(name: "VARCHAR", arguments: [4]), notNull: true),
            ColumnDefinition(name: id("price"), type: DataTypeName(name: "DOUBLE")),
            ColumnDefinition(name: id("ts"), type: DataTypeName(name: "TIMESTAMP")),
        ])
        #expect(create.watermark?.column == id("ts"))
        #expect(create.watermark?.expression.kind == .binary(.subtract, column("ts"),
                                                               Expression(.literal(.interval("5", IntervalQualifier(start: .second))))))
        #expect(create.options == [
            OptionAssignment(name: id("shards"), value: int("4")),
            OptionAssignment(name: id("partition_key"), value: string("ticker")),
            OptionAssignment(name: id("mode"), value: string("provisioned")),
        ])
        #expect(create.description == "prices")
    }

    @Test func createStreamWithoutColumns() throws {
        #expect(try kind("CREATE STREAM raw_events") == .createStream(CreateStream(name: name("raw_events"), columns: [])))
    }

    @Test func createTable() throws {
        guard case .createTable(let table) = try kind("CREATE TABLE IF NOT EXISTS c (t VARCHAR(4) PRIMARY KEY, n TEXT)") else {
            Issue.record("not CREATE TABLE"); return
        }
        #expect(table.ifNotExists)
        #expect(table.primaryKey == [id("t")])
        #expect(table.columns.map(\.name) == [id("t"), id("n")])
        #expect(throws: SQLSyntaxError.self) { try Parser.parseStatement("CREATE TABLE c (a INT PRIMARY KEY, PRIMARY KEY (a))") }
    }

    @Test func drop() throws {
        #expect(try kind("DROP STREAM IF EXISTS a, s.b") == .drop(Drop(objectKind: .stream, ifExists: true, names: [name("a"), name("s", "b")])))
        #expect(try kind("DROP TABLE t") == .drop(Drop(objectKind: .table, names: [name("t")])))
    }

    @Test func insertValuesAndReturning() throws {
        guard case .insert(let insert) = try kind("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') RETURNING _shard_id, *") else {
            Issue.record("not INSERT"); return
        }
        #expect(insert.target == name("t"))
        #expect(insert.columns == [id("a"), id("b")])
        #expect(insert.source.body == .values([[int("1"), string("x")], [int("2"), string("y")]]))
        #expect(insert.returning.count == 2)
    }

    @Test func insertSelect() throws {
        guard case .insert(let insert) = try kind("INSERT INTO t SELECT STREAM a FROM s") else { Issue.record("not INSERT"); return }
        guard case .select(let select) = insert.source.body else { Issue.record("not SELECT"); return }
        #expect(select.isStream)
        // Ragged rows are the planner's to refuse.
        #expect(throws: Never.self) { try Parser.parseStatement("INSERT INTO t VALUES (1, 2), (3)") }
    }

    @Test func copyModernAndLegacyOptionsNormaliseAlike() throws {
        let modern = try kind("COPY t FROM STDIN WITH (FORMAT csv, HEADER, DELIMITER ',')")
        let legacy = try kind("COPY t FROM STDIN WITH CSV HEADER DELIMITER ','")
        #expect(modern == legacy)
        guard case .copy(let copy) = modern else { Issue.record("not COPY"); return }
        #expect(copy.source == .table(name("t"), columns: []))
        #expect(copy.direction == .from && copy.endpoint == .stdin)
        #expect(copy.options == [
            OptionAssignment(name: id("format"), value: string("csv")),
            OptionAssignment(name: id("header"), value: nil),
            OptionAssignment(name: id("delimiter"), value: string(",")),
        ])
        #expect(try kind("COPY t FROM STDIN BINARY") == kind("COPY t FROM STDIN (FORMAT binary)"))
        #expect(try kind("COPY t FROM STDIN NULL AS 'x'") == kind("COPY t FROM STDIN WITH (NULL 'x')"))
    }

    @Test func copyToAndFiles() throws {
        guard case .copy(let copy) = try kind("COPY (SELECT STREAM * FROM clicks) TO STDOUT WITH (FORMAT csv, HEADER false)") else {
            Issue.record("not COPY"); return
        }
        guard case .query = copy.source else { Issue.record("not a query source"); return }
        #expect(copy.direction == .to && copy.endpoint == .stdout)
        #expect(copy.options[1] == OptionAssignment(name: id("header"), value: Expression(.literal(.boolean(false)))))
        guard case .copy(let file) = try kind("COPY t (a) FROM '/tmp/x.csv'") else { Issue.record("not COPY"); return }
        #expect(file.endpoint == .file("/tmp/x.csv"))
        #expect(file.source == .table(name("t"), columns: [id("a")]))
        #expect(throws: SQLSyntaxError.self) { try Parser.parseStatement("COPY (SELECT 1) FROM STDIN") }
    }

    @Test func selectClauses() throws {
        let sql = """
        SELECT STREAM DISTINCT a, t.*, count(*) AS n FROM s AS t LEFT JOIN u ON t.id = u.id, v
        START AT TRIM_HORIZON WHERE a > 1 GROUP BY a, STEP(t.ROWTIME BY INTERVAL '1' MINUTE) HAVING count(*) > 2
        WINDOW w AS (PARTITION BY a) ORDER BY a DESC NULLS FIRST LIMIT 10 OFFSET 5
        """
        guard case .query(let query) = try kind(sql), case .select(let select) = query.body else { Issue.record("not SELECT"); return }
        #expect(select.isStream && select.distinct)
        #expect(select.items.count == 3)
        if case .wildcard(let qualifier, _) = select.items[1] { #expect(qualifier == name("t")) } else { Issue.record("no t.*") }
        #expect(select.from.count == 2)
        guard case .join(let join) = select.from[0] else { Issue.record("no join"); return }
        #expect(join.kind == .left)
        #expect(join.left == .named(name("s"), alias: TableAlias(name: id("t")), window: nil))
        #expect(select.startAt == .trimHorizon)
        #expect(select.whereClause != nil && select.having != nil)
        #expect(select.groupBy.count == 2)
        #expect(select.windows.map(\.name) == [id("w")])
        #expect(query.orderBy == [OrderByItem(expression: column("a"), ascending: false, nullsFirst: true)])
        #expect(query.limit == int("10") && query.offset == int("5"))
    }

    @Test func startAtForms() throws {
        func startAt(_ clause: String) throws -> StartPosition? {
            guard case .query(let query) = try kind("SELECT STREAM * FROM s START AT \(clause)"),
                  case .select(let select) = query.body else { return nil }
            return select.startAt
        }
        #expect(try startAt("LATEST") == .latest)
        #expect(try startAt("SEQUENCE '123'") == .atSequence("123"))
        #expect(try startAt("AFTER SEQUENCE '123'") == .afterSequence("123"))
        #expect(try startAt("TIMESTAMP '2026-01-01 00:00:00'")
            == .timestamp(Expression(.literal(.typed(DataTypeName(name: "TIMESTAMP"), "2026-01-01 00:00:00")))))
    }

    @Test func fetchFirstIsALimit() throws {
        #expect(try kind("SELECT 1 FETCH FIRST 5 ROWS ONLY") == kind("SELECT 1 LIMIT 5"))
        #expect(try kind("SELECT 1 FETCH NEXT ROW ONLY") == kind("SELECT 1 LIMIT 1"))
        #expect(try kind("SELECT 1 LIMIT ALL") == kind("SELECT 1"))
    }

    @Test func setOperationsBindIntersectTighter() throws {
        guard case .query(let query) = try kind("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"),
              case .setOperation(.union, all: false, _, let right) = query.body,
              case .setOperation(.intersect, all: false, _, _) = right else {
            Issue.record("wrong set operation tree"); return
        }
        guard case .query(let chained) = try kind("SELECT 1 EXCEPT SELECT 2 UNION ALL SELECT 3"),
              case .setOperation(.union, all: true, let left, _) = chained.body,
              case .setOperation(.except, all: false, _, _) = left else {
            Issue.record("set operations are not left-associative"); return
        }
    }

    @Test func commonTableExpressions() throws {
        guard case .query(let query) = try kind("WITH a (x) AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b") else {
            Issue.record("not a query"); return
        }
        #expect(query.with.map(\.name) == [id("a"), id("b")])
        #expect(query.with[0].columns == [id("x")])
    }

    @Test func tableFactors() throws {
        guard case .query(let query) = try kind("SELECT * FROM o JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s ON o.id = s.id"),
              case .select(let select) = query.body, case .join(let join) = select.from[0],
              case .named(_, let alias, let window) = join.right else {
            Issue.record("no windowed join"); return
        }
        #expect(alias?.name == id("s"))
        #expect(window?.frame?.units == .range)
        guard case .query(let tableFunction) = try kind("SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(a, b)) AS r"),
              case .select(let select2) = tableFunction.body, case .function(let call, let alias2) = select2.from[0] else {
            Issue.record("no table function"); return
        }
        #expect(call.name == name("random_cut_forest"))
        #expect(alias2?.name == id("r"))
    }

    @Test func session() throws {
        #expect(try kind("SET search_path TO public, \"$user\"")
            == .set(SetVariable(name: id("search_path"), values: [string("public"), string("$user")])))
        #expect(try kind("SET LOCAL x = 1") == .set(SetVariable(name: id("x"), values: [int("1")], local: true)))
        #expect(try kind("SET x TO DEFAULT") == .set(SetVariable(name: id("x"), values: [], isDefault: true)))
        #expect(try kind("SET TIME ZONE 'UTC'") == .set(SetVariable(name: id("timezone"), values: [string("UTC")])))
        #expect(try kind("SHOW ALL") == .show(Show(name: nil)))
        #expect(try kind("SHOW TimeZone") == .show(Show(name: id("timezone"))))
        #expect(try kind("RESET ALL") == .reset(nil))
        #expect(try kind("RESET x") == .reset(id("x")))
        for (sql, expected) in [("BEGIN", TransactionStatement.begin), ("START TRANSACTION", .begin), ("BEGIN WORK", .begin),
                                ("COMMIT", .commit), ("END", .commit), ("COMMIT TRANSACTION", .commit),
                                ("ROLLBACK", .rollback), ("ABORT", .rollback)] {
            #expect(try kind(sql) == .transaction(expected), "\(sql)")
        }
    }

    @Test func explain() throws {
        guard case .explain(let inner, analyze: true) = try kind("EXPLAIN ANALYZE SELECT 1") else { Issue.record("not EXPLAIN"); return }
        guard case .query = inner.kind else { Issue.record("not a query"); return }
        #expect(inner.span.start.offset == 16)
    }

    @Test func tenThousandRowInsertParsesQuickly() throws {
        var sql = "INSERT INTO clicks (user_id, url, latency) VALUES "
        for i in 0..<10_000 {
            if i > 0 { sql += ", " }
            sql += "('user-\(i)', 'https://example.com/\(i)', \(i).5)"
        }
        let clock = ContinuousClock()
        var statement: Statement?
        let elapsed = try clock.measure { statement = try Parser.parseStatement(sql) }
        guard case .insert(let insert)? = statement?.kind, case .values(let rows) = insert.source.body else {
            Issue.record("not an INSERT … VALUES"); return
        }
        #expect(rows.count == 10_000)
        #expect(rows[9_999][0] == string("user-9999"))
        // Generous even for a debug build on a shared machine; a quadratic
        // parser would take minutes.
        #expect(elapsed < .seconds(5), "10,000-row INSERT took \(elapsed)")
    }
}
