import Testing
@testable import FreshetSQL

/// UPDATE/DELETE/DEFAULT, DISTINCT ON, cursors and CREATE FUNCTION.
@Suite("Tables, cursors, functions")
struct TableCursorFunctionParserTests {
    func id(_ value: String, quoted: Bool = false) -> Identifier { Identifier(value, quoted: quoted) }
    func name(_ parts: String...) -> ObjectName { ObjectName(parts.map { Identifier($0) }) }
    func column(_ value: String) -> Expression { Expression(.column(ObjectName([Identifier(value)]))) }
    func string(_ value: String) -> Expression { Expression(.literal(.string(value))) }
    func kind(_ sql: String) throws -> StatementKind { try roundTrip(sql).kind }

    @Test func update() throws {
        #expect(try kind("UPDATE companies AS c SET name = 'Amazon', sector = DEFAULT WHERE ticker = 'AMZN' RETURNING *") == .update(Update(
            target: name("companies"), alias: id("c"),
            assignments: [Assignment(column: id("name"), value: string("Amazon")),
                          Assignment(column: id("sector"), value: Expression(.defaultValue))],
            whereClause: Expression(.binary(.equal, column("ticker"), string("AMZN"))),
            returning: [.wildcard(qualifier: nil, span: .empty)])))
        // SET is not taken as an alias.
        guard case .update(let plain) = try kind("UPDATE t SET a = 1") else { Issue.record("not an update"); return }
        #expect(plain.alias == nil && plain.whereClause == nil)
        #expect(syntaxError("UPDATE t SET a 1")?.expected == ["\"=\""])
    }

    @Test func delete() throws {
        #expect(try kind("DELETE FROM companies c WHERE c.sector IS NULL RETURNING ticker") == .delete(Delete(
            target: name("companies"), alias: id("c"),
            whereClause: Expression(.isNull(Expression(.column(name("c", "sector"))), negated: false)),
            returning: [.expression(column("ticker"), alias: nil)])))
        #expect(try kind("DELETE FROM t") == .delete(Delete(target: name("t"))))
        #expect(syntaxError("DELETE t")?.expected == ["FROM"])
    }

    @Test func defaultOnlyInValuesAndSet() throws {
        guard case .insert(let insert) = try kind("INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 2)"),
              case .values(let rows) = insert.source.body else { Issue.record("not values"); return }
        #expect(rows[0][1].kind == .defaultValue && rows[1][0].kind == .defaultValue)
        #expect(syntaxError("SELECT DEFAULT") != nil)
        #expect(syntaxError("INSERT INTO t VALUES (DEFAULT + 1)") != nil)
        #expect(syntaxError("SELECT * FROM t WHERE a = DEFAULT") != nil)
    }

    @Test func distinctOn() throws {
        guard case .query(let query) = try kind("SELECT DISTINCT ON (user_id, url) user_id FROM clicks"),
              case .select(let select) = query.body else { Issue.record("not a select"); return }
        #expect(select.distinctOn == [column("user_id"), column("url")])
        #expect(!select.distinct)
        #expect(syntaxError("SELECT DISTINCT ON user_id FROM t")?.expected == ["\"(\""])
    }

    @Test func declareCursor() throws {
        #expect(try kind("DECLARE _psql_cursor NO SCROLL CURSOR FOR SELECT 1") == .declareCursor(DeclareCursor(
            name: id("_psql_cursor"), scroll: false, query: try Parser.parseStatement("SELECT 1").query!)))
        guard case .declareCursor(let full) = try kind("DECLARE c BINARY SCROLL CURSOR WITH HOLD FOR SELECT STREAM * FROM s")
        else { Issue.record("not a cursor"); return }
        #expect(full.binary && full.scroll == true && full.withHold)
        guard case .declareCursor(let bare) = try kind("DECLARE c CURSOR WITHOUT HOLD FOR VALUES (1)") else {
            Issue.record("not a cursor"); return
        }
        #expect(!bare.binary && bare.scroll == nil && !bare.withHold)
        #expect(syntaxError("DECLARE c CURSOR SELECT 1")?.expected.contains("FOR") == true)
    }

    @Test func fetchForms() throws {
        let c = id("c")
        #expect(try kind("FETCH FORWARD 100 FROM c") == .fetch(Fetch(cursor: c, count: .rows(100))))
        #expect(try kind("FETCH 7 IN c") == .fetch(Fetch(cursor: c, count: .rows(7))))
        #expect(try kind("FETCH ALL FROM c") == .fetch(Fetch(cursor: c, count: .all)))
        #expect(try kind("FETCH FORWARD ALL c") == .fetch(Fetch(cursor: c, count: .all)))
        for oneRow in ["FETCH NEXT FROM c", "FETCH FORWARD FROM c", "FETCH FROM c", "FETCH c", "FETCH FORWARD c"] {
            #expect(try kind(oneRow) == .fetch(Fetch(cursor: c, count: .rows(1))), "\(oneRow)")
        }
        // A cursor may be called "forward".
        #expect(try kind("FETCH forward") == .fetch(Fetch(cursor: id("forward"))))
        #expect(try kind("FETCH FORWARD 50 FROM c WITH (timeout = '2 seconds')") == .fetch(Fetch(
            cursor: c, count: .rows(50), options: [OptionAssignment(name: id("timeout"), value: string("2 seconds"))])))
        #expect(try canonical("FETCH 3 IN c") == "FETCH FORWARD 3 FROM c")
        let overflow = syntaxError("FETCH 99999999999999999999 FROM c")
        #expect(overflow?.message.contains("out of range") == true)
        #expect(syntaxError("FETCH BACKWARD 1 FROM c") != nil)
        #expect(syntaxError("FETCH -1 FROM c") != nil)
    }

    @Test func close() throws {
        #expect(try kind("CLOSE c") == .closeCursor(id("c")))
        #expect(try kind("CLOSE ALL") == .closeCursor(nil))
    }

    @Test func createFunction() throws {
        #expect(try kind("CREATE OR REPLACE FUNCTION s.add(a INTEGER, b BIGINT) RETURNS BIGINT LANGUAGE SQL IMMUTABLE RETURN a + b")
                == .createFunction(CreateFunction(
                    name: name("s", "add"), orReplace: true,
                    parameters: [FunctionParameter(name: id("a"), type: DataTypeName(name: "INTEGER")),
                                 FunctionParameter(name: id("b"), type: DataTypeName(name: "BIGINT"))],
                    returnType: DataTypeName(name: "BIGINT"),
                    body: Expression(.binary(.add, column("a"), column("b"))))))
        guard case .createFunction(let noArguments) = try kind("CREATE FUNCTION now_utc() RETURNS TIMESTAMP NOT DETERMINISTIC RETURN now()")
        else { Issue.record("not a function"); return }
        #expect(noArguments.parameters.isEmpty && !noArguments.orReplace)
        let plpgsql = syntaxError("CREATE FUNCTION f(a INT) RETURNS INT LANGUAGE plpgsql RETURN a")
        #expect(plpgsql?.message.contains("only LANGUAGE SQL") == true)
        #expect(plpgsql?.found == "plpgsql")
        #expect(syntaxError("CREATE FUNCTION f(a INT) RETURNS INT AS $$ SELECT a $$")?.expected.contains("RETURN") == true)
        #expect(syntaxError("CREATE FUNCTION f(INT) RETURNS INT RETURN 1") != nil)
    }
}

extension Statement {
    /// The query of a query statement.
    var query: Query? {
        if case .query(let query) = kind { return query }
        return nil
    }
}

/// `x op ANY|ALL (…)`, `ARRAY(subquery)`, `AT TIME ZONE`.
@Suite("Quantified comparisons, ARRAY(), AT TIME ZONE")
struct ExpressionExtensionParserTests {
    func column(_ value: String) -> Expression { Expression(.column(ObjectName([Identifier(value)]))) }
    func parse(_ sql: String) throws -> Expression {
        let expression = try Parser.parseExpression(sql)
        #expect(try Parser.parseExpression(SQLPrinter.print(expression)) == expression, "\(sql)")
        return expression
    }

    @Test func quantified() throws {
        let array = Expression(.array([Expression(.literal(.string("r"))), Expression(.literal(.string("p")))]))
        #expect(try parse("relkind = ANY (ARRAY['r', 'p'])") == Expression(.quantified(column("relkind"), .equal, .any, array)))
        #expect(try parse("a <> SOME (b)") == Expression(.quantified(column("a"), .notEqual, .any, column("b"))))
        guard case .quantifiedSubquery(let left, .greaterOrEqual, .all, _) = try parse("a + 1 >= ALL (SELECT x FROM t)").kind else {
            Issue.record("not a quantified subquery"); return
        }
        #expect(left == Expression(.binary(.add, column("a"), Expression(.literal(.integer("1"))))))
        // Grouping: the quantified comparison binds at its operator's level.
        #expect(try SQLPrinter.print(parse("a = ANY (b) = c")) == "(a = ANY (b)) = c")
        #expect(try SQLPrinter.print(parse("x AND a = ANY (b)")) == "x AND a = ANY (b)")
        // Not after arithmetic: `a || any(b)` calls the aggregate ANY.
        guard case .binary(.concat, _, let right) = try parse("a || any(b)").kind, case .function = right.kind else {
            Issue.record("any(b) is not a call"); return
        }
        #expect(try parse("a OPERATOR(pg_catalog.=) ANY (b)") == Expression(.quantified(column("a"), .equal, .any, column("b"))))
    }

    @Test func arraySubquery() throws {
        guard case .arraySubquery(let query) = try parse("ARRAY(SELECT x FROM t ORDER BY x)").kind else {
            Issue.record("not ARRAY(subquery)"); return
        }
        #expect(query.orderBy.count == 1)
        #expect(try parse("ARRAY[1]") == Expression(.array([Expression(.literal(.integer("1")))])))
    }

    @Test func atTimeZone() throws {
        let utc = Expression(.literal(.string("UTC")))
        #expect(try parse("ts AT TIME ZONE 'UTC'") == Expression(.atTimeZone(column("ts"), zone: utc)))
        // Left-associative, tighter than ^ and looser than COLLATE and unary minus.
        #expect(try grouped("a ^ b AT TIME ZONE 'UTC'") == "(a ^ b AT TIME ZONE 'UTC')")
        guard case .binary(.power, _, let right) = try parse("a ^ b AT TIME ZONE 'UTC'").kind,
              case .atTimeZone = right.kind else { Issue.record("AT does not bind tighter than ^"); return }
        guard case .atTimeZone(let inner, _) = try parse("t AT TIME ZONE 'a' AT TIME ZONE 'b'").kind,
              case .atTimeZone = inner.kind else { Issue.record("not left-associative"); return }
        guard case .atTimeZone(let negated, _) = try parse("-x AT TIME ZONE 'UTC'").kind,
              case .unary(.minus, _) = negated.kind else { Issue.record("unary minus does not bind tighter"); return }
        #expect(try SQLPrinter.print(parse("(x AT TIME ZONE 'UTC') COLLATE \"C\"")) == "(x AT TIME ZONE 'UTC') COLLATE \"C\"")
        // START AT is not AT TIME ZONE.
        #expect(throws: Never.self) { try Parser.parseStatement("SELECT STREAM * FROM s WHERE a > 1 START AT LATEST") }
    }
}
