// StorageError: the one error type of FreshetStorage.
//
// Every failure of the storage layer (I/O, corruption, misuse) is a StorageError with
// a `kind` the engine can switch on, a message a person can act on, and where known
// the file path and byte offset involved. The engine maps kinds to SQLSTATE
// (e.g. `.corrupt` → XX001, `.diskFull` → 53100, `.io` → 58030).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// A system call failed (EIO and friends). `errno` is set.
        case io
        /// The disk (or quota) is full: ENOSPC / EDQUOT.
        case diskFull
        /// Bytes on disk are not what was written: a bad CRC, a bad frame, or a bad
        /// record in the middle of a log or in a sealed segment. Never skipped silently.
        case corrupt
        /// The log was closed or destroyed.
        case closed
        /// An earlier fdatasync/rollback of this log failed; the log refuses writes until
        /// it is reopened (and recovered), because the page cache state is unknown.
        case failed
        /// The caller passed something out of range (e.g. an oversized record).
        case invalidArgument
        /// The committer was shut down.
        case shutdown
    }

    public var kind: Kind
    public var message: String
    public var path: String?
    public var offset: Int64?
    /// The errno of the failed system call, when there was one.
    public var errorNumber: Int32?

    public init(_ kind: Kind, _ message: String, path: String? = nil, offset: Int64? = nil, errorNumber: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.offset = offset
        self.errorNumber = errorNumber
    }

    public var description: String {
        var s = "\(kind.rawValue): \(message)"
        if let path { s += " (file \(path)" + (offset.map { ", offset \($0)" } ?? "") + ")" }
        return s
    }

    /// The error for a failed system call `call` on `path`, reading the current errno.
    static func system(_ call: String, path: String?, offset: Int64? = nil) -> StorageError {
        let code = errno
        let kind: Kind = (code == ENOSPC || code == EDQUOT) ? .diskFull : .io
        let reason = String(cString: strerror(code))
        return StorageError(kind, "\(call) failed: \(reason)", path: path, offset: offset, errorNumber: code)
    }
}
