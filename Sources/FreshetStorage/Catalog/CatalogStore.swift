// CatalogStore: one small file replaced atomically (the engine's catalog, as opaque bytes).
//
//     let store = CatalogStore(path: dataDir + "/catalog.json")
//     try store.write(bytes)        // all or nothing, durable when it returns
//     let bytes = try store.read()  // nil when the file does not exist yet
//
// `write` puts the bytes in `<path>.tmp`, fsyncs it, renames it over `path`, and fsyncs
// the directory, so after a crash the file holds either the old or the new content,
// never a mix. A stale `.tmp` left by a crash is simply overwritten by the next write.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct CatalogStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    var temporaryPath: String { path + ".tmp" }
    var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Replace the file's content with `bytes`, atomically and durably.
    public func write(_ bytes: [UInt8]) throws {
        let tmp = temporaryPath
        let fd = try FileIO.open(tmp, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            if !bytes.isEmpty {
                try bytes.withUnsafeBytes { try FileIO.pwriteAll(fd, $0.baseAddress!, $0.count, at: 0, path: tmp) }
            }
            try FileIO.fsync(fd, path: tmp)
        } catch {
            FileIO.close(fd)
            try? FileIO.unlink(tmp)
            throw error
        }
        FileIO.close(fd)
        try FileIO.rename(tmp, path)
        try FileIO.fsyncDirectory(directory)
    }

    /// The file's content, or nil when it does not exist.
    public func read() throws -> [UInt8]? {
        guard FileIO.exists(path) else { return nil }
        return try FileIO.readFile(path)
    }
}
