import FreshetCore
@testable import FreshetPlanner
import FreshetSQL
import Testing

/// Flattening FROM subqueries (Binder+DerivedStream): the plan reads the stream itself with the
/// filters AND-ed and the projections substituted; row-valued log-parsing fields bind to typed
/// `log_parse` calls; errors carry SQLSTATE and the position of the offending text.
@Suite struct DerivedStreamPlanningTests {
    struct Catalog: CatalogReader {
        func relation(named parts: [String]) -> RelationDescriptor? {
            guard parts.last == "src" else { return nil }
            let columns = [Column(name: "log", type: .text), Column(name: "n", type: .integer),
                           Column(name: "rowtime", type: .timestamp, nullable: false), Column(name: "_shard_id", type: .text)]
            return RelationDescriptor(oid: 1, schemaName: "public", name: "src", kind: .stream, columns: columns, userColumnCount: 2)
        }
        func relationNames() -> [String] { ["src"] }
    }

    func plan(_ sql: String) throws -> QueryPlan {
        guard case .query(let q) = try Parser.parseStatement(sql).kind else { throw FreshetError(.syntaxError, "not a query") }
        return try Binder(catalog: Catalog()).bindQuery(q)
    }

    func failure(_ sql: String) -> (state: String, message: String, at: Substring)? {
        do {
            _ = try plan(sql)
            return nil
        } catch let e as FreshetError {
            return (e.state.code, e.message, e.position.map { sql.dropFirst($0 - 1) } ?? "")
        } catch {
            return nil
        }
    }

    @Test func aFilterAndProjectionSubqueryReadsTheStreamDirectly() throws {
        let p = try plan("SELECT STREAM t.b * 2 AS d FROM (SELECT STREAM n + 1 AS b FROM src WHERE n > 0) AS t WHERE t.b < 10")
        guard case .relation(let r) = p.source else { Issue.record("source is not the stream: \(p.source)"); return }
        #expect(r.name == "src")
        #expect(p.isStream)
        #expect(p.outputColumns.map(\.name) == ["d"])
        // Both filters, over the stream's columns: n > 0 AND n + 1 < 10.
        guard case .and(let parts)? = p.filter else { Issue.record("filter is not an AND: \(String(describing: p.filter))"); return }
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.referencedColumns == [1] })
        #expect(p.projections[0].referencedColumns == [1])
    }

    @Test func theInnerRowtimePassesThrough() throws {
        let p = try plan("SELECT STREAM t.ROWTIME, t.x FROM (SELECT STREAM log AS x FROM src) AS t")
        #expect(p.projections[0].referencedColumns == [2])
        #expect(p.outputColumns.map(\.type) == [.timestamp, .text])
    }

    @Test func logParseFieldsAreTypedCallsOnTheInput() throws {
        let p = try plan("SELECT STREAM l.r.COLUMN1, l.r.COLUMN6 FROM (SELECT STREAM W3C_LOG_PARSE(log, 'COMMON') FROM src) AS l(r)")
        #expect(p.outputColumns.map(\.name) == ["column1", "column6"])
        #expect(p.outputColumns.map(\.type) == [.text, .integer])
        guard case let .function(.logParse, args, _) = p.projections[1] else { Issue.record("not a log_parse call"); return }
        #expect(args[0].referencedColumns == [0])
        if case .literal(.int(let field), _) = args[args.count - 1] { #expect(field == 5) } else { Issue.record("no field index") }
    }

    @Test func errorsPointAtTheText() {
        let badField = "SELECT STREAM l.r.COLUMN9 FROM (SELECT STREAM W3C_LOG_PARSE(log, 'COMMON') FROM src) AS l(r)"
        let f1 = failure(badField)
        #expect(f1?.state == "42703")
        #expect(f1?.at.hasPrefix("l.r.COLUMN9") == true)
        let grouped = "SELECT STREAM t.c FROM (SELECT STREAM count(*) AS c FROM src GROUP BY FLOOR(ROWTIME TO MINUTE)) AS t"
        #expect(failure(grouped)?.state == "0A000")
        let bare = "SELECT n, W3C_LOG_PARSE(log, 'COMMON') FROM src"
        let f3 = failure(bare)
        #expect(f3?.state == "0A000")
        #expect(f3?.at.hasPrefix("W3C_LOG_PARSE") == true)
        let format = "SELECT l.r.COLUMN1 FROM (SELECT W3C_LOG_PARSE(log, 'IIS') FROM src) AS l(r)"
        let f4 = failure(format)
        #expect(f4?.state == "0A000")
        #expect(f4?.at.hasPrefix("l.r.COLUMN1") == true || f4?.at.hasPrefix("W3C_LOG_PARSE") == true)
        let unknown = "SELECT STREAM t.lgo FROM (SELECT STREAM log AS logline FROM src) AS t"
        let f5 = failure(unknown)
        #expect(f5?.state == "42703")
        #expect(f5?.at.hasPrefix("t.lgo") == true)
    }

    @Test func regexGroupsAreCounted() {
        #expect(LogParseSpec.captureGroupCount(#"(\d+)-(?:x)-(?<name>\w+)\(lit\)[(]"#) == 2)
    }
}
