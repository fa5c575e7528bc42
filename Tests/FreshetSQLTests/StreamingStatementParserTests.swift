import Testing
@testable import FreshetSQL

/// The AST of the Freshet/Kinesis statements: pumps, ALTER STREAM, delivery
/// and video streams (SQL.md), checked field by field.
@Suite("Streaming statements")
struct StreamingStatementParserTests {
    func id(_ value: String, quoted: Bool = false) -> Identifier { Identifier(value, quoted: quoted) }
    func name(_ parts: String...) -> ObjectName { ObjectName(parts.map { Identifier($0) }) }
    func string(_ value: String) -> Expression { Expression(.literal(.string(value))) }
    func kind(_ sql: String) throws -> StatementKind { try roundTrip(sql).kind }

    @Test func createPump() throws {
        guard case .createPump(let pump) = try kind("""
            CREATE OR REPLACE PUMP clicks_per_minute_pump STOPPED AS
              INSERT INTO clicks_per_minute (url, clicks)
              SELECT STREAM url, COUNT(*) FROM clicks GROUP BY url, STEP(clicks.ROWTIME BY INTERVAL '1' MINUTE)
            """) else { Issue.record("not a pump"); return }
        #expect(pump.name == name("clicks_per_minute_pump"))
        #expect(pump.orReplace && pump.stopped)
        #expect(pump.insert.target == name("clicks_per_minute"))
        #expect(pump.insert.columns == [id("url"), id("clicks")])
        #expect(pump.insert.returning.isEmpty)
        guard case .select(let select) = pump.insert.source.body else { Issue.record("not a select"); return }
        #expect(select.isStream)
        #expect(select.groupBy.count == 2)

        guard case .createPump(let plain) = try kind("CREATE PUMP p AS INSERT INTO o SELECT STREAM * FROM s") else {
            Issue.record("not a pump"); return
        }
        #expect(!plain.orReplace && !plain.stopped && plain.insert.columns.isEmpty)
    }

    @Test func pumpRefusesReturningAndNonInsertBodies() {
        let returning = syntaxError("CREATE PUMP p AS INSERT INTO o SELECT STREAM * FROM s RETURNING *")
        #expect(returning?.found == "RETURNING")
        #expect(syntaxError("CREATE PUMP p AS SELECT STREAM * FROM s")?.expected.contains("INSERT") == true)
        #expect(syntaxError("CREATE PUMP p INSERT INTO o SELECT 1")?.expected.contains("AS") == true)
    }

    @Test func alterAndDropPump() throws {
        #expect(try kind("ALTER PUMP p STOP") == .alterPump(AlterPump(name: name("p"), action: .stop)))
        #expect(try kind("ALTER PUMP s.p START") == .alterPump(AlterPump(name: name("s", "p"), action: .start)))
        #expect(try kind("DROP PUMP IF EXISTS p") == .drop(Drop(objectKind: .pump, ifExists: true, names: [name("p")])))
        let error = syntaxError("ALTER PUMP p PAUSE")
        #expect(error?.expected == ["START", "STOP"])
    }

    @Test func alterStream() throws {
        #expect(try kind("ALTER STREAM clicks SET (retention = '7 days', shards = 8)") == .alterStream(AlterStream(
            name: name("clicks"),
            action: .setOptions([OptionAssignment(name: id("retention"), value: string("7 days")),
                                 OptionAssignment(name: id("shards"), value: Expression(.literal(.integer("8"))))]))))
        let split = AlterStream(name: name("clicks"), action: .splitShard(
            shard: "shardId-000000000001", newStartingHashKey: "127605887595351923798765477786913079296"))
        #expect(try kind("ALTER STREAM clicks SPLIT SHARD 'shardId-000000000001' AT '127605887595351923798765477786913079296'")
                == .alterStream(split))
        // The hash key may also be written as a bare number.
        #expect(try kind("ALTER STREAM clicks SPLIT SHARD 'shardId-000000000001' AT 127605887595351923798765477786913079296")
                == .alterStream(split))
        #expect(try kind("ALTER STREAM clicks MERGE SHARDS 'shardId-000000000002', 'shardId-000000000003'")
                == .alterStream(AlterStream(name: name("clicks"), action: .mergeShards("shardId-000000000002", "shardId-000000000003"))))
        #expect(syntaxError("ALTER STREAM clicks RENAME TO x")?.expected == ["SET", "SPLIT", "MERGE"])
        #expect(syntaxError("ALTER STREAM clicks MERGE SHARDS 'a'") != nil)
        #expect(syntaxError("ALTER TABLE t SET (a = 1)")?.expected == ["STREAM", "PUMP", "DELIVERY"])
    }

    @Test func createDeliveryStreamFromStream() throws {
        guard case .createDeliveryStream(let create) = try kind("""
            CREATE DELIVERY STREAM clicks_to_lake FROM clicks
              TO S3 (bucket = 'lake', prefix = 'clicks/')
              WITH (buffer_size = '5 MB', format = jsonl)
            """) else { Issue.record("not a delivery stream"); return }
        #expect(create.name == name("clicks_to_lake"))
        #expect(!create.ifNotExists)
        #expect(create.source == .stream(name("clicks")))
        #expect(create.destination.kind == .s3)
        #expect(create.destination.options.map(\.name.value) == ["bucket", "prefix"])
        #expect(create.options == [OptionAssignment(name: id("buffer_size"), value: string("5 MB")),
                                   OptionAssignment(name: id("format"), value: string("jsonl"))])
    }

    @Test func createDeliveryStreamSources() throws {
        guard case .createDeliveryStream(let query) = try kind(
            "CREATE DELIVERY STREAM IF NOT EXISTS slow AS SELECT STREAM * FROM clicks WHERE latency > 500 TO postgres (table = 'slow')")
        else { Issue.record("not a delivery stream"); return }
        #expect(query.ifNotExists)
        guard case .query(let q) = query.source, case .select(let select) = q.body else { Issue.record("not a query"); return }
        #expect(select.isStream && select.whereClause != nil)
        #expect(query.destination.kind == .postgres)

        guard case .createDeliveryStream(let direct) = try kind("CREATE DELIVERY STREAM d (msg VARCHAR(200) NOT NULL) TO HTTP")
        else { Issue.record("not a delivery stream"); return }
        #expect(direct.source == .direct([ColumnDefinition(name: id("msg"), type: DataTypeName(name: "VARCHAR", arguments: [200]),
                                                           notNull: true)]))
        #expect(direct.destination == DeliveryDestination(kind: .http))
        for kind in DeliveryDestination.Kind.allCases {
            #expect(try self.kind("CREATE DELIVERY STREAM d FROM s TO \(kind.rawValue.lowercased())")
                     == .createDeliveryStream(CreateDeliveryStream(name: name("d"), source: .stream(name("s")),
                                                                   destination: DeliveryDestination(kind: kind))))
        }
    }

    @Test func deliveryStreamErrors() {
        let unknown = syntaxError("CREATE DELIVERY STREAM d FROM s TO KAFKA (url = 'x')")
        #expect(unknown?.found == "KAFKA")
        #expect(unknown?.expected == ["S3", "POSTGRES", "ELASTICSEARCH", "SPLUNK", "HTTP"])
        #expect(syntaxError("CREATE DELIVERY STREAM d FROM s")?.expected.contains("TO") == true)
        #expect(syntaxError("CREATE OR REPLACE DELIVERY STREAM d FROM s TO S3") != nil)
    }

    @Test func alterAndDropDeliveryStream() throws {
        #expect(try kind("ALTER DELIVERY STREAM d SET (buffer_interval = '10 seconds')") == .alterDeliveryStream(
            AlterDeliveryStream(name: name("d"), options: [OptionAssignment(name: id("buffer_interval"), value: string("10 seconds"))])))
        #expect(try kind("DROP DELIVERY STREAM d") == .drop(Drop(objectKind: .deliveryStream, names: [name("d")])))
    }

    @Test func videoStreams() throws {
        #expect(try kind("CREATE VIDEO STREAM door_cam WITH (retention = '24 hours', media_type = 'video/h264')") == .createVideoStream(
            CreateVideoStream(name: name("door_cam"), options: [OptionAssignment(name: id("retention"), value: string("24 hours")),
                                                                OptionAssignment(name: id("media_type"), value: string("video/h264"))])))
        #expect(try kind("CREATE VIDEO STREAM IF NOT EXISTS cam") == .createVideoStream(CreateVideoStream(name: name("cam"), ifNotExists: true)))
        #expect(try kind("DROP VIDEO STREAM IF EXISTS cam") == .drop(Drop(objectKind: .videoStream, ifExists: true, names: [name("cam")])))
    }

    @Test func staggerWindow() throws {
        guard case .query(let query) = try kind("""
            SELECT STREAM ticker_symbol, COUNT(*) FROM "SOURCE_SQL_STREAM_001" WHERE price > 0
            WINDOWED BY STAGGER (PARTITION BY FLOOR(event_time TO MINUTE), ticker_symbol RANGE INTERVAL '1' MINUTE)
            """), case .select(let select) = query.body else { Issue.record("not a select"); return }
        let stagger = try #require(select.stagger)
        #expect(stagger.partitionBy.count == 2)
        #expect(stagger.partitionBy.last == Expression(.column(name("ticker_symbol"))))
        #expect(stagger.range == Expression(.literal(.interval("1", IntervalQualifier(start: .minute)))))
        #expect(select.whereClause != nil)
        #expect(select.groupBy.isEmpty)
        // WINDOWED is not taken as a table alias.
        guard case .named(_, alias: nil, window: nil)? = select.from.first else { Issue.record("alias taken"); return }
        #expect(syntaxError("SELECT STREAM * FROM s WINDOWED BY STAGGER (RANGE INTERVAL '1' MINUTE)")?.expected == ["PARTITION"])
    }

    @Test func windowedJoinsOnEitherSide() throws {
        guard case .query(let query) = try kind(
            "SELECT STREAM * FROM orders AS o OVER (ROWS 10 PRECEDING) JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s ON o.id = s.order_id"),
              case .select(let select) = query.body, case .join(let join)? = select.from.first else {
            Issue.record("not a join"); return
        }
        guard case .named(let left, let leftAlias, let leftWindow) = join.left,
              case .named(let right, let rightAlias, let rightWindow) = join.right else { Issue.record("not named"); return }
        #expect(left == name("orders") && leftAlias?.name == id("o"))
        #expect(leftWindow?.frame == WindowFrame(units: .rows, start: .preceding(Expression(.literal(.integer("10"))))))
        #expect(right == name("shipments") && rightAlias?.name == id("s"))
        #expect(rightWindow?.frame?.units == .range)
        // The canonical form puts the window before the alias.
        #expect(try canonical("SELECT STREAM * FROM a AS x OVER (ROWS 1 PRECEDING) JOIN b ON TRUE")
                == "SELECT STREAM * FROM a OVER (ROWS 1 PRECEDING) AS x JOIN b ON TRUE")
    }

    @Test func tableFunctionOverCursor() throws {
        guard case .query(let query) = try kind(
            "SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price, qty FROM trades), 100)) AS r"),
              case .select(let select) = query.body, case .function(let call, let alias)? = select.from.first else {
            Issue.record("not a table function"); return
        }
        #expect(call.name == name("random_cut_forest"))
        #expect(alias?.name == id("r"))
        #expect(call.arguments.count == 2)
        guard case .cursor(let cursorQuery) = call.arguments[0].kind, case .select(let inner) = cursorQuery.body else {
            Issue.record("first argument is not a cursor"); return
        }
        #expect(inner.isStream && inner.items.count == 2)
        // `cursor` without a query after it is an ordinary name or call.
        #expect(try Parser.parseExpression("cursor(1)") == Expression(.function(FunctionCall(name: name("cursor"),
                                                                                          arguments: [Expression(.literal(.integer("1")))]))))
    }

    @Test func hopAndSessionAreOrdinaryCalls() throws {
        guard case .query(let query) = try kind("SELECT STREAM COUNT(*) FROM s GROUP BY HOP(ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), SESSION(ts, INTERVAL '30' SECOND)"),
              case .select(let select) = query.body else { Issue.record("not a select"); return }
        let names = select.groupBy.compactMap { expression -> String? in
            if case .function(let call) = expression.kind { return "\(call.name)/\(call.arguments.count)" }
            return nil
        }
        #expect(names == ["hop/3", "session/2"])
    }
}
