import FreshetCore
import FreshetPlanner
import FreshetSQL
import FreshetStorage
import FreshetStreams
import Foundation
import Logging

/// Configuration the `freshet serve` command passes to the Engine.
public struct EngineConfiguration: Sendable {
    public var dataDirectory: String
    public var clock: any Clock
    /// Segment size of shard logs (bytes).
    public var segmentBytes: Int
    /// Most shards one stream may have.
    public var maxShardsPerStream: Int
    public init(dataDirectory: String, clock: any Clock = SystemClock(), segmentBytes: Int = 64 << 20, maxShardsPerStream: Int = 1024) {
        self.dataDirectory = dataDirectory
        self.clock = clock
        self.segmentBytes = segmentBytes
        self.maxShardsPerStream = maxShardsPerStream
    }
}

/// The database: catalog, streams and sessions over one data directory.
///
/// Catalog changes (CREATE/DROP) are serialised by `catalogLock` and made
/// durable (catalog.json written atomically) before they are acknowledged.
/// Writes go through each stream's StreamStore and the shared GroupCommitter.
public final class Engine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let logger: Logger
    let committer: GroupCommitter
    /// Rows continuous queries received behind an event-time watermark (Engine+LateRows).
    let lateRows = LateRowCounter()
    let catalogLock = NSLock()
    var catalog: CatalogFile
    var stores: [UInt32: StreamStore] = [:]
    /// Reference tables (CREATE TABLE), in memory, each backed by its change log.
    var tables: [UInt32: ReferenceTable] = [:]
    let catalogPath: String
    /// Changes to sys.streams / sys.shards rows, for SELECT STREAM over them.
    let systemChanges = SystemChangeFeed()
    private var retentionTask: Task<Void, Never>?
    /// Running (and stopped) pumps by oid, guarded by catalogLock.
    var pumpRunners: [UInt32: PumpRunner] = [:]
    /// Serialises pump DDL (CREATE/ALTER/DROP PUMP wait for a runner to stop).
    let pumpLock = AsyncSerialLock()
    /// Late rows (and other synchronous reporters) on their way to error_stream.
    let errorBatcher = ErrorBatcher()

    public init(configuration: EngineConfiguration, logger: Logger = Logger(label: "freshet.engine")) throws {
        self.configuration = configuration
        self.logger = logger
        let dir = configuration.dataDirectory
        try FileManager.default.createDirectory(atPath: dir + "/streams", withIntermediateDirectories: true)
        catalogPath = dir + "/catalog.json"
        // Before any log is opened: the journal rewrites the records of the last rounds
        // it made durable into their segment files (see GroupCommitter, CommitJournal).
        committer = try GroupCommitter(journalPath: dir + "/commit.journal")
        if let r = committer.journalReplay, r.entries > 0 {
            logger.notice("commit journal: rewrote \(r.parts) piece(s), \(r.bytes) bytes of \(r.entries) commit round(s) into their logs")
        }
        if let bytes = try CatalogFileIO.read(path: catalogPath) {
            do {
                catalog = try JSONDecoder().decode(CatalogFile.self, from: Data(bytes))
            } catch {
                throw FreshetError(.dataCorrupted, "the catalog file \(catalogPath) cannot be read: \(error)")
            }
        } else {
            catalog = CatalogFile()
        }
        for def in catalog.streams {
            let (store, reports) = try StreamStore.open(definition: def.storeDefinition(root: dir), options: logOptions, clock: configuration.clock)
            for r in reports where r.bytesDropped > 0 {
                logger.warning("recovered stream \(def.name): dropped a torn tail of \(r.bytesDropped) bytes in \(r.tornFile ?? r.directory)")
            }
            stores[def.oid] = store
        }
        try ensureErrorStream()
        try openTables()
        logger.info("opened data directory \(dir) with \(catalog.streams.count) stream(s), \(tables.count) table(s) and \(catalog.pumps.count) pump(s)")
        startPumps()
        retentionTask = Task.detached { [weak self] in
            while !Task.isCancelled {
                // Cancelled (shutdown): stop without a last pass over logs being closed.
                do { try await Task.sleep(nanoseconds: 60_000_000_000) } catch { return }
                await self?.applyRetention()
            }
        }
    }

    var logOptions: LogOptions { LogOptions(segmentBytes: configuration.segmentBytes) }

    /// A new session for a connection. `user` and `database` come from the startup message.
    public func openSession(user: String, database: String) -> Session {
        Session(engine: self, user: user, database: database)
    }

    /// Finish in-flight writes and close files.
    public func shutdown() async {
        retentionTask?.cancel()
        await stopPumps()
        await errorBatcher.flush()
        committer.shutdown()
        let c = committer.counters
        logger.notice("group commit: \(c.rounds) rounds, \(c.fsyncs) fsyncs, \(c.batches) batches, \(c.records) records, fsyncs per batch \(String(format: "%.3f", c.fsyncsPerBatch))")
        catalogLock.withLock {
            for s in stores.values { s.close() }
            stores = [:]
        }
    }

    // MARK: catalog access for the planner

    func streamDefinitions() -> [StreamDefinition] { catalogLock.withLock { catalog.streams } }

    func catalogReader() -> CatalogReader {
        catalogLock.withLock {
            EngineCatalogReader(streams: catalog.streams, functions: catalog.functions ?? [], tables: catalog.tables ?? [])
        }
    }

    func psqlRelations() -> [PsqlCatalogQueries.Relation] {
        streamDefinitions().map { d in
            PsqlCatalogQueries.Relation(oid: d.oid, schema: "public", name: d.name, columns: d.userSchema.columns)
        } + tableDefinitions().map { d in
            PsqlCatalogQueries.Relation(oid: d.oid, schema: "public", name: d.name, columns: d.schema.columns)
        } + SystemTable.all.map { t in
            PsqlCatalogQueries.Relation(oid: t.oid, schema: "sys", name: t.name, columns: t.columns)
        }
    }

    func persistCatalog(_ c: CatalogFile) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(c)
        try CatalogFileIO.write(path: catalogPath, bytes: Array(data))
    }

    func partitionKeyColumn(of oid: UInt32) -> String? {
        catalogLock.withLock { catalog.streams.first { $0.oid == oid }?.partitionKey }
    }

    func store(for oid: UInt32) throws -> StreamStore {
        guard let s = catalogLock.withLock({ stores[oid] }) else {
            throw FreshetError(.undefinedTable, "the stream was dropped while the statement ran")
        }
        return s
    }
}

/// The catalog as the binder sees it at the start of a statement.
struct EngineCatalogReader: CatalogReader {
    let streams: [StreamDefinition]
    var functions: [FunctionDefinition] = []
    var tables: [TableDefinition] = []

    func relation(named parts: [String]) -> RelationDescriptor? {
        guard let name = parts.last else { return nil }
        if parts.count == 2 && parts[0] == "sys" { return SystemTable.named(name)?.descriptor }
        if parts.count == 2 && parts[0] != "public" { return nil }
        if parts.count > 2 { return nil }
        if let t = tables.first(where: { $0.name == name }) { return t.descriptor }
        guard let d = streams.first(where: { $0.name == name }) else { return nil }
        return d.descriptor
    }

    func relationNames() -> [String] { streams.map(\.name) + tables.map(\.name) }

    func function(named name: String) -> FunctionDescriptor? {
        functions.first { $0.name == name }?.descriptor
    }
}

extension StreamDefinition {
    var descriptor: RelationDescriptor {
        let user = userSchema.columns
        let watermark = self.watermark.flatMap { w in
            user.firstIndex { $0.name == w.column }.map { EventTimeWatermark(column: $0, delayMicros: w.delayMicros) }
        }
        return RelationDescriptor(oid: oid, schemaName: "public", name: name, kind: .stream,
                                  columns: user + StreamDefinition.systemColumns, userColumnCount: user.count, watermark: watermark)
    }

    func storeDefinition(root: String) -> StreamStore.Definition {
        StreamStore.Definition(name: name, directory: root + "/" + directory, schema: userSchema,
                               shards: shards.map(\.storeShard),
                               partitionKeyColumn: partitionKey.flatMap { userSchema.index(of: $0) }, options: storeOptions)
    }

    var storeOptions: StreamStore.Options {
        StreamStore.Options(capacityMode: capacityMode, maxRecordBytes: maxRecordBytes ?? StreamStore.Options.defaultMaxRecordBytes)
    }
}
