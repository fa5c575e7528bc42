import Testing
@testable import FreshetSQL

@Suite("Expressions")
struct ExpressionParserTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("2 ^ 3 ^ 2", "((2 ^ 3) ^ 2)"),
        ("-2 ^ 2", "((- 2) ^ 2)"),
        ("-x::int", "(- (x::INTEGER))"),
        ("a * b ^ c", "(a * (b ^ c))"),
        ("a || b + c", "(a || (b + c))"),
        ("a + b || c", "((a + b) || c)"),
        ("a ~ b || c", "((a ~ b) || c)"),
        ("a = b || c", "(a = (b || c))"),
        ("a < b + 1", "(a < (b + 1))"),
        ("a = b AND c = d", "((a = b) AND (c = d))"),
        ("a OR b AND c", "(a OR (b AND c))"),
        ("a AND b OR c", "((a AND b) OR c)"),
        ("NOT a AND b", "((NOT a) AND b)"),
        ("NOT a = b", "(NOT (a = b))"),
        ("NOT a IS NULL", "(NOT (a IS NULL))"),
        ("a = b IS NULL", "((a = b) IS NULL)"),
        ("a IS NOT TRUE OR b", "((a IS NOT TRUE) OR b)"),
        ("a LIKE b = c", "((a LIKE b) = c)"),
        ("a LIKE b || c", "(a LIKE (b || c))"),
        ("a NOT LIKE b ESCAPE c", "(a NOT LIKE b ESCAPE c)"),
        ("a BETWEEN b AND c AND d", "((a BETWEEN b AND c) AND d)"),
        ("a BETWEEN b + 1 AND c * 2", "(a BETWEEN (b + 1) AND (c * 2))"),
        ("a NOT BETWEEN b AND c", "(a NOT BETWEEN b AND c)"),
        ("a IN (1, 2) = b", "((a IN [1, 2]) = b)"),
        ("a NOT IN (1 + 1)", "(a NOT IN [(1 + 1)])"),
        ("a IS DISTINCT FROM b + 1", "(a IS DISTINCT FROM (b + 1))"),
        ("a IS NOT DISTINCT FROM b AND c", "((a IS NOT DISTINCT FROM b) AND c)"),
        ("a & b | c", "((a & b) | c)"),
        ("x::int[]", "(x::INTEGER[])"),
        ("a[1][2]", "((a[1])[2])"),
        ("a[1]::text", "((a[1])::TEXT)"),
        ("a || b COLLATE \"C\"", "(a || (b COLLATE C))"),
        ("- a COLLATE \"C\"", "((- a) COLLATE C)"),
        ("a OPERATOR(pg_catalog.~) b", "(a ~ b)"),
        ("a OPERATOR(+) b * c", "(a + (b * c))"),
        ("a ISNULL AND b NOTNULL", "((a IS NULL) AND (b IS NOT NULL))"),
        ("~ a & b", "((~ a) & b)"),
        ("+ - 1", "(+ (- 1))"),
    ])
    func precedence(_ sql: String, _ expected: String) throws {
        #expect(try grouped(sql) == expected)
    }

    @Test func literals() throws {
        #expect(try Parser.parseExpression("NULL").kind == .literal(.null))
        #expect(try Parser.parseExpression("true").kind == .literal(.boolean(true)))
        #expect(try Parser.parseExpression("12345678901234567890123").kind == .literal(.integer("12345678901234567890123")))
        #expect(try Parser.parseExpression("1.5e3").kind == .literal(.decimal("1.5e3")))
        #expect(try Parser.parseExpression("E'a\\tb'").kind == .literal(.string("a\tb")))
        #expect(try Parser.parseExpression("X'ff'").kind == .literal(.bytes([255])))
        #expect(try Parser.parseExpression("$3").kind == .parameter(3))
    }

    @Test func typedLiterals() throws {
        #expect(try Parser.parseExpression("TIMESTAMP '2026-01-01 00:00:00'").kind
            == .literal(.typed(DataTypeName(name: "TIMESTAMP"), "2026-01-01 00:00:00")))
        #expect(try Parser.parseExpression("date '2026-01-01'").kind == .literal(.typed(DataTypeName(name: "DATE"), "2026-01-01")))
        #expect(try Parser.parseExpression("TIME '12:00'").kind == .literal(.typed(DataTypeName(name: "TIME"), "12:00")))
        #expect(try Parser.parseExpression("TIMESTAMP WITH TIME ZONE 'x'").kind == .literal(.typed(DataTypeName(name: "TIMESTAMPTZ"), "x")))
    }

    @Test func intervals() throws {
        #expect(try Parser.parseExpression("INTERVAL '5' SECOND").kind == .literal(.interval("5", IntervalQualifier(start: .second))))
        #expect(try Parser.parseExpression("INTERVAL '2 3:4:5.678' DAY TO SECOND").kind
            == .literal(.interval("2 3:4:5.678", IntervalQualifier(start: .day, end: .second))))
        #expect(try Parser.parseExpression("INTERVAL '1 hour'").kind == .literal(.interval("1 hour", nil)))
        #expect(try Parser.parseExpression("INTERVAL '1' MINUTE(3)").kind
            == .literal(.interval("1", IntervalQualifier(start: .minute, startPrecision: 3))))
        #expect(try Parser.parseExpression("INTERVAL '1' DAY TO SECOND(3)").kind
            == .literal(.interval("1", IntervalQualifier(start: .day, end: .second, fractionalPrecision: 3))))
    }

    func column(_ parts: String...) -> Expression {
        Expression(.column(ObjectName(parts.map { Identifier($0) })))
    }

    @Test func names() throws {
        #expect(try Parser.parseExpression("s.ROWTIME").kind == column("s", "rowtime").kind)
        #expect(try Parser.parseExpression("\"S\".\"ROWTIME\"").kind
            == .column(ObjectName([Identifier("S", quoted: true), Identifier("ROWTIME", quoted: true)])))
        // Reserved words are names after a dot.
        #expect(try Parser.parseExpression("t.from").kind == column("t", "from").kind)
    }

    @Test func functionCalls() throws {
        let count = try Parser.parseExpression("COUNT(*)")
        #expect(count.kind == .function(FunctionCall(name: ObjectName([Identifier("count")]), arguments: [], star: true)))
        let distinct = try Parser.parseExpression("count(DISTINCT x)")
        #expect(distinct.kind == .function(FunctionCall(name: ObjectName([Identifier("count")]), arguments: [column("x")], distinct: true)))
        let qualified = try Parser.parseExpression("pg_catalog.f(x)")
        #expect(qualified.kind == .function(FunctionCall(name: ObjectName([Identifier("pg_catalog"), Identifier("f")]), arguments: [column("x")])))
        let windowed = try Parser.parseExpression("sum(x) FILTER (WHERE x > 0) OVER w")
        guard case .function(let call) = windowed.kind else { Issue.record("not a call"); return }
        #expect(call.filter != nil)
        #expect(call.over == .named(Identifier("w")))
        let inline = try Parser.parseExpression("avg(x) OVER (PARTITION BY k ORDER BY ts RANGE INTERVAL '1' MINUTE PRECEDING)")
        guard case .function(let avg) = inline.kind, case .inline(let spec)? = avg.over else { Issue.record("no window"); return }
        #expect(spec.partitionBy == [column("k")])
        #expect(spec.orderBy == [OrderByItem(expression: column("ts"))])
        #expect(spec.frame == WindowFrame(units: .range, start: .preceding(Expression(.literal(.interval("1", IntervalQualifier(start: .minute)))))))
        #expect(try Parser.parseExpression("CURRENT_TIMESTAMP").kind
            == .function(FunctionCall(name: ObjectName([Identifier("current_timestamp")]), arguments: [])))
    }

    @Test func specialForms() throws {
        let one = Expression(.literal(.integer("1")))
        let two = Expression(.literal(.integer("2")))
        #expect(try Parser.parseExpression("CAST(x AS BIGINT)").kind == .cast(column("x"), DataTypeName(name: "BIGINT"), syntax: .cast))
        #expect(try Parser.parseExpression("x::int8").kind == .cast(column("x"), DataTypeName(name: "BIGINT"), syntax: .doubleColon))
        #expect(try Parser.parseExpression("EXTRACT(year FROM ts)").kind == .extract(field: "YEAR", column("ts")))
        #expect(try Parser.parseExpression("FLOOR(ts TO MINUTE)").kind == .floorCeilTo(column("ts"), unit: .minute, ceil: false))
        #expect(try Parser.parseExpression("CEIL(ts TO HOUR)").kind == .floorCeilTo(column("ts"), unit: .hour, ceil: true))
        #expect(try Parser.parseExpression("STEP(x BY 2)").kind == .step(column("x"), by: two))
        #expect(try Parser.parseExpression("SUBSTRING(s FROM 1 FOR 2)").kind
            == .specialFunction(name: "substring", arguments: [column("s"), one, two], keywordForm: true))
        #expect(try Parser.parseExpression("substring(s, 1)").kind
            == .specialFunction(name: "substring", arguments: [column("s"), one], keywordForm: false))
        #expect(try Parser.parseExpression("POSITION(a IN b)").kind
            == .specialFunction(name: "position", arguments: [column("b"), column("a")], keywordForm: true))
        #expect(try Parser.parseExpression("TRIM(LEADING 'x' FROM s)").kind
            == .specialFunction(name: "ltrim", arguments: [column("s"), Expression(.literal(.string("x")))], keywordForm: true))
        #expect(try Parser.parseExpression("TRIM(s)").kind == .specialFunction(name: "btrim", arguments: [column("s")], keywordForm: false))
        #expect(try Parser.parseExpression("OVERLAY(s PLACING 'ab' FROM 1 FOR 2)").kind
            == .specialFunction(name: "overlay", arguments: [column("s"), Expression(.literal(.string("ab"))), one, two], keywordForm: true))
        #expect(try Parser.parseExpression("x COLLATE \"C\"").kind == .collate(column("x"), ObjectName([Identifier("C", quoted: true)])))
        #expect(try Parser.parseExpression("ARRAY[1, 2]").kind == .array([one, two]))
        #expect(try Parser.parseExpression("a[1]").kind == .subscript(column("a"), one))
        #expect(try Parser.parseExpression("ROW(1)").kind == .row([one]))
        #expect(try Parser.parseExpression("(1, 2)").kind == .row([one, two]))
        #expect(try Parser.parseExpression("(1)").kind == one.kind)
    }

    @Test func predicatesAndSubqueries() throws {
        #expect(try Parser.parseExpression("x IS NOT NULL").kind == .isNull(column("x"), negated: true))
        #expect(try Parser.parseExpression("x IS UNKNOWN").kind == .isBoolean(column("x"), value: nil, negated: false))
        #expect(try Parser.parseExpression("x IS NOT FALSE").kind == .isBoolean(column("x"), value: false, negated: true))
        #expect(try Parser.parseExpression("x IS DISTINCT FROM y").kind == .binary(.isDistinctFrom, column("x"), column("y")))
        #expect(try Parser.parseExpression("x ILIKE 'a%'").kind
            == .like(column("x"), pattern: Expression(.literal(.string("a%"))), escape: nil, kind: .ilike, negated: false))
        #expect(try Parser.parseExpression("x NOT SIMILAR TO 'a'").kind
            == .like(column("x"), pattern: Expression(.literal(.string("a"))), escape: nil, kind: .similarTo, negated: true))
        guard case .inSubquery(_, _, negated: true) = try Parser.parseExpression("x NOT IN (SELECT 1)").kind else {
            Issue.record("expected IN subquery"); return
        }
        guard case .exists(_, negated: true) = try Parser.parseExpression("NOT EXISTS (SELECT 1)").kind else {
            Issue.record("expected NOT EXISTS"); return
        }
        guard case .scalarSubquery = try Parser.parseExpression("(SELECT max(x) FROM t)").kind else {
            Issue.record("expected scalar subquery"); return
        }
        guard case .caseWhen(operand: nil, branches: let branches, elseResult: .some) = try Parser.parseExpression(
            "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END").kind else {
            Issue.record("expected CASE"); return
        }
        #expect(branches.count == 2)
    }

    @Test func expressionSpans() throws {
        let expression = try Parser.parseExpression("  a + bb * 3")
        #expect(expression.span.start.offset == 2)
        #expect(expression.span.end.offset == 12)
        guard case .binary(_, let left, let right) = expression.kind else { Issue.record("not binary"); return }
        #expect(left.span.start.offset == 2 && left.span.end.offset == 3)
        #expect(right.span.start.offset == 6 && right.span.end.offset == 12)
        // Parentheses belong to the operand they enclose.
        let grouped = try Parser.parseExpression("(a + b) * c")
        #expect(grouped.span.start.offset == 0 && grouped.span.end.offset == 11)
        guard case .binary(_, let parenthesized, _) = grouped.kind else { Issue.record("not binary"); return }
        #expect(parenthesized.span.start.offset == 0 && parenthesized.span.end.offset == 7)
        // Multi-line: line and column of a nested call.
        let call = try Parser.parseExpression("1 +\n  f(x)")
        guard case .binary(_, _, let f) = call.kind else { Issue.record("not binary"); return }
        #expect(f.span.start.line == 2 && f.span.start.column == 3 && f.span.start.offset == 6)
    }

    @Test func printerParenthesisesOnlyWhereNeeded() throws {
        let cases = [
            ("(a + b) * c", "(a + b) * c"),
            ("a + (b * c)", "a + b * c"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("- (-1)", "- -1"),
            ("(-1)::int", "(-1)::INTEGER"),
            ("NOT (NOT a)", "NOT (NOT a)"),
            ("(a = b) = c", "(a = b) = c"),
            ("(a OR b) AND c", "(a OR b) AND c"),
            ("(ARRAY[1, 2])[1]", "(ARRAY[1, 2])[1]"),
        ]
        for (sql, expected) in cases {
            #expect(SQLPrinter.print(try Parser.parseExpression(sql)) == expected)
        }
    }

    @Test func dataTypes() throws {
        let cases: [(String, DataTypeName)] = [
            ("DOUBLE PRECISION", DataTypeName(name: "DOUBLE")),
            ("float(24)", DataTypeName(name: "REAL")),
            ("float(25)", DataTypeName(name: "DOUBLE")),
            ("CHARACTER VARYING(10)", DataTypeName(name: "VARCHAR", arguments: [10])),
            ("numeric(10, 2)", DataTypeName(name: "DECIMAL", arguments: [10, 2])),
            ("int4", DataTypeName(name: "INTEGER")),
            ("bool", DataTypeName(name: "BOOLEAN")),
            ("VARBINARY", DataTypeName(name: "BYTEA")),
            ("timestamp without time zone", DataTypeName(name: "TIMESTAMP")),
            ("INTERVAL DAY TO SECOND", DataTypeName(name: "INTERVAL", intervalQualifier: IntervalQualifier(start: .day, end: .second))),
            ("pg_catalog.text", DataTypeName(name: "TEXT")),
            ("text[]", DataTypeName(name: "TEXT", arrayDimensions: 1)),
            ("regclass", DataTypeName(name: "REGCLASS")),
        ]
        for (sql, expected) in cases {
            #expect(try Parser.parseDataType(sql) == expected, "\(sql)")
        }
    }
}
