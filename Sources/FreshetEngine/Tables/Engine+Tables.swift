import FreshetCore
import FreshetPlanner
import FreshetSQL
import Foundation

extension Engine {
    /// Open every table of the catalog: replay its change log into memory.
    func openTables() throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory + "/tables", withIntermediateDirectories: true)
        for def in catalog.tables ?? [] {
            tables[def.oid] = try ReferenceTable(definition: def, dataDirectory: configuration.dataDirectory)
        }
    }

    func tableDefinitions() -> [TableDefinition] { catalogLock.withLock { catalog.tables ?? [] } }

    /// The current contents of table `oid` (nil: no such table). Cheap: a
    /// copy-on-write snapshot, unaffected by later changes. Stream–table joins
    /// read this per batch.
    public func tableSnapshot(_ oid: UInt32) -> TableSnapshot? {
        catalogLock.withLock { tables[oid] }?.snapshot()
    }

    func table(for oid: UInt32) throws -> ReferenceTable {
        guard let t = catalogLock.withLock({ tables[oid] }) else {
            throw FreshetError(.undefinedTable, "the table was dropped while the statement ran")
        }
        return t
    }

    /// CREATE TABLE [IF NOT EXISTS] name (cols [PRIMARY KEY] …, [PRIMARY KEY (…)]).
    func createTable(_ c: CreateTable) throws {
        guard c.name.parts.count == 1 || (c.name.parts.count == 2 && c.name.parts[0].value == "public") else {
            throw FreshetError(.invalidParameterValue, "tables live in schema public; \"\(c.name)\" names another schema",
                               position: c.name.span.start.offset + 1)
        }
        let name = c.name.last.value
        var columns: [StreamDefinition.ColumnDefinition] = []
        for col in c.columns {
            if columns.contains(where: { $0.name == col.name.value }) {
                throw FreshetError(.duplicateColumn, "column \"\(col.name.value)\" specified more than once", position: col.name.span.start.offset + 1)
            }
            let t = try TypeNamesPublic.resolve(col.type)
            columns.append(.init(name: col.name.value, type: StoredType(t), notNull: col.notNull))
        }
        var key: [String] = []
        for k in c.primaryKey {
            guard let i = columns.firstIndex(where: { $0.name == k.value }) else {
                throw FreshetError(.undefinedColumn, "column \"\(k.value)\" named in key does not exist", position: k.span.start.offset + 1)
            }
            if key.contains(k.value) {
                throw FreshetError(.duplicateColumn, "column \"\(k.value)\" appears twice in primary key constraint", position: k.span.start.offset + 1)
            }
            columns[i].notNull = true   // as in PostgreSQL: key columns are NOT NULL
            key.append(k.value)
        }
        let now = configuration.clock.nowMicros()
        try catalogLock.withLock {
            if catalog.streams.contains(where: { $0.name == name }) || (catalog.tables ?? []).contains(where: { $0.name == name }) {
                if c.ifNotExists { return }
                throw FreshetError(.duplicateTable, "relation \"\(name)\" already exists", position: c.name.span.start.offset + 1)
            }
            var next = catalog
            let oid = next.nextOID
            next.nextOID += 1
            let def = TableDefinition(oid: oid, name: name, columns: columns, primaryKey: key, createdMicros: now, logFile: "tables/\(oid).log")
            // A log left by a crash between creating it and writing the catalog would be replayed: start empty.
            _ = unlink(configuration.dataDirectory + "/" + def.logFile)
            let table = try ReferenceTable(definition: def, dataDirectory: configuration.dataDirectory)
            next.tables = (next.tables ?? []) + [def]
            do { try persistCatalog(next) } catch {
                table.destroy()
                throw error
            }
            catalog = next
            tables[oid] = table
        }
    }

    /// The table named `name`, if there is one.
    func tableDefinition(named name: String) -> TableDefinition? {
        catalogLock.withLock { (catalog.tables ?? []).first { $0.name == name } }
    }

    /// DROP TABLE: remove it from the catalog durably, then delete its log.
    func dropTable(_ def: TableDefinition) throws {
        let table: ReferenceTable? = try catalogLock.withLock {
            var next = catalog
            next.tables?.removeAll { $0.oid == def.oid }
            try persistCatalog(next)
            catalog = next
            return tables.removeValue(forKey: def.oid)
        }
        table?.destroy()
    }
}
