/// The error every layer above the parser reports to a client: a SQLSTATE,
/// a message a person can act on, and optional detail, hint and the 1-based
/// character position in the statement text (psql draws its caret there).
public struct FreshetError: Error, Sendable, CustomStringConvertible {
    public var state: SQLState
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based position, in characters, within the query string.
    public var position: Int?
    public var severity: Severity

    public enum Severity: String, Sendable { case error = "ERROR", fatal = "FATAL", panic = "PANIC" }

    public init(_ state: SQLState, _ message: String, detail: String? = nil, hint: String? = nil,
                position: Int? = nil, severity: Severity = .error) {
        self.state = state
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.severity = severity
    }

    public var description: String {
        var s = "\(severity.rawValue) \(state.code): \(message)"
        if let detail { s += " (\(detail))" }
        return s
    }

    public func with(position: Int?) -> FreshetError {
        var e = self
        if e.position == nil { e.position = position }
        return e
    }
    public func with(detail: String) -> FreshetError {
        var e = self
        e.detail = detail
        return e
    }
}
