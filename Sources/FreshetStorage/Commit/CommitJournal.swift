// CommitJournal: one file that makes a small commit round spanning several logs durable
// with ONE fdatasync instead of one per log file.
//
// Without it, a round of pgbench-sized writes routed to 4 shards fdatasyncs ~2.5 files;
// on the development VM parallel fdatasyncs of several files cost 2–9× one, and the
// rounds (not the disk's bandwidth) limit small durable writes. With it, such a round
// writes each log's share to its segment as before (pwritev, no fdatasync), writes a
// copy of the same stamped frames into this journal as one entry, and fdatasyncs only
// the journal; the logs' own files are fdatasync'ed later, all at once, at a
// **checkpoint** (when the journal is full, at shutdown), or earlier by any round that
// fdatasyncs that log directly. After a crash, `open` rewrites every entry of the
// current epoch into its segment files (idempotent: the same bytes at the same offsets)
// before any log is opened, so an acknowledged record is on disk whichever of the two
// copies the crash left.
//
// Used only for rounds where it pays and is simple: at least two logs to fdatasync, no
// segment roll in the round, and at most `maxEntryBytes` (bulk rounds fdatasync their
// files directly: copying them twice would cost bandwidth).
//
// File layout (all integers little-endian; docs/storage-format.md, "Commit journal"):
//
//     offset 0: u32 magic "FXJ1" (0x314A5846), u32 version 2, u64 epoch, u32 CRC32C of [0, 16)
//     offset 4096…: entries back to back, then zeros
//     entry:  u32 length (whole entry), u32 CRC32C of [8, length), u64 epoch,
//             u64 number (0, 1, 2 … within the epoch), u32 part count, u32 kind,
//             per part: u64 file offset, u32 byte count, u16 path length, u16 reserved 0, path,
//             then every part's bytes in part order.
//
// Kind 0 (data): each part's bytes are rewritten at its offset of its segment file.
// Kind 1 (link; version 2): the commit point of a staged append (StagedAppend.swift).
// Each part is one staging file: path = the staging file, offset = where the data of
// the log's segment sealed by the link ends, bytes = "<new segment path>\n<sealed
// segment path>". Replay, for each part whose staging file still exists: cut the
// sealed segment back to that offset and rename the staging file to the new segment
// path (then fsync the directories). A link already completed has no staging file
// left, so replaying it again does nothing. Version 1 journals (data entries only)
// are read as before.
//
// An entry counts only if its CRC is right, its epoch is the header's and its number the
// next expected one; reading stops at the first one that is not. A checkpoint
// fdatasyncs every log the entries cover, then writes the header with epoch + 1 and
// fdatasyncs it: the old entries are dead from then on, whatever bytes remain.
// Paths under the journal's directory are stored relative to it (the data directory
// may be moved between runs).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class CommitJournal {
    static let magic: UInt32 = 0x314A_5846
    static let version: UInt32 = 2
    static let kindData: UInt32 = 0
    static let kindLink: UInt32 = 1
    static let headerBytes = 4096
    static let entryHeaderBytes = 32
    static let partHeaderBytes = 16

    let path: String
    /// The journal's directory with a trailing "/" (for relative part paths).
    let directoryPrefix: String
    let capacity: Int
    private let fd: Int32
    private(set) var epoch: UInt64
    private var nextNumber: UInt64 = 0
    private var writeOffset: Int
    /// False after a failure that left the journal's state unknown: rounds then
    /// fdatasync their logs directly, and the entries on disk stay (never reset) so the
    /// next start replays them.
    private(set) var usable = true
    /// Logs with records made durable only by this journal's current entries.
    private var covered: [ShardLog] = []

    /// The largest round (frame bytes) journaled; larger rounds fdatasync their files.
    var maxEntryBytes: Int { (capacity - Self.headerBytes) / 4 }

    /// What `open` found and rewrote.
    struct Replay: Equatable {
        var entries = 0
        var parts = 0
        var bytes = 0
        /// Parts whose segment file no longer exists (dropped streams, retention).
        var skippedParts = 0
    }

    private init(path: String, fd: Int32, capacity: Int, epoch: UInt64) {
        self.path = path
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        self.directoryPrefix = dir + "/"
        self.fd = fd
        self.capacity = capacity
        self.epoch = epoch
        self.writeOffset = Self.headerBytes
    }

    deinit { FileIO.close(fd) }

    /// Open (or create) the journal at `path`, rewrite the entries of its current epoch
    /// into their segment files and fdatasync those, then start a new epoch. Must run
    /// before any log the journal covers is opened.
    static func open(path: String, capacity: Int = 4 << 20) throws -> (CommitJournal, Replay) {
        let capacity = max(capacity, headerBytes + 64 << 10)
        var replay = Replay()
        var epoch: UInt64 = 0
        if FileIO.exists(path) {
            let bytes = try FileIO.readFile(path)
            let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
            if let e = readHeader(bytes) {
                epoch = e
                replay = try Self.replay(bytes, epoch: e, directory: dir)
            }
        }
        let existed = FileIO.exists(path)
        let fd = try FileIO.open(path, O_RDWR | O_CREAT)
        let journal = CommitJournal(path: path, fd: fd, capacity: capacity, epoch: epoch)
        if try FileIO.fileSize(fd, path: path) < Int64(capacity) {
            // Written zeros (not a hole or fallocate): later entries overwrite allocated,
            // initialised blocks, so their fdatasync has no metadata to commit.
            try FileIO.writeZeros(fd, at: 0, count: Int64(capacity), path: path)
        }
        try journal.startEpoch(epoch &+ 1)
        if !existed {
            try FileIO.fsyncDirectory(String(journal.directoryPrefix.dropLast()))
        }
        return (journal, replay)
    }

    static func readHeader(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count >= headerBytes else { return nil }
        return bytes.withUnsafeBytes { b -> UInt64? in
            let v = b.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            guard b.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian == magic,
                  v == 1 || v == version,
                  b.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian
                    == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[0..<16])) else { return nil }
            return b.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        }
    }

    /// One valid entry's parts: (path as stored, file offset, the bytes' range in the journal).
    typealias EntryPart = (path: String, offset: Int64, range: Range<Int>)

    /// The valid entries of `epoch`, in order: their kind and parts.
    static func entries(_ bytes: [UInt8], epoch: UInt64) -> [(kind: UInt32, parts: [EntryPart])] {
        var result: [(kind: UInt32, parts: [EntryPart])] = []
        bytes.withUnsafeBytes { b in
            var at = headerBytes
            var number: UInt64 = 0
            while at + entryHeaderBytes <= b.count {
                let length = Int(b.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                guard length >= entryHeaderBytes, at + length <= b.count else { return }
                let crc = b.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian
                guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[(at + 8)..<(at + length)])) == crc,
                      b.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self).littleEndian == epoch,
                      b.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self).littleEndian == number else { return }
                let count = Int(b.loadUnaligned(fromByteOffset: at + 24, as: UInt32.self).littleEndian)
                let kind = b.loadUnaligned(fromByteOffset: at + 28, as: UInt32.self).littleEndian
                guard kind == kindData || kind == kindLink else { return }
                var p = at + entryHeaderBytes
                let end = at + length
                var descriptors: [(String, Int64, Int)] = []
                for _ in 0..<count {
                    guard p + partHeaderBytes <= end else { return }
                    let offset = Int64(bitPattern: b.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian)
                    let size = Int(b.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self).littleEndian)
                    let pathLength = Int(b.loadUnaligned(fromByteOffset: p + 12, as: UInt16.self).littleEndian)
                    p += partHeaderBytes
                    guard p + pathLength <= end, offset >= 0 else { return }
                    let path = String(decoding: UnsafeRawBufferPointer(rebasing: b[p..<(p + pathLength)]), as: UTF8.self)
                    p += pathLength
                    descriptors.append((path, offset, size))
                }
                var parts: [EntryPart] = []
                for (path, offset, size) in descriptors {
                    guard p + size <= end else { return }
                    parts.append((path, offset, p..<(p + size)))
                    p += size
                }
                guard p == end else { return }
                result.append((kind, parts))
                at = end
                number += 1
            }
        }
        return result
    }

    /// Rewrite every valid entry of `epoch` into its segment file, then fdatasync the files.
    private static func replay(_ bytes: [UInt8], epoch: UInt64, directory: String) throws -> Replay {
        var report = Replay()
        var open: [String: Int32] = [:]
        defer { for fd in open.values { FileIO.close(fd) } }
        var linkedDirectories: [String] = []
        for (kind, parts) in entries(bytes, epoch: epoch) {
            report.entries += 1
            if kind == kindLink {
                for part in parts {
                    let staging = part.path.hasPrefix("/") ? part.path : directory + "/" + part.path
                    guard FileIO.exists(staging) else { report.skippedParts += 1; continue }
                    let text = String(decoding: bytes[part.range], as: UTF8.self)
                    let names = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    guard names.count == 2 else { continue }
                    let target = names[0].hasPrefix("/") ? names[0] : directory + "/" + names[0]
                    let sealed = names[1].hasPrefix("/") ? names[1] : directory + "/" + names[1]
                    if sealed != target, FileIO.exists(sealed) {
                        let fd = try FileIO.open(sealed, O_RDWR)
                        defer { FileIO.close(fd) }
                        if try FileIO.fileSize(fd, path: sealed) > part.offset {
                            try FileIO.ftruncate(fd, part.offset, path: sealed)
                            try FileIO.fsync(fd, path: sealed)
                        }
                    }
                    if let fd = open.removeValue(forKey: target) { FileIO.close(fd) }
                    try FileIO.rename(staging, target)
                    let dir = target.lastIndex(of: "/").map { String(target[..<$0]) } ?? "."
                    if !linkedDirectories.contains(dir) { linkedDirectories.append(dir) }
                    report.parts += 1
                }
                continue
            }
            for part in parts {
                let path = part.path.hasPrefix("/") ? part.path : directory + "/" + part.path
                let fd: Int32
                if let f = open[path] {
                    fd = f
                } else {
                    guard FileIO.exists(path) else { report.skippedParts += 1; continue }
                    fd = try FileIO.open(path, O_RDWR)
                    open[path] = fd
                }
                try bytes.withUnsafeBytes { b in
                    try FileIO.pwriteAll(fd, b.baseAddress! + part.range.lowerBound, part.range.count, at: part.offset, path: path)
                }
                report.parts += 1
                report.bytes += part.range.count
            }
        }
        for (path, fd) in open { try FileIO.fdatasync(fd, path: path) }
        for dir in linkedDirectories { try FileIO.fsyncDirectory(dir) }
        return report
    }

    /// Write the header of a new epoch and fdatasync: every earlier entry is dead.
    private func startEpoch(_ e: UInt64) throws {
        var header = [UInt8](repeating: 0, count: 20)
        header.withUnsafeMutableBytes { b in
            b.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
            b.storeBytes(of: Self.version.littleEndian, toByteOffset: 4, as: UInt32.self)
            b.storeBytes(of: e.littleEndian, toByteOffset: 8, as: UInt64.self)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[0..<16]))
            b.storeBytes(of: crc.littleEndian, toByteOffset: 16, as: UInt32.self)
        }
        try header.withUnsafeBytes { try FileIO.pwriteAll(fd, $0.baseAddress!, $0.count, at: 0, path: path) }
        try FileIO.fdatasync(fd, path: path)
        epoch = e
        nextNumber = 0
        writeOffset = Self.headerBytes
    }

    /// The path stored for a segment file.
    func storedPath(_ segmentPath: String) -> String {
        segmentPath.hasPrefix(directoryPrefix) ? String(segmentPath.dropFirst(directoryPrefix.count)) : segmentPath
    }

    /// The size of an entry for parts with these stored paths and byte counts.
    static func entrySize(pathBytes: Int, parts: Int, dataBytes: Int) -> Int {
        entryHeaderBytes + parts * partHeaderBytes + pathBytes + dataBytes
    }

    /// Whether an entry of `bytes` bytes fits behind the entries already written.
    func fits(_ bytes: Int) -> Bool { writeOffset + bytes <= capacity }

    /// One log's share of a journaled round.
    struct Part {
        var log: ShardLog
        var segmentPath: String
        var offset: Int64
        var buffers: [UnsafeRawBufferPointer]
        var byteCount: Int
    }

    /// Write one entry holding `parts` and fdatasync the journal. On success the parts'
    /// logs are remembered until the next checkpoint. On failure the entry is overwritten
    /// with zeros (and fdatasync'ed) so that it is never replayed; if even that fails,
    /// the journal becomes unusable (`usable` is false: the round's records may come
    /// back at the next start, as after a failed fdatasync of a log).
    func append(_ parts: [Part]) throws {
        let paths = parts.map { Array(storedPath($0.segmentPath).utf8) }
        let dataBytes = parts.reduce(0) { $0 + $1.byteCount }
        let size = Self.entrySize(pathBytes: paths.reduce(0) { $0 + $1.count }, parts: parts.count, dataBytes: dataBytes)
        precondition(usable && fits(size), "journal entry does not fit (the committer checks first)")
        var head = [UInt8](repeating: 0, count: size - dataBytes)
        head.withUnsafeMutableBytes { b in
            b.storeBytes(of: UInt32(size).littleEndian, toByteOffset: 0, as: UInt32.self)
            b.storeBytes(of: epoch.littleEndian, toByteOffset: 8, as: UInt64.self)
            b.storeBytes(of: nextNumber.littleEndian, toByteOffset: 16, as: UInt64.self)
            b.storeBytes(of: UInt32(parts.count).littleEndian, toByteOffset: 24, as: UInt32.self)
            var p = Self.entryHeaderBytes
            for (i, part) in parts.enumerated() {
                b.storeBytes(of: UInt64(bitPattern: part.offset).littleEndian, toByteOffset: p, as: UInt64.self)
                b.storeBytes(of: UInt32(part.byteCount).littleEndian, toByteOffset: p + 8, as: UInt32.self)
                b.storeBytes(of: UInt16(paths[i].count).littleEndian, toByteOffset: p + 12, as: UInt16.self)
                p += Self.partHeaderBytes
                paths[i].withUnsafeBytes { (b.baseAddress! + p).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                p += paths[i].count
            }
            var crc = CRC32C.update(CRC32C.initialState, UnsafeRawBufferPointer(rebasing: b[8...]))
            for part in parts { for buffer in part.buffers { crc = CRC32C.update(crc, buffer) } }
            b.storeBytes(of: CRC32C.finalize(crc).littleEndian, toByteOffset: 4, as: UInt32.self)
        }
        do {
            try head.withUnsafeBytes { h in
                var buffers = [h]
                for part in parts { buffers.append(contentsOf: part.buffers) }
                try FileIO.pwritevAll(fd, buffers, at: Int64(writeOffset), path: path)
            }
            try FileIO.fdatasync(fd, path: path)
        } catch {
            eraseFailedEntry(size: size)
            throw error
        }
        writeOffset += size
        nextNumber += 1
        for part in parts where part.log.journalCovered == nil {
            covered.append(part.log)
        }
    }

    /// One staging file of a staged append's link (see the file comment, kind 1).
    struct LinkPart {
        var stagingPath: String
        var targetPath: String
        var sealedPath: String
        var sealedDataEnd: Int64
    }

    /// The size of a link entry for `parts`.
    func linkEntrySize(_ parts: [LinkPart]) -> Int {
        var n = Self.entryHeaderBytes
        for p in parts {
            n += Self.partHeaderBytes + storedPath(p.stagingPath).utf8.count
                + storedPath(p.targetPath).utf8.count + 1 + storedPath(p.sealedPath).utf8.count
        }
        return n
    }

    /// Write a link entry (the commit point of a staged append) and fdatasync the
    /// journal. On failure the entry is erased as in `append` (or the journal becomes
    /// unusable, and the link may happen at the next start).
    func appendLink(_ parts: [LinkPart]) throws {
        let size = linkEntrySize(parts)
        precondition(usable && fits(size), "journal entry does not fit (the committer checks first)")
        var entry = [UInt8](repeating: 0, count: size)
        entry.withUnsafeMutableBytes { b in
            b.storeBytes(of: UInt32(size).littleEndian, toByteOffset: 0, as: UInt32.self)
            b.storeBytes(of: epoch.littleEndian, toByteOffset: 8, as: UInt64.self)
            b.storeBytes(of: nextNumber.littleEndian, toByteOffset: 16, as: UInt64.self)
            b.storeBytes(of: UInt32(parts.count).littleEndian, toByteOffset: 24, as: UInt32.self)
            b.storeBytes(of: Self.kindLink.littleEndian, toByteOffset: 28, as: UInt32.self)
            var p = Self.entryHeaderBytes
            var datas: [[UInt8]] = []
            for part in parts {
                let path = Array(storedPath(part.stagingPath).utf8)
                let data = Array((storedPath(part.targetPath) + "\n" + storedPath(part.sealedPath)).utf8)
                datas.append(data)
                b.storeBytes(of: UInt64(bitPattern: part.sealedDataEnd).littleEndian, toByteOffset: p, as: UInt64.self)
                b.storeBytes(of: UInt32(data.count).littleEndian, toByteOffset: p + 8, as: UInt32.self)
                b.storeBytes(of: UInt16(path.count).littleEndian, toByteOffset: p + 12, as: UInt16.self)
                p += Self.partHeaderBytes
                path.withUnsafeBytes { (b.baseAddress! + p).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                p += path.count
            }
            for data in datas {
                data.withUnsafeBytes { (b.baseAddress! + p).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                p += data.count
            }
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[8...]))
            b.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        }
        do {
            try entry.withUnsafeBytes { try FileIO.pwriteAll(fd, $0.baseAddress!, $0.count, at: Int64(writeOffset), path: path) }
            try FileIO.fdatasync(fd, path: path)
        } catch {
            eraseFailedEntry(size: size)
            throw error
        }
        writeOffset += size
        nextNumber += 1
    }

    /// Whether some log's records are durable only through the current entries.
    var hasCovered: Bool { usable && !covered.isEmpty }

    /// The logs covered by the current entries (for the checkpoint).
    func takeCovered() -> [ShardLog] {
        defer { covered.removeAll(keepingCapacity: true) }
        return covered
    }

    /// After the covered logs were fdatasync'ed: start a new epoch (the entries are dead).
    func finishCheckpoint() throws {
        do { try startEpoch(epoch &+ 1) } catch { usable = false; throw error }
    }

    /// A checkpoint failed (a log's fdatasync): keep the entries for the next start.
    func disable() { usable = false }

    /// A failed write or fdatasync may still have left the entry at `writeOffset` on disk:
    /// erase it, so the failed round never comes back at the next start; if even that
    /// fails, stop using the journal (until restart).
    private func eraseFailedEntry(size: Int) {
        do {
            try FileIO.writeZeros(fd, at: Int64(writeOffset), count: Int64(size), path: path)
            try FileIO.fdatasync(fd, path: path)
        } catch {
            usable = false
        }
    }
}
