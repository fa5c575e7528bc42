import FreshetCore
import FreshetPlanner
import FreshetSQL
import FreshetStorage
import FreshetStreams
import Foundation

extension Engine {
    /// CREATE [OR REPLACE] STREAM: validate, write the catalog durably, open the shard logs.
    func createStream(_ c: CreateStream) async throws {
        guard c.name.parts.count == 1 || (c.name.parts.count == 2 && c.name.parts[0].value == "public") else {
            throw FreshetError(.invalidParameterValue, "streams live in schema public; \"\(c.name)\" names another schema",
                               position: c.name.span.start.offset + 1)
        }
        let name = c.name.last.value
        // Columns
        var columns: [StreamDefinition.ColumnDefinition] = []
        let reserved = Set(StreamDefinition.systemColumns.map(\.name))
        for col in c.columns {
            let lower = col.name.value.lowercased()
            if reserved.contains(lower) {
                throw FreshetError(.duplicateColumn, "column name \"\(col.name.value)\" is reserved for a system column",
                                   hint: "Every stream row has ROWTIME, _shard_id, _sequence_number, _partition_key and _explicit_hash_key.",
                                   position: col.name.span.start.offset + 1)
            }
            if columns.contains(where: { $0.name == col.name.value }) {
                throw FreshetError(.duplicateColumn, "column \"\(col.name.value)\" specified more than once", position: col.name.span.start.offset + 1)
            }
            let t = try TypeNamesPublic.resolve(col.type)
            columns.append(.init(name: col.name.value, type: StoredType(t), notNull: col.notNull))
        }
        if columns.isEmpty { columns = [.init(name: "data", type: StoredType(.bytea), notNull: false)] }
        var watermark: StreamDefinition.WatermarkDefinition?
        if let w = c.watermark {
            let schema = columns.map { Column(name: $0.name, type: $0.type.type, nullable: !$0.notNull) }
            let bound = try Binder(catalog: EngineCatalogReader(streams: [])).bindWatermark(w, columns: schema)
            watermark = .init(column: schema[bound.column].name, delayMicros: bound.delayMicros)
        }
        // Options
        var shardCount = 1
        var partitionKey: String?
        var retentionHours = 24
        var mode = StreamDefinition.CapacityMode.onDemand
        var maxRecordBytes: Int?
        var seen = Set<String>()
        for opt in c.options {
            let key = opt.name.value.lowercased()
            let pos = opt.name.span.start.offset + 1
            guard seen.insert(key).inserted else {
                throw FreshetError(.syntaxError, "option \"\(key)\" specified more than once", position: pos)
            }
            let value = try opt.value.map { try CopyOptions.optionText($0) } ?? ""
            switch key {
            case "shards", "shard_count":
                guard let n = Int(value), n >= 1, n <= configuration.maxShardsPerStream else {
                    throw FreshetError(.invalidParameterValue, "shards must be an integer from 1 to \(configuration.maxShardsPerStream), not \"\(value)\"", position: pos)
                }
                shardCount = n
            case "partition_key":
                guard columns.contains(where: { $0.name == value }) else {
                    throw FreshetError(.undefinedColumn, "partition_key \"\(value)\" is not a column of stream \"\(name)\"",
                                       hint: "Columns: \(columns.map(\.name).joined(separator: ", ")).", position: pos)
                }
                partitionKey = value
            case "retention", "retention_period":
                retentionHours = try parseRetention(value, position: pos)
            case "capacity_mode":
                guard let m = StreamDefinition.CapacityMode(rawValue: value.lowercased()) else {
                    throw FreshetError(.invalidParameterValue, "capacity_mode must be 'on_demand' or 'provisioned', not '\(value)'", position: pos)
                }
                mode = m
            case "max_record_size":
                maxRecordBytes = try parseMaxRecordSize(value, position: pos)
            default:
                throw FreshetError(.invalidParameterValue, "unrecognized stream option \"\(key)\"",
                                   hint: "Stream options are shards, partition_key, retention, capacity_mode and max_record_size.", position: pos)
            }
        }
        let now = configuration.clock.nowMicros()
        if tableDefinition(named: name) != nil {
            if c.ifNotExists { return }
            throw FreshetError(.duplicateTable, "relation \"\(name)\" already exists (a table)", position: c.name.span.start.offset + 1)
        }
        let existing: StreamDefinition? = catalogLock.withLock { catalog.streams.first { $0.name == name } }
        if let existing {
            if c.ifNotExists { return }
            if !c.orReplace {
                throw FreshetError(.duplicateTable, "relation \"\(name)\" already exists", position: c.name.span.start.offset + 1)
            }
            try await dropStream(existing)
        }
        let created: (StreamDefinition, StreamStore) = try catalogLock.withLock {
            guard !catalog.streams.contains(where: { $0.name == name }) else {
                throw FreshetError(.duplicateTable, "relation \"\(name)\" already exists", position: c.name.span.start.offset + 1)
            }
            let ranges = HashKeyRange.even(count: shardCount)
            return try addStreamLocked { oid in
                StreamDefinition(
                    oid: oid, name: name, columns: columns,
                    shards: ranges.enumerated().map { .init(index: $0.offset, range: $0.element, parent: nil, adjacentParent: nil, open: true, closedMicros: nil) },
                    partitionKey: partitionKey, retentionHours: retentionHours, capacityMode: mode, maxRecordBytes: maxRecordBytes, createdMicros: now,
                    description: c.description, directory: "streams/\(oid)", watermark: watermark)
            }
        }
        publishCreated(created.0, created.1)
    }

    /// Add a stream to the catalog, durably, and open its shard logs; the caller holds
    /// `catalogLock`. `make` builds the definition for the oid it gets.
    @discardableResult
    func addStreamLocked(_ make: (_ oid: UInt32) -> StreamDefinition) throws -> (StreamDefinition, StreamStore) {
        var next = catalog
        let oid = next.nextOID
        next.nextOID += 1
        let def = make(oid)
        let (store, _) = try StreamStore.open(definition: def.storeDefinition(root: configuration.dataDirectory), options: logOptions,
                                              clock: configuration.clock)
        next.streams.append(def)
        do { try persistCatalog(next) } catch {
            try? store.destroy()
            throw error
        }
        catalog = next
        stores[oid] = store
        return (def, store)
    }

    /// Retention as an interval ('24 hours', '7 days') or a number of hours, within Kinesis's 24..8760 hours.
    func parseRetention(_ text: String, position: Int) throws -> Int {
        var hours: Int64
        if let h = Int64(text) {
            hours = h
        } else {
            let v: Value
            do { v = try Value.parse(pgText: Substring(text), as: .interval) } catch {
                throw FreshetError(.invalidParameterValue, "retention \"\(text)\" is not an interval",
                                   hint: "Write it like '24 hours' or '7 days'.", position: position)
            }
            guard case .interval(let i) = v, i.months == 0, i.microseconds % 3_600_000_000 == 0 else {
                throw FreshetError(.invalidParameterValue, "retention must be a whole number of hours or days, not \"\(text)\"", position: position)
            }
            hours = Int64(i.days) * 24 + i.microseconds / 3_600_000_000
        }
        guard (24...8760).contains(hours) else {
            throw FreshetError(.invalidParameterValue, "retention must be between 24 hours and 8760 hours (365 days), not \(hours) hours",
                               position: position)
        }
        return Int(hours)
    }

    func drop(_ d: Drop) async throws {
        for n in d.names {
            if n.parts.count == 2 && n.parts[0].value == "sys" {
                throw FreshetError(.wrongObjectType, "\"\(n)\" is a system table and cannot be dropped", position: n.span.start.offset + 1)
            }
            let name = n.last.value
            if let table = tableDefinition(named: name) {
                guard d.objectKind == .table else {
                    throw FreshetError(.wrongObjectType, "\"\(name)\" is not a stream", hint: "Use DROP TABLE to remove a table.",
                                       position: n.span.start.offset + 1)
                }
                let users = pumpsUsing(table.oid)
                if !users.isEmpty {
                    throw FreshetError(SQLState("2BP01"), "cannot drop table \"\(name)\" because \(users.count == 1 ? "pump" : "pumps") \(users.map { "\"\($0)\"" }.joined(separator: ", ")) \(users.count == 1 ? "joins" : "join") it",
                                       hint: "Drop the pump first (DROP PUMP \(users[0])).", position: n.span.start.offset + 1)
                }
                try dropTable(table)
                continue
            }
            let def: StreamDefinition? = catalogLock.withLock { catalog.streams.first { $0.name == name } }
            if def != nil && d.objectKind == .table {
                throw FreshetError(.wrongObjectType, "\"\(name)\" is not a table", hint: "Use DROP STREAM to remove a stream.",
                                   position: n.span.start.offset + 1)
            }
            guard let def else {
                if d.ifExists { continue }
                throw FreshetError(.undefinedTable, "\(d.objectKind == .table ? "table" : "stream") \"\(name)\" does not exist",
                                   position: n.span.start.offset + 1)
            }
            do { try await dropStream(def) } catch var e as FreshetError {
                e.position = e.position ?? n.span.start.offset + 1
                throw e
            }
        }
    }

    func dropStream(_ def: StreamDefinition) async throws {
        if def.name == ErrorStream.name {
            throw FreshetError(.wrongObjectType, "error_stream is a system stream and cannot be dropped")
        }
        let users = pumpsUsing(def.oid)
        if !users.isEmpty {
            throw FreshetError(SQLState("2BP01"), "cannot drop stream \"\(def.name)\" because \(users.count == 1 ? "pump" : "pumps") \(users.map { "\"\($0)\"" }.joined(separator: ", ")) \(users.count == 1 ? "depends" : "depend") on it",
                               hint: "Drop the pump first (DROP PUMP \(users[0])).")
        }
        let store: StreamStore? = try catalogLock.withLock {
            var next = catalog
            next.streams.removeAll { $0.oid == def.oid }
            try persistCatalog(next)
            catalog = next
            return stores.removeValue(forKey: def.oid)
        }
        publishDropped(def, store)
        lateRows.reset(stream: def.name)
        do { try store?.destroy() } catch {
            logger.error("dropping stream \(def.name): could not delete its files: \(error)")
        }
    }
}
