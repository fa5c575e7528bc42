// FileIO: thin wrappers over the POSIX calls the log uses (open, pread, pwrite, pwritev,
// fdatasync, fsync, ftruncate, rename, unlink), retrying EINTR and short transfers and
// turning failures into StorageError (ENOSPC/EDQUOT → .diskFull, others → .io).
//
// Deliberately not FileHandle: the log needs positional I/O, vectored writes and
// explicit control of when data and metadata reach the disk.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileIO {
    /// Open `path`; `flags` as for open(2). New files get mode 0644.
    static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw StorageError.system("open", path: path)
        }
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Write all `count` bytes at `offset`.
    static func pwriteAll(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int, at offset: Int64, path: String) throws {
        var done = 0
        while done < count {
            let n = Glibc.pwrite(fd, base + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.system("pwrite", path: path, offset: offset + Int64(done))
            }
            if n == 0 { throw StorageError(.io, "pwrite wrote nothing", path: path, offset: offset + Int64(done)) }
            done += n
        }
    }

    /// Write the buffers back to back starting at `offset`, with as few pwritev calls as
    /// the kernel allows (IOV_MAX buffers per call), completing short writes.
    static func pwritevAll(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer], at offset: Int64, path: String) throws {
        if buffers.count == 1 {
            try pwriteAll(fd, buffers[0].baseAddress!, buffers[0].count, at: offset, path: path)
            return
        }
        var iovs = [iovec]()
        iovs.reserveCapacity(min(buffers.count, 1024))
        var position = offset
        var i = 0
        while i < buffers.count {
            iovs.removeAll(keepingCapacity: true)
            var total = 0
            while i < buffers.count && iovs.count < 1024 {
                let b = buffers[i]
                if b.count > 0 {
                    iovs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress!), iov_len: b.count))
                    total += b.count
                }
                i += 1
            }
            if iovs.isEmpty { continue }
            let n = iovs.withUnsafeBufferPointer { Glibc.pwritev(fd, $0.baseAddress, Int32($0.count), off_t(position)) }
            if n == total {
                position += Int64(total)
                continue
            }
            if n < 0 && errno != EINTR {
                throw StorageError.system("pwritev", path: path, offset: position)
            }
            // Short write or EINTR: finish this group buffer by buffer.
            var skip = max(n, 0)
            for v in iovs {
                let len = v.iov_len
                if skip >= len { skip -= len; position += Int64(len); continue }
                try pwriteAll(fd, UnsafeRawPointer(v.iov_base!) + skip, len - skip, at: position + Int64(skip), path: path)
                position += Int64(len)
                skip = 0
            }
        }
    }

    /// Read up to `count` bytes at `offset` into `base`; returns the bytes read (fewer
    /// only at the end of the file).
    static func pread(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int, at offset: Int64, path: String) throws -> Int {
        var done = 0
        while done < count {
            let n = Glibc.pread(fd, base + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.system("pread", path: path, offset: offset + Int64(done))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Append `count` bytes read at `offset` to `bytes`; returns how many were read.
    static func appendRead(_ fd: Int32, into bytes: inout [UInt8], count: Int, at offset: Int64, path: String) throws -> Int {
        let start = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0, count: count))   // (stdlib memset; a repeatElement loop is per byte in debug builds)
        let got = try bytes.withUnsafeMutableBytes { try pread(fd, $0.baseAddress! + start, count, at: offset, path: path) }
        if got < count { bytes.removeLast(count - got) }
        return got
    }

    static func fdatasync(_ fd: Int32, path: String) throws {
        while Glibc.fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw StorageError.system("fdatasync", path: path)
        }
    }

    static func fsync(_ fd: Int32, path: String) throws {
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw StorageError.system("fsync", path: path)
        }
    }

    /// fsync a directory so that renames/creations/unlinks in it are durable.
    static func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    static func ftruncate(_ fd: Int32, _ size: Int64, path: String) throws {
        while Glibc.ftruncate(fd, off_t(size)) != 0 {
            if errno == EINTR { continue }
            throw StorageError.system("ftruncate", path: path, offset: size)
        }
    }

    static func fileSize(_ fd: Int32, path: String) throws -> Int64 {
        var st = stat()
        if fstat(fd, &st) != 0 { throw StorageError.system("fstat", path: path) }
        return Int64(st.st_size)
    }

    static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw StorageError.system("rename to \(to)", path: from) }
    }

    /// Remove a file; a missing file is not an error.
    static func unlink(_ path: String) throws {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw StorageError.system("unlink", path: path) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Create `path` and missing parents (mode 0755).
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw StorageError.system("mkdir", path: current) }
        }
    }

    /// The names in a directory (without "." and "..").
    static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw StorageError.system("opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The whole content of a file.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        let size = try fileSize(fd, path: path)
        var bytes: [UInt8] = []
        _ = try appendRead(fd, into: &bytes, count: Int(size), at: 0, path: path)
        return bytes
    }

    /// Write `count` zero bytes at `offset`, 1 MiB at a time; `shouldStop` is checked
    /// between chunks (returns false if it stopped early).
    @discardableResult
    static func writeZeros(_ fd: Int32, at offset: Int64, count: Int64, path: String,
                           shouldStop: () -> Bool = { false }) throws -> Bool {
        var done: Int64 = 0
        while done < count {
            if shouldStop() { return false }
            let n = Int(min(Int64(zeroChunkSize), count - done))
            try pwriteAll(fd, zeroChunk, n, at: offset + done, path: path)
            done += Int64(n)
        }
        return true
    }

    static let zeroChunkSize = 1 << 20
    nonisolated(unsafe) static let zeroChunk: UnsafeRawPointer = {
        UnsafeRawPointer(calloc(1, zeroChunkSize)!)
    }()
}
