import Foundation

/// A directory under /tmp removed when the value is released.
public final class TemporaryDirectory {
    public let path: String
    public init(prefix: String = "freshet-test") throws {
        let template = "/tmp/\(prefix).XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let p = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: p)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
