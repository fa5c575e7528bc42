import FreshetCore

// The one place where errors become ErrorResponse fields (protocol §55.8).
// Every layer reports a `FreshetError` (SQLSTATE, message, detail, hint,
// position, severity); anything else that escapes is a bug and is reported as
// XX000 internal_error with its description, so the client still gets an answer.

extension ErrorResponse {
    /// The fields of a `FreshetError`: S and V from its severity, C, M, D, H, P.
    init(_ error: FreshetError) {
        self.init(severity: error.severity.rawValue, code: error.state.code, message: error.message,
                  detail: error.detail, hint: error.hint, position: error.position)
    }

    /// Any error: a `FreshetError` as above, a protocol error as 08P01, anything else as XX000.
    init(anyError error: any Error) {
        switch error {
        case let error as FreshetError:
            self.init(error)
        case let error as InvalidFrontendMessage:
            self.init(code: error.sqlState, message: error.message)
        case let error as WireProtocolError:
            self.init(severity: "FATAL", code: SQLState.protocolViolation.code, message: error.message)
        default:
            self.init(code: SQLState.internalError.code, message: "internal error: \(error)")
        }
    }

    /// A FATAL error, after which the server closes the connection.
    static func fatal(_ state: SQLState, _ message: String) -> ErrorResponse {
        ErrorResponse(severity: "FATAL", code: state.code, message: message)
    }
}
