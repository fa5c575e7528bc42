import FreshetCore

// COPY FROM STDIN (protocol §55.2.6 "COPY Operations").
//
// In copy-in mode the client sends CopyData, then CopyDone or CopyFail. Flush
// and Sync are ignored there (libpq sends them without knowing the command was
// COPY); any other message fails the COPY with 08P01. When the COPY fails:
// - started by a simple Query: CopyData is dropped until CopyDone or CopyFail,
//   then ReadyForQuery is sent;
// - started by Execute: the server skips until Sync, which drops the rest of the
//   copy data too.

extension ConnectionStateMachine {
    /// The connection sent CopyInResponse.
    mutating func copyInStarted(extended: Bool) {
        state = .copyIn(extended: extended)
    }

    /// The Engine rejected copy data (its ErrorResponse is sent).
    mutating func copyInReceiveFailed() {
        guard case .copyIn(let extended) = state else { return }
        state = extended ? .skippingUntilSync : .copyInFailed
    }

    mutating func copyInReceived(_ message: FrontendMessage, extended: Bool) -> Action {
        switch message {
        case .copyData(let bytes):
            return .copyData(bytes)
        case .copyDone:
            state = .ready
            return .copyDone
        case .copyFail(let reason):
            state = extended ? .skippingUntilSync : .ready
            return .copyFail(reason)
        case .invalid(FrontendMessage.MessageID.copyFail.rawValue, _):
            state = extended ? .skippingUntilSync : .ready
            return .copyFail("invalid CopyFail message")
        case .flush, .sync:
            return .none
        case .terminate:
            state = .closed
            return .terminate
        default:
            state = extended ? .skippingUntilSync : .ready
            let type = message.typeByte
            let hex = String(type, radix: 16, uppercase: true)
            return .copyInterrupted(ErrorResponse(code: SQLState.protocolViolation.code,
                                                  message: "unexpected message type 0x\(hex.count < 2 ? "0" + hex : hex) during COPY from stdin"))
        }
    }

    mutating func copyInFailedReceived(_ message: FrontendMessage) -> Action {
        switch message {
        case .copyData, .flush, .sync:
            return .none
        case .copyDone, .copyFail, .invalid(FrontendMessage.MessageID.copyFail.rawValue, _):
            state = .ready
            return .copyInDiscarded(replay: nil)
        case .terminate:
            state = .closed
            return .terminate
        default:
            state = .ready
            return .copyInDiscarded(replay: message)
        }
    }
}

extension FrontendMessage {
    /// The type byte of a typed message (0 for the untyped startup messages).
    var typeByte: UInt8 {
        switch self {
        case .startup, .sslRequest, .gssEncRequest, .cancelRequest, .unsupportedProtocolVersion: return 0
        case .query: return MessageID.query.rawValue
        case .parse: return MessageID.parse.rawValue
        case .bind: return MessageID.bind.rawValue
        case .describe: return MessageID.describe.rawValue
        case .execute: return MessageID.execute.rawValue
        case .sync: return MessageID.sync.rawValue
        case .flush: return MessageID.flush.rawValue
        case .close: return MessageID.close.rawValue
        case .copyData: return MessageID.copyData.rawValue
        case .copyDone: return MessageID.copyDone.rawValue
        case .copyFail: return MessageID.copyFail.rawValue
        case .password: return MessageID.password.rawValue
        case .terminate: return MessageID.terminate.rawValue
        case .invalid(let type, _): return type
        }
    }
}
