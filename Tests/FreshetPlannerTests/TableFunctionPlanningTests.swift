import FreshetCore
@testable import FreshetPlanner
import FreshetSQL
import Testing

/// Binding of TABLE(f(CURSOR(SELECT STREAM …), …)): parameters and defaults, output
/// columns, WHERE/projection around it, and errors with SQLSTATE and position.
@Suite struct TableFunctionPlanningTests {
    /// trades (price DOUBLE, qty INTEGER, sym TEXT) + system columns; t (a INTEGER) a table.
    struct Catalog: CatalogReader {
        func relation(named parts: [String]) -> RelationDescriptor? {
            switch parts.last {
            case "trades":
                let columns = [Column(name: "price", type: .double), Column(name: "qty", type: .integer), Column(name: "sym", type: .text),
                               Column(name: "rowtime", type: .timestamp, nullable: false), Column(name: "_shard_id", type: .text)]
                return RelationDescriptor(oid: 1, schemaName: "public", name: "trades", kind: .stream, columns: columns, userColumnCount: 3)
            case "t":
                return RelationDescriptor(oid: 2, schemaName: "public", name: "t", kind: .table, columns: [Column(name: "a", type: .integer)], userColumnCount: 1)
            default:
                return nil
            }
        }
        func relationNames() -> [String] { ["trades", "t"] }
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
            let at = e.position.map { sql.dropFirst($0 - 1) } ?? ""
            return (e.state.code, e.message, at)
        } catch {
            return nil
        }
    }

    @Test func randomCutForestDefaultsAndColumns() throws {
        let p = try plan("SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price, qty, sym FROM trades)))")
        let tf = try #require(p.tableFunction)
        #expect(tf.function == .randomCutForest(RandomCutForestParameters(numberOfTrees: 100, subSampleSize: 256, timeDecay: 100_000, shingleSize: 1)))
        #expect(tf.dimensions == [0, 1])                                   // price, qty: the numeric columns
        #expect(tf.inputProjections.count == 4)                            // + ROWTIME
        if case .column(let c, .timestamp) = tf.inputProjections[3] { #expect(c == 3) } else { Issue.record("no ROWTIME") }
        #expect(p.outputColumns.map(\.name) == ["price", "qty", "sym", "anomaly_score"])
        #expect(p.outputColumns[3].type == .double)
        if case .relation(let r) = p.source { #expect(r.name == "trades") } else { Issue.record("source") }
    }

    @Test func explicitParametersWhereAndProjection() throws {
        let p = try plan("""
            SELECT STREAM f.price, ANOMALY_SCORE * 2 AS doubled, f.ROWTIME FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
              CURSOR(SELECT STREAM price, qty FROM trades WHERE qty > 0 START AT TRIM_HORIZON), 50, 128, 1000, 2, TRUE)) AS f
              WHERE ANOMALY_SCORE > 2
            """)
        let tf = try #require(p.tableFunction)
        #expect(tf.function == .randomCutForest(RandomCutForestParameters(numberOfTrees: 50, subSampleSize: 128, timeDecay: 1000, shingleSize: 2,
                                                                          explanation: true, directionality: true)))
        #expect(tf.inputFilter != nil)
        #expect(p.filter != nil)
        #expect(p.outputColumns.map(\.name) == ["price", "doubled", "rowtime"])
        if case .trimHorizon = p.startAt {} else { Issue.record("START AT of the cursor is kept") }
        // Function row: price, qty, anomaly_score, anomaly_explanation, ROWTIME.
        if case .column(4, .timestamp) = p.projections[2] {} else { Issue.record("ROWTIME is the hidden last column: \(p.projections[2])") }
    }

    @Test func tumblingFunctionsAndHotspots() throws {
        let top = try plan("SELECT STREAM * FROM TABLE(TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM trades), 'SYM', 3, 60))")
        #expect(top.tableFunction?.function == .topKItems(column: 2, k: 3, windowMicros: 60_000_000))
        #expect(top.outputColumns.map(\.name) == ["item", "item_count"])
        #expect(top.outputColumns[0].type == .text)
        let distinct = try plan("SELECT STREAM * FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM trades), 'qty', 5))")
        #expect(distinct.tableFunction?.function == .countDistinctItems(column: 1, windowMicros: 5_000_000))
        #expect(distinct.outputColumns.map(\.name) == ["number_of_distinct_items"])
        // Kinesis Data Analytics' order: windowSize, scanRadius, minimumDensity (its example: 1000, 0.2, 17).
        let hot = try plan("SELECT STREAM * FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM price, qty FROM trades), 1000, 0.2, 17))")
        #expect(hot.tableFunction?.function == .hotspots(HotspotsParameters(windowSize: 1000, scanRadius: 0.2, minimumDensity: 17)))
        #expect(hot.outputColumns.last?.name == "hotspots_result")
    }

    @Test func errorsNameTheProblemAndWhereItIs() throws {
        let base = "SELECT STREAM * FROM TABLE("
        var f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price FROM trades), 1, 2, 3, 4, 5))"))
        #expect(f.state == "42883")
        #expect(f.message.contains("random_cut_forest(cursor, integer, integer, integer, integer, integer) does not exist"))
        #expect(f.at.hasPrefix("RANDOM_CUT_FOREST"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price FROM trades), 5000))"))
        #expect(f.state == "22023")
        #expect(f.message.contains("numberOfTrees") && f.message.contains("1 and 1000"))
        #expect(f.at.hasPrefix("5000"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price FROM trades), 'many'))"))
        #expect(f.state == "22023")
        #expect(f.at.hasPrefix("'many'"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT price FROM trades)))"))
        #expect(f.state == "42601")
        #expect(f.message.contains("must be a SELECT STREAM"))
        #expect(f.at.hasPrefix("CURSOR"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(price))"))
        #expect(f.state == "42601")
        #expect(f.message.contains("CURSOR(SELECT STREAM"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT STREAM sym FROM trades)))"))
        #expect(f.state == "22023")
        #expect(f.message.contains("no numeric column"))
        f = try #require(failure(base + "TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM trades), 'nope', 3, 60))"))
        #expect(f.state == "42703")
        #expect(f.at.hasPrefix("'nope'"))
        f = try #require(failure(base + "TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM trades), 'sym', 3, 7200))"))
        #expect(f.state == "22023")
        #expect(f.message.contains("between 1 and 3600"))
        f = try #require(failure(base + "HOTSPOTS(CURSOR(SELECT STREAM price FROM trades), 100, 0.5))"))
        #expect(f.state == "42883")   // minimumDensity has no default
        f = try #require(failure(base + "HOTSPOTS(CURSOR(SELECT STREAM price FROM trades), 100, 0, 17))"))
        #expect(f.state == "22023")
        #expect(f.message.contains("scanRadius"))
        #expect(f.at.hasPrefix("0, 17"))
        f = try #require(failure(base + "NO_SUCH_FUNCTION(CURSOR(SELECT STREAM price FROM trades)))"))
        #expect(f.state == "42883")
        #expect(f.at.hasPrefix("NO_SUCH_FUNCTION"))
        f = try #require(failure("SELECT * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price FROM trades)))"))
        #expect(f.state == "0A000")
        #expect(f.message.contains("SELECT STREAM"))
        f = try #require(failure(base + "RANDOM_CUT_FOREST(CURSOR(SELECT STREAM a FROM t)))"))
        #expect(f.state == "42809")
        f = try #require(failure("SELECT STREAM count(*) FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price FROM trades)))"))
        #expect(f.state == "0A000")
    }
}
