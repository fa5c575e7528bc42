import FreshetCore
@testable import FreshetPlanner
import FreshetSQL
import Testing

/// Planning of event-time windows, HOP/SESSION, STAGGER and streaming ORDER BY:
/// the plans the binder produces, and its errors with SQLSTATE and position.
@Suite struct EventTimePlanningTests {
    /// ev (u TEXT, v INTEGER, ts TIMESTAMP, other TIMESTAMP) with WATERMARK FOR ts AS ts - 5 s.
    struct Catalog: CatalogReader {
        func relation(named parts: [String]) -> RelationDescriptor? {
            guard parts.last == "ev" else { return nil }
            let columns = [Column(name: "u", type: .text), Column(name: "v", type: .integer), Column(name: "ts", type: .timestamp),
                           Column(name: "other", type: .timestamp), Column(name: "rowtime", type: .timestamp, nullable: false)]
            return RelationDescriptor(oid: 1, schemaName: "public", name: "ev", kind: .stream, columns: columns, userColumnCount: 4,
                                      watermark: EventTimeWatermark(column: 2, delayMicros: 5_000_000))
        }
        func relationNames() -> [String] { ["ev"] }
    }

    func plan(_ sql: String) throws -> QueryPlan {
        guard case .query(let q) = try Parser.parseStatement(sql).kind else { throw FreshetError(.syntaxError, "not a query") }
        return try Binder(catalog: Catalog()).bindQuery(q)
    }

    /// The error of planning `sql`, and the text at its position (1-based, as psql shows it).
    func failure(_ sql: String) -> (state: String, message: String, at: Substring)? {
        do {
            _ = try plan(sql)
            return nil
        } catch let e as FreshetError {
            let at = e.position.map { sql.dropFirst($0 - 1) } ?? ""
            return (e.state.code, e.message, at)
        } catch {
            return nil
        }
    }

    @Test func eventTimeTumblingWindowUsesTheWatermark() throws {
        let p = try plan("SELECT STREAM u, count(*) FROM ev GROUP BY u, STEP(ts BY INTERVAL '10' SECOND)")
        #expect(p.window == nil)
        let w = try #require(p.groupWindow)
        #expect(w.kind == .tumbling(sizeMicros: 10_000_000))
        #expect(w.timeColumn == 2)
        #expect(w.eventTime == EventTimeWatermark(column: 2, delayMicros: 5_000_000))
    }

    @Test func rowtimeTumblingStaysOnTheTumblingOperator() throws {
        let p = try plan("SELECT STREAM u, count(*) FROM ev GROUP BY u, FLOOR(ROWTIME TO MINUTE)")
        #expect(p.window?.sizeMicros == 60_000_000)
        #expect(p.groupWindow == nil)
    }

    @Test func hopBoundsAreHiddenKeys() throws {
        let p = try plan("SELECT STREAM HOP_END(ts, INTERVAL '5' SECOND, INTERVAL '1' MINUTE), u, sum(v) FROM ev GROUP BY u, HOP(ts, INTERVAL '5' SECOND, INTERVAL '1' MINUTE)")
        let w = try #require(p.groupWindow)
        #expect(w.kind == .hop(slideMicros: 5_000_000, sizeMicros: 60_000_000))
        // Keys: u, HOP(…) (start), hop_start(…), hop_end(…); the first output reads hop_end.
        #expect(p.grouping?.keys.count == 4)
        #expect(w.startKeys == [1, 2])
        #expect(w.endKeys == [3])
        guard case .column(3, .timestamp) = p.projections[0] else { Issue.record("HOP_END reads \(p.projections[0])"); return }
    }

    @Test func sessionOverRowtimeHasNoEventTime() throws {
        let p = try plan("SELECT STREAM u, count(*) FROM ev GROUP BY u, SESSION(ROWTIME, INTERVAL '30' SECOND)")
        #expect(p.groupWindow?.kind == .session(gapMicros: 30_000_000))
        #expect(p.groupWindow?.eventTime == nil)
    }

    @Test func staggerGroupsByItsPartition() throws {
        let p = try plan("SELECT STREAM u, count(*) FROM ev WINDOWED BY STAGGER (PARTITION BY u RANGE INTERVAL '1' MINUTE)")
        #expect(p.stagger?.rangeMicros == 60_000_000)
        #expect(p.stagger?.rowtimeIndex == 4)
        #expect(p.grouping?.keys.count == 1)
    }

    @Test func streamingOrderByLeadsWithATimeKey() throws {
        let p = try plan("SELECT STREAM u, v FROM ev ORDER BY FLOOR(ROWTIME TO MINUTE), v DESC")
        let s = try #require(p.streamSort)
        #expect(s.granularityMicros == 60_000_000)
        #expect(s.timeKeyColumn == 2)          // the hidden projection after u, v
        #expect(p.orderBy.count == 2)
        let g = try plan("SELECT STREAM SESSION_END(ts, INTERVAL '3' SECOND) AS e, count(*) FROM ev GROUP BY SESSION(ts, INTERVAL '3' SECOND) ORDER BY e")
        #expect(g.streamSort?.eventTime == true)
        #expect(g.streamSort?.granularityMicros == 0)
    }

    @Test func errorsNameTheStateAndPointAtTheCause() {
        let cases: [(String, String, String)] = [
            ("SELECT STREAM u, count(*) FROM ev GROUP BY u, HOP(other, INTERVAL '1' SECOND, INTERVAL '2' SECOND)", "42P20", "other,"),
            ("SELECT STREAM u, v FROM ev ORDER BY v", "42P20", "v"),
            ("SELECT STREAM u, v FROM ev ORDER BY ROWTIME DESC", "42P20", "ROWTIME DESC"),
            ("SELECT STREAM count(*) FROM ev GROUP BY SESSION(ts, INTERVAL '0' SECOND)", "22023", "INTERVAL '0' SECOND)"),
            ("SELECT STREAM count(*) FROM ev GROUP BY STEP(ts BY INTERVAL '1' SECOND), SESSION(ts, INTERVAL '1' SECOND)", "42803", "SESSION("),
            ("SELECT STREAM u, count(*) FROM ev WINDOWED BY STAGGER (PARTITION BY u RANGE INTERVAL '1' MINUTE) GROUP BY u", "42803", "u"),
            ("SELECT STREAM count(*) FROM ev GROUP BY HOP(v, INTERVAL '1' SECOND, INTERVAL '2' SECOND)", "42804", "v,"),
        ]
        for (sql, state, at) in cases {
            let f = failure(sql)
            #expect(f?.state == state, "\(sql): \(String(describing: f))")
            #expect(f?.at.hasPrefix(at) == true, "\(sql): position at \(String(describing: f?.at))")
        }
    }

    @Test func watermarkClauseIsCheckedAgainstTheColumns() throws {
        guard case .createStream(let c) = try Parser.parseStatement(
            "CREATE STREAM s (k TEXT, at TIMESTAMP, WATERMARK FOR at AS at - INTERVAL '1.5' SECOND)").kind else { Issue.record("not CREATE STREAM"); return }
        let columns = [Column(name: "k", type: .text), Column(name: "at", type: .timestamp)]
        let w = try Binder(catalog: Catalog()).bindWatermark(try #require(c.watermark), columns: columns)
        #expect(w == EventTimeWatermark(column: 1, delayMicros: 1_500_000))
        guard case .createStream(let bad) = try Parser.parseStatement(
            "CREATE STREAM s (k TEXT, at TIMESTAMP, WATERMARK FOR k AS k - INTERVAL '1' SECOND)").kind else { return }
        #expect(throws: FreshetError.self) { try Binder(catalog: Catalog()).bindWatermark(bad.watermark!, columns: columns) }
    }
}
