#if canImport(Glibc)
import Glibc
#endif
import FreshetCore
import FreshetStorage

/// The durable change log of one reference table: `tables/<oid>.log` under
/// the data directory.
///
/// Each acknowledged statement (INSERT, UPDATE, DELETE, COPY) appends one
/// frame and fsyncs it before the statement returns:
///
///     u32 payload length · u32 CRC32C of the payload · payload
///     payload: entries, each  u8 op (1 insert, 2 delete) · i64 row id
///                             · for an insert: u32 length · the row (RowCodec)
///
/// A frame is the unit of atomicity: at open, frames are replayed in order
/// and a torn or corrupt tail (a crash during the append of an
/// unacknowledged statement) is cut off, so a statement is either wholly
/// there or wholly absent. When the log holds many more entries than live
/// rows it is compacted at open: the live rows are written as one frame to a
/// temporary file, fsynced, and renamed over the log.
final class TableLog {
    static let insert: UInt8 = 1
    static let delete: UInt8 = 2

    let path: String
    let schema: Schema
    private var fd: Int32
    private var end: Int64

    /// Open (creating if needed) the log and replay it.
    /// Returns the log and the rows with their ids, in log order.
    static func open(path: String, schema: Schema) throws -> (TableLog, ids: [Int64], rows: [Row]) {
        let bytes = try readAll(path)
        var order: [Int64] = []
        var live: [Int64: Row] = [:]
        var entries = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            let length = Int(read32(bytes, offset))
            let crc = read32(bytes, offset + 4)
            guard length <= bytes.count - offset - 8 else { break }
            let payload = bytes[(offset + 8)..<(offset + 8 + length)]
            guard CRC32C.checksum(payload) == crc else { break }
            var p = payload.startIndex
            while p < payload.endIndex {
                let op = bytes[p]
                let id = Int64(bitPattern: read64(bytes, p + 1))
                p += 9
                entries += 1
                if op == insert {
                    let n = Int(read32(bytes, p))
                    p += 4
                    let row = try bytes[p..<(p + n)].withUnsafeBytes { try RowCodec.decode($0, schema: schema) }
                    p += n
                    live[id] = row
                    order.append(id)
                } else {
                    live[id] = nil
                }
            }
            offset += 8 + length
        }
        let ids = order.filter { live[$0] != nil }
        let rows = ids.map { live[$0]! }
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("open", path) }
        let log = TableLog(path: path, schema: schema, fd: fd, end: Int64(offset))
        if offset < bytes.count {
            // A torn tail: an append that never completed (its statement was not acknowledged).
            guard ftruncate(fd, off_t(offset)) == 0, fsync(fd) == 0 else { throw ioError("truncate", path) }
        }
        if entries > 1024 && entries > 2 * ids.count {
            try log.compact(ids: ids, rows: rows)
        }
        return (log, ids, rows)
    }

    private init(path: String, schema: Schema, fd: Int32, end: Int64) {
        self.path = path
        self.schema = schema
        self.fd = fd
        self.end = end
    }

    deinit { Glibc.close(fd) }

    /// The frame of one statement's changes.
    func frame(deleted: [Int64], inserted: [(Int64, Row)]) throws -> [UInt8] {
        var payload: [UInt8] = []
        for id in deleted {
            payload.append(TableLog.delete)
            TableLog.append64(&payload, UInt64(bitPattern: id))
        }
        for (id, row) in inserted {
            payload.append(TableLog.insert)
            TableLog.append64(&payload, UInt64(bitPattern: id))
            let at = payload.count
            payload.append(contentsOf: [0, 0, 0, 0])
            try RowCodec.encodeChecked(row, schema: schema, into: &payload)
            let n = UInt32(payload.count - at - 4)
            for k in 0..<4 { payload[at + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 8)
        TableLog.append32(&out, UInt32(payload.count))
        TableLog.append32(&out, CRC32C.checksum(payload))
        out.append(contentsOf: payload)
        return out
    }

    /// Append a frame and make it durable (fdatasync) before returning.
    func append(_ frame: [UInt8]) throws {
        var written = 0
        while written < frame.count {
            let n = frame.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, $0.count - written, off_t(end) + off_t(written)) }
            if n < 0 {
                if errno == EINTR { continue }
                _ = ftruncate(fd, off_t(end))
                throw TableLog.ioError("write", path)
            }
            written += n
        }
        guard fdatasync(fd) == 0 else {
            _ = ftruncate(fd, off_t(end))
            throw TableLog.ioError("fsync", path)
        }
        end += Int64(frame.count)
    }

    /// Rewrite the log as one frame of the live rows (temporary file, fsync, rename, fsync directory).
    func compact(ids: [Int64], rows: [Row]) throws {
        let bytes = try frame(deleted: [], inserted: Array(zip(ids, rows)))
        let tmp = path + ".tmp"
        let t = Glibc.open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard t >= 0 else { throw TableLog.ioError("create", tmp) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(t, $0.baseAddress! + written, $0.count - written) }
            if n < 0 { if errno == EINTR { continue }; Glibc.close(t); throw TableLog.ioError("write", tmp) }
            written += n
        }
        guard fsync(t) == 0 else { Glibc.close(t); throw TableLog.ioError("fsync", tmp) }
        Glibc.close(t)
        guard rename(tmp, path) == 0 else { throw TableLog.ioError("rename", tmp) }
        TableLog.fsyncDirectory(of: path)
        let fresh = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fresh >= 0 else { throw TableLog.ioError("open", path) }
        Glibc.close(fd)
        fd = fresh
        end = Int64(bytes.count)
    }

    /// Close and delete the log (DROP TABLE).
    func destroy() {
        Glibc.close(fd)
        fd = -1
        _ = unlink(path)
        TableLog.fsyncDirectory(of: path)
    }

    // MARK: bytes

    static func read32(_ b: [UInt8], _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(b[at + k]) << (8 * UInt32(k)) }
        return v
    }
    static func read64(_ b: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(b[at + k]) << (8 * UInt64(k)) }
        return v
    }
    static func append32(_ out: inout [UInt8], _ v: UInt32) {
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }
    static func append64(_ out: inout [UInt8], _ v: UInt64) {
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw ioError("open", path)
        }
        defer { Glibc.close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw ioError("read", path) }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    static func fsyncDirectory(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let dfd = Glibc.open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); Glibc.close(dfd) }
    }

    static func ioError(_ what: String, _ path: String) -> FreshetError {
        FreshetError(.ioError, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }
}
