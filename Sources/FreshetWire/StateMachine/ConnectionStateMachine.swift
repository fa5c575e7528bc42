import FreshetCore
import NIOCore

/// The protocol logic of one connection, without I/O (PostgreSQL protocol v3,
/// §55.2 "Message Flow"). Each received message goes in through `received(_:)`
/// (or the `xxxReceived` functions it dispatches to); what the connection must
/// do comes back as an `Action`. The connection reports the outcome of work it
/// did (a failed extended-query message, a COPY that started or failed) through
/// the event functions, which move the state.
///
/// It covers: startup (SSL/GSSENC refusal, protocol version check, protocol
/// option negotiation), authentication (trust, SCRAM-SHA-256), the ready state
/// (simple and extended query messages), the skip-until-Sync state after an
/// extended-query error, and COPY FROM STDIN. It does not hold statements or
/// portals (see `ExtendedQueryStore`) nor talk to the Engine.
struct ConnectionStateMachine {
    enum State {
        /// Waiting for StartupMessage (after zero or more SSL/GSSENC requests).
        case awaitingStartup
        /// Sent AuthenticationSASL; waiting for SASLInitialResponse.
        case awaitingSASLInitialResponse(StartupMessage, SCRAMServerExchange)
        /// Sent AuthenticationSASLContinue; waiting for SASLResponse.
        case awaitingSASLResponse(StartupMessage, SCRAMServerExchange)
        /// Authenticated; between or inside query messages.
        case ready
        /// An extended-query message failed: discard everything until Sync.
        case skippingUntilSync
        /// In COPY FROM STDIN, started by a simple Query or by Execute.
        case copyIn(extended: Bool)
        /// A COPY FROM STDIN of a simple Query failed: drop data until CopyDone/CopyFail.
        case copyInFailed
        case closed
    }

    enum Action: Equatable {
        /// Nothing to do (an ignored message).
        case none
        /// Answer SSLRequest/GSSENCRequest with the single byte 'N'.
        case refuseEncryption
        /// Send these messages and flush.
        case send([BackendMessage])
        /// Send this FATAL error and close the connection.
        case sendFatalAndClose(ErrorResponse)
        /// Cancel the session with this key, then close without a reply.
        case cancel(CancelRequest)
        /// Authentication succeeded: send `messages` (e.g. AuthenticationSASLFinal),
        /// AuthenticationOk, then open the session and send ParameterStatus,
        /// BackendKeyData and ReadyForQuery.
        case authenticated(StartupMessage, messages: [BackendMessage])
        case simpleQuery(String)
        case parse(ParseMessage)
        case bind(BindMessage)
        case describe(ObjectReference)
        case execute(ExecuteMessage)
        case closeObject(ObjectReference)
        case sync
        case flush
        case copyData(ByteBuffer)
        case copyDone
        case copyFail(String)
        /// A message that has no place in COPY FROM STDIN: the COPY fails with this error.
        case copyInterrupted(ErrorResponse)
        /// The discarding after a failed simple-query COPY is over. `replay` is a
        /// message that ended it and must be handled in the ready state.
        case copyInDiscarded(replay: FrontendMessage?)
        /// Report a non-fatal error for an invalid message; then ReadyForQuery if
        /// `readyForQuery` (simple query), else the machine skips until Sync.
        case reportError(ErrorResponse, readyForQuery: Bool)
        /// Terminate: close the connection cleanly.
        case terminate
    }

    // Settable within the module so the COPY extension can move it; only the machine does.
    var state: State = .awaitingStartup
    let authenticator: WireAuthenticator

    init(authenticator: WireAuthenticator) {
        self.authenticator = authenticator
    }

    // MARK: - Messages

    mutating func received(_ message: FrontendMessage) -> Action {
        switch state {
        case .awaitingStartup:
            return startupPhaseReceived(message)
        case .awaitingSASLInitialResponse, .awaitingSASLResponse:
            return authenticationPhaseReceived(message)
        case .ready:
            return readyReceived(message)
        case .skippingUntilSync:
            return skippingReceived(message)
        case .copyIn(let extended):
            return copyInReceived(message, extended: extended)
        case .copyInFailed:
            return copyInFailedReceived(message)
        case .closed:
            return .none
        }
    }

    private mutating func startupPhaseReceived(_ message: FrontendMessage) -> Action {
        switch message {
        case .sslRequest, .gssEncRequest:
            return .refuseEncryption
        case .cancelRequest(let request):
            state = .closed
            return .cancel(request)
        case .unsupportedProtocolVersion(let version):
            return fatal(.featureNotSupported, "unsupported frontend protocol \(version): server supports 3.0 to 3.0")
        case .startup(let startup):
            return startupReceived(startup)
        default:
            return fatal(.protocolViolation, "expected a startup message")
        }
    }

    mutating func startupReceived(_ startup: StartupMessage) -> Action {
        guard let user = startup.user, !user.isEmpty else {
            return fatal(.invalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
        }
        var messages: [BackendMessage] = []
        // A newer 3.x minor or _pq_ options: say what we support and go on (§55.2.1).
        if startup.protocolVersion.minor > 0 || !startup.protocolOptions.isEmpty {
            messages.append(.negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: startup.protocolOptions))
        }
        guard let exchange = authenticator.scramExchange(for: user) else {
            state = .ready
            return .authenticated(startup, messages: messages)
        }
        state = .awaitingSASLInitialResponse(startup, exchange)
        messages.append(.authentication(.sasl(mechanisms: [SCRAMServerExchange.mechanism])))
        return .send(messages)
    }

    private mutating func authenticationPhaseReceived(_ message: FrontendMessage) -> Action {
        switch message {
        case .password(let payload):
            return passwordReceived(payload)
        case .terminate:
            state = .closed
            return .terminate
        case .invalid(let type, _):
            return fatal(.protocolViolation, "expected SASL response, got message type \(type)")
        default:
            return fatal(.protocolViolation, "expected SASL response, got \(message.typeDescription)")
        }
    }

    /// SASLInitialResponse or SASLResponse, depending on the step.
    mutating func passwordReceived(_ payload: ByteBuffer) -> Action {
        switch state {
        case .awaitingSASLInitialResponse(let startup, var exchange):
            let initial: SASLInitialResponse
            do { initial = try SASLInitialResponse(from: payload) } catch {
                return fatal(.protocolViolation, error.message)
            }
            guard initial.mechanism == SCRAMServerExchange.mechanism else {
                return fatal(.protocolViolation, "client selected an invalid SASL authentication mechanism")
            }
            do {
                let serverFirst = try exchange.receiveClientFirst(initial.data ?? [])
                state = .awaitingSASLResponse(startup, exchange)
                return .send([.authentication(.saslContinue(data: serverFirst))])
            } catch {
                return scramFailed(error, user: startup.user ?? "")
            }
        case .awaitingSASLResponse(let startup, var exchange):
            do {
                let serverFinal = try exchange.receiveClientFinal(Array(payload.readableBytesView))
                state = .ready
                return .authenticated(startup, messages: [.authentication(.saslFinal(data: serverFinal))])
            } catch {
                return scramFailed(error, user: startup.user ?? "")
            }
        default:
            return fatal(.protocolViolation, "unexpected password message")
        }
    }

    private mutating func scramFailed(_ failure: SCRAMServerExchange.Failure, user: String) -> Action {
        switch failure {
        case .malformed(let detail):
            state = .closed
            return .sendFatalAndClose(ErrorResponse(severity: "FATAL", code: SQLState.protocolViolation.code,
                                                    message: "malformed SCRAM message", detail: detail))
        case .unsupported(let message):
            return fatal(.featureNotSupported, message)
        case .authenticationFailed:
            return fatal(.invalidPassword, "password authentication failed for user \"\(user)\"")
        }
    }

    private mutating func readyReceived(_ message: FrontendMessage) -> Action {
        switch message {
        case .query(let sql): return .simpleQuery(sql)
        case .parse(let m): return .parse(m)
        case .bind(let m): return .bind(m)
        case .describe(let m): return .describe(m)
        case .execute(let m): return .execute(m)
        case .close(let m): return .closeObject(m)
        case .sync: return .sync
        case .flush: return .flush
        // Left over from a COPY that already failed: ignored, as PostgreSQL does.
        case .copyData, .copyDone, .copyFail: return .none
        case .terminate:
            state = .closed
            return .terminate
        case .invalid(let type, let error):
            return invalidMessageReceived(type: type, error: error)
        case .startup, .sslRequest, .gssEncRequest, .cancelRequest, .unsupportedProtocolVersion, .password:
            return fatal(.protocolViolation, "invalid frontend message type \(message.typeDescription)")
        }
    }

    private mutating func invalidMessageReceived(type: UInt8, error: InvalidFrontendMessage) -> Action {
        let response = ErrorResponse(code: error.sqlState, message: error.message)
        if FrontendMessage.isExtendedQuery(type: type) {
            state = .skippingUntilSync
            return .reportError(response, readyForQuery: false)
        }
        switch FrontendMessage.MessageID(rawValue: type) {
        case .query:
            return .reportError(response, readyForQuery: true)
        case .copyData, .copyDone, .copyFail:
            return .none
        default:
            return fatal(.protocolViolation, error.message)
        }
    }

    private mutating func skippingReceived(_ message: FrontendMessage) -> Action {
        switch message {
        case .sync:
            state = .ready
            return .sync
        case .terminate:
            state = .closed
            return .terminate
        default:
            return .none
        }
    }

    // MARK: - Events from the connection

    /// An extended-query message failed (its ErrorResponse is sent): skip until Sync.
    mutating func extendedQueryFailed() {
        switch state {
        case .ready, .copyIn(extended: true), .skippingUntilSync:
            state = .skippingUntilSync
        default:
            break
        }
    }

    private mutating func fatal(_ state: SQLState, _ message: String) -> Action {
        self.state = .closed
        return .sendFatalAndClose(.fatal(state, message))
    }
}

extension FrontendMessage {
    /// A short name for error messages.
    var typeDescription: String {
        switch self {
        case .startup: return "startup message"
        case .sslRequest: return "SSL request"
        case .gssEncRequest: return "GSSENC request"
        case .cancelRequest: return "cancel request"
        case .unsupportedProtocolVersion: return "startup message"
        case .query: return "\(MessageID.query.rawValue) (Query)"
        case .parse: return "\(MessageID.parse.rawValue) (Parse)"
        case .bind: return "\(MessageID.bind.rawValue) (Bind)"
        case .describe: return "\(MessageID.describe.rawValue) (Describe)"
        case .execute: return "\(MessageID.execute.rawValue) (Execute)"
        case .sync: return "\(MessageID.sync.rawValue) (Sync)"
        case .flush: return "\(MessageID.flush.rawValue) (Flush)"
        case .close: return "\(MessageID.close.rawValue) (Close)"
        case .copyData: return "\(MessageID.copyData.rawValue) (CopyData)"
        case .copyDone: return "\(MessageID.copyDone.rawValue) (CopyDone)"
        case .copyFail: return "\(MessageID.copyFail.rawValue) (CopyFail)"
        case .password: return "\(MessageID.password.rawValue) (PasswordMessage)"
        case .terminate: return "\(MessageID.terminate.rawValue) (Terminate)"
        case .invalid(let type, _): return "\(type)"
        }
    }
}
