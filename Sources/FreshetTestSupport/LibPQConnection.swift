import CLibPQ
import Foundation

/// A thin wrapper over libpq (Debian's libpq-dev), the reference client the
/// end-to-end tests drive the server with.
/// Not thread-safe: one thread uses a connection at a time (tests hand it to a thread and wait).
public final class LibPQConnection: @unchecked Sendable {
    public let raw: OpaquePointer

    public struct Failure: Error, CustomStringConvertible {
        public var sqlState: String
        public var message: String
        public var position: Int?
        public var description: String { "\(sqlState): \(message)" }
    }

    public struct Result {
        public var columns: [String]
        public var columnTypes: [UInt32]
        public var rows: [[String?]]
        public var commandTag: String
    }

    public init(_ conninfo: String) throws {
        guard let c = PQconnectdb(conninfo) else { throw Failure(sqlState: "08000", message: "PQconnectdb returned NULL") }
        raw = c
        if PQstatus(c) != CONNECTION_OK {
            // deinit runs for a fully initialised object whose init throws: it calls PQfinish.
            throw Failure(sqlState: "08000", message: String(cString: PQerrorMessage(c)))
        }
    }

    public convenience init(port: Int, user: String = "freshet", password: String? = nil, database: String = "freshet") throws {
        var info = "host=127.0.0.1 port=\(port) user=\(user) dbname=\(database) connect_timeout=10"
        if let password { info += " password=\(password)" }
        try self.init(info)
    }

    deinit { PQfinish(raw) }

    public var errorMessage: String { String(cString: PQerrorMessage(raw)) }

    static func failure(_ r: OpaquePointer?, _ conn: OpaquePointer) -> Failure {
        guard let r else { return Failure(sqlState: "08000", message: String(cString: PQerrorMessage(conn))) }
        let state = PQresultErrorField(r, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "?????"
        let msg = PQresultErrorField(r, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? String(cString: PQresultErrorMessage(r))
        let pos = PQresultErrorField(r, Int32(UInt8(ascii: "P"))).flatMap { Int(String(cString: $0)) }
        return Failure(sqlState: state, message: msg, position: pos)
    }

    static func read(_ r: OpaquePointer) -> Result {
        let nf = Int(PQnfields(r)), nt = Int(PQntuples(r))
        var cols: [String] = [], types: [UInt32] = []
        for f in 0..<nf {
            cols.append(String(cString: PQfname(r, Int32(f))))
            types.append(PQftype(r, Int32(f)))
        }
        var rows: [[String?]] = []
        for t in 0..<nt {
            var row: [String?] = []
            for f in 0..<nf {
                if PQgetisnull(r, Int32(t), Int32(f)) == 1 { row.append(nil); continue }
                let len = Int(PQgetlength(r, Int32(t), Int32(f)))
                let p = PQgetvalue(r, Int32(t), Int32(f))!
                row.append(String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self))
            }
            rows.append(row)
        }
        return Result(columns: cols, columnTypes: types, rows: rows, commandTag: String(cString: PQcmdStatus(r)))
    }

    /// Simple query protocol; returns the last result.
    @discardableResult
    public func exec(_ sql: String) throws -> Result {
        guard let r = PQexec(raw, sql) else { throw LibPQConnection.failure(nil, raw) }
        defer { PQclear(r) }
        switch PQresultStatus(r) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return LibPQConnection.read(r)
        default: throw LibPQConnection.failure(r, raw)
        }
    }

    /// Extended query protocol with text parameters (nil = NULL) and text or binary results.
    @discardableResult
    public func execParams(_ sql: String, _ params: [String?], types: [UInt32] = [], binaryResults: Bool = false) throws -> Result {
        let cStrings = params.map { $0.map { strdup($0) } ?? nil }
        defer { for c in cStrings { free(c) } }
        var values: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
        let oids: [Oid] = types.isEmpty ? [] : types.map { Oid($0) }
        let r: OpaquePointer? = values.withUnsafeMutableBufferPointer { vp in
            oids.withUnsafeBufferPointer { op in
                PQexecParams(raw, sql, Int32(params.count), oids.isEmpty ? nil : op.baseAddress, vp.baseAddress, nil, nil,
                             binaryResults ? 1 : 0)
            }
        }
        guard let r else { throw LibPQConnection.failure(nil, raw) }
        defer { PQclear(r) }
        switch PQresultStatus(r) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: return LibPQConnection.read(r)
        default: throw LibPQConnection.failure(r, raw)
        }
    }

    /// Extended protocol with parameters in binary format: each parameter is raw bytes with its type OID.
    public func execBinaryParams(_ sql: String, _ params: [(oid: UInt32, bytes: [UInt8]?)], binaryResults: Bool) throws -> (Result, [[[UInt8]?]]) {
        let buffers: [UnsafeMutablePointer<CChar>?] = params.map { p in
            guard let b = p.bytes else { return nil }
            let m = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, b.count))
            b.withUnsafeBytes { UnsafeMutableRawPointer(m).copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(m), byteCount: b.count) }
            return m
        }
        defer { for b in buffers { b?.deallocate() } }
        var values: [UnsafePointer<CChar>?] = buffers.map { $0.map { UnsafePointer($0) } }
        var lengths: [Int32] = params.map { Int32($0.bytes?.count ?? 0) }
        var formats: [Int32] = params.map { _ in 1 }
        let oids: [Oid] = params.map { Oid($0.oid) }
        let r: OpaquePointer? = values.withUnsafeMutableBufferPointer { vp in
            lengths.withUnsafeMutableBufferPointer { lp in
                formats.withUnsafeMutableBufferPointer { fp in
                    oids.withUnsafeBufferPointer { op in
                        PQexecParams(raw, sql, Int32(params.count), op.baseAddress, vp.baseAddress, lp.baseAddress, fp.baseAddress,
                                     binaryResults ? 1 : 0)
                    }
                }
            }
        }
        guard let r else { throw LibPQConnection.failure(nil, raw) }
        defer { PQclear(r) }
        guard PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK else { throw LibPQConnection.failure(r, raw) }
        var raws: [[[UInt8]?]] = []
        for t in 0..<Int(PQntuples(r)) {
            var row: [[UInt8]?] = []
            for f in 0..<Int(PQnfields(r)) {
                if PQgetisnull(r, Int32(t), Int32(f)) == 1 { row.append(nil); continue }
                let len = Int(PQgetlength(r, Int32(t), Int32(f)))
                row.append(Array(UnsafeRawBufferPointer(start: PQgetvalue(r, Int32(t), Int32(f)), count: len)))
            }
            raws.append(row)
        }
        return (LibPQConnection.read(r), raws)
    }

    /// A handle that sends a CancelRequest for this connection from any thread (libpq's
    /// PGcancel is made up front, so the query's thread is not touched).
    public final class Canceller: @unchecked Sendable {
        let handle: OpaquePointer
        init(_ h: OpaquePointer) { handle = h }
        deinit { PQfreeCancel(handle) }
        public func cancel() -> Bool {
            var buf = [CChar](repeating: 0, count: 256)
            return PQcancel(handle, &buf, 256) == 1
        }
    }

    public func canceller() -> Canceller? { PQgetCancel(raw).map(Canceller.init) }

    /// Send a CancelRequest for the statement running on this connection.
    public func cancel() -> Bool {
        guard let c = PQgetCancel(raw) else { return false }
        defer { PQfreeCancel(c) }
        var buf = [CChar](repeating: 0, count: 256)
        return PQcancel(c, &buf, 256) == 1
    }

    public var backendPID: Int32 { PQbackendPID(raw) }

    /// Run a COPY … TO STDOUT and hand each CopyData chunk to `onData` as it arrives; `onData`
    /// returns false to stop reading (the caller then cancels). Returns the final result or throws its error.
    @discardableResult
    public func copyOut(_ sql: String, onData: (String) -> Bool) throws -> Result {
        guard PQsendQuery(raw, sql) == 1 else { throw Failure(sqlState: "08000", message: errorMessage) }
        var last: Result?
        var failure: Failure?
        var reading = true
        while let r = PQgetResult(raw) {
            switch PQresultStatus(r) {
            case PGRES_COPY_OUT:
                while reading {
                    var buf: UnsafeMutablePointer<CChar>?
                    let n = PQgetCopyData(raw, &buf, 0)
                    if n > 0, let b = buf {
                        let chunk = String(decoding: UnsafeRawBufferPointer(start: b, count: Int(n)), as: UTF8.self)
                        PQfreemem(b)
                        if !onData(chunk) { reading = false; _ = cancel() }
                    } else {
                        break
                    }
                }
                if !reading {
                    // Drain what the server sends until it reports the cancel.
                    var buf: UnsafeMutablePointer<CChar>?
                    while PQgetCopyData(raw, &buf, 0) > 0 { if let b = buf { PQfreemem(b) } }
                }
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                last = LibPQConnection.read(r)
            default:
                failure = LibPQConnection.failure(r, raw)
            }
            PQclear(r)
        }
        if let failure { throw failure }
        return last ?? Result(columns: [], columnTypes: [], rows: [], commandTag: "")
    }
}

/// Runs statements for the .slt runner over the wire with libpq (simple query protocol).
public final class LibPQExecutor: SLTExecutor {
    let connection: LibPQConnection
    public init(connection: LibPQConnection) { self.connection = connection }
    public func run(_ sql: String) async -> SLTOutcome {
        do {
            let r = try connection.exec(sql)
            return .rows(r.rows)
        } catch let f as LibPQConnection.Failure {
            return .error(sqlState: f.sqlState, message: f.message)
        } catch {
            return .error(sqlState: "XX000", message: "\(error)")
        }
    }
}
