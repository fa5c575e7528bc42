/// The fields of an ErrorResponse ('E') or NoticeResponse ('N') message
/// (protocol §55.8 "Error and Notice Message Fields"). Each field is a one-byte
/// code and a C string; the list ends with a zero byte. Freshet sends S, V, C,
/// M and, when known, D, H and P. Build one from a `FreshetError` with
/// `ErrorResponse(_:)` (SQLStateMapping.swift), the one place that mapping lives.
struct ErrorResponse: Hashable, Sendable {
    /// Localized severity (S) and non-localized severity (V): ERROR, FATAL, PANIC,
    /// or for notices WARNING, NOTICE, DEBUG, INFO, LOG. Freshet does not localize.
    var severity: String
    /// SQLSTATE (C).
    var code: String
    /// Primary message (M), terse, one line.
    var message: String
    /// Detail (D).
    var detail: String?
    /// Hint (H).
    var hint: String?
    /// 1-based cursor position in characters in the query string (P).
    var position: Int?

    init(severity: String = "ERROR", code: String, message: String, detail: String? = nil,
         hint: String? = nil, position: Int? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    /// Field type bytes.
    enum Field: UInt8 {
        case localizedSeverity = 0x53 // S
        case severity = 0x56          // V
        case sqlState = 0x43          // C
        case message = 0x4D           // M
        case detail = 0x44            // D
        case hint = 0x48              // H
        case position = 0x50          // P
    }

    var isFatal: Bool { severity == "FATAL" || severity == "PANIC" }
}
