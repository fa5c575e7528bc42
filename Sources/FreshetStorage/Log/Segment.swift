// Segment: one file of a shard log, named by its base sequence number
// (`00000000000000000001.log`), plus its in-memory summary and sparse index.
//
// The summary and index are the *published* (durable) state, read and written under
// the owning ShardLog's lock. The file descriptor is opened lazily (sealed segments
// are many; only those read hold a descriptor) and closed when the last reference to
// the segment goes away, so a reader that still holds a segment deleted by retention
// keeps reading it safely (the unlinked file stays readable through the descriptor).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

final class Segment: @unchecked Sendable {
    let path: String
    let baseSequence: UInt64
    /// Published (durable) summary; guarded by the log's lock.
    var meta: SegmentMeta
    /// Published sparse index; guarded by the log's lock.
    var index: SparseIndex
    /// Sealed segments are immutable and truncated to their data size.
    var sealed: Bool

    private let fdLock = NSLock()
    private var fdStorage: Int32 = -1

    init(path: String, meta: SegmentMeta, index: SparseIndex, sealed: Bool, fd: Int32 = -1) {
        self.path = path
        self.baseSequence = meta.baseSequence
        self.meta = meta
        self.index = index
        self.sealed = sealed
        self.fdStorage = fd
    }

    deinit { if fdStorage >= 0 { FileIO.close(fdStorage) } }

    /// The descriptor, opened read-write on first use.
    func fd() throws -> Int32 {
        fdLock.lock(); defer { fdLock.unlock() }
        if fdStorage < 0 { fdStorage = try FileIO.open(path, O_RDWR) }
        return fdStorage
    }

    static func fileName(baseSequence: UInt64) -> String {
        let digits = String(baseSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// The base sequence of a segment file name, or nil if it is not one.
    static func baseSequence(fileName: String) -> UInt64? {
        guard fileName.count == 24, fileName.hasSuffix(".log") else { return nil }
        let digits = fileName.prefix(20)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }

    static func indexPath(forSegmentPath path: String) -> String {
        String(path.dropLast(4)) + ".idx"
    }
}
