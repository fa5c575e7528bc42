#if canImport(Glibc)
import Glibc
#endif
import FreshetCore

/// Durable replacement of the small catalog file: write a temporary file,
/// fsync it, rename it over the target, fsync the directory. A crash at any
/// point leaves either the old or the new catalog, never a torn one.
enum CatalogFileIO {
    static func read(path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FreshetError(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FreshetError(.ioError, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    static func write(path: String, bytes: [UInt8]) throws {
        let tmp = path + ".tmp"
        func fail(_ what: String) -> FreshetError {
            FreshetError(.ioError, "cannot \(what) \(tmp): \(String(cString: strerror(errno)))")
        }
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw fail("create") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                close(fd)
                throw fail("write")
            }
            written += n
        }
        if fsync(fd) != 0 { close(fd); throw fail("fsync") }
        close(fd)
        if rename(tmp, path) != 0 { throw fail("rename") }
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            defer { close(dfd) }
            if fsync(dfd) != 0 { throw FreshetError(.ioError, "cannot fsync directory \(dir)") }
        }
    }
}
