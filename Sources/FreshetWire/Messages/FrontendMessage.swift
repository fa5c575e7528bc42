import NIOCore

/// A message from the client (PostgreSQL protocol v3, §55.7 "Message Formats").
///
/// The first message of a connection has no type byte and is told apart by its
/// code (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest); the others
/// are a type byte, an Int32 length that counts itself, and a payload.
/// `FrontendMessageDecoder` produces these.
enum FrontendMessage: Hashable, Sendable {
    // Untyped first messages.
    case startup(StartupMessage)
    case sslRequest
    case gssEncRequest
    case cancelRequest(CancelRequest)
    /// A StartupMessage for a protocol major version other than 3; its layout is not parsed.
    case unsupportedProtocolVersion(ProtocolVersion)

    // Typed messages.
    case query(String)                // 'Q'
    case parse(ParseMessage)          // 'P'
    case bind(BindMessage)            // 'B'
    case describe(ObjectReference)    // 'D'
    case execute(ExecuteMessage)      // 'E'
    case sync                         // 'S'
    case flush                        // 'H'
    case close(ObjectReference)       // 'C'
    /// One or more consecutive CopyData frames, merged ('d').
    case copyData(ByteBuffer)
    case copyDone                     // 'c'
    case copyFail(String)             // 'f'
    /// PasswordMessage, SASLInitialResponse or SASLResponse ('p'): which one depends
    /// on the authentication state, so the payload is parsed by the state machine.
    case password(ByteBuffer)
    case terminate                    // 'X'

    /// A well-framed message whose payload is invalid (a missing terminator, wrong
    /// counts, invalid UTF-8). The byte stream is still in step, so the session can
    /// report an ERROR and go on, as PostgreSQL does.
    case invalid(type: UInt8, error: InvalidFrontendMessage)
}

/// Why a framed message's payload could not be decoded.
struct InvalidFrontendMessage: Error, Hashable, Sendable {
    /// 08P01 for a bad layout, 22021 for invalid UTF-8.
    var sqlState: String
    var message: String
}

extension FrontendMessage {
    /// Type bytes of the typed frontend messages.
    enum MessageID: UInt8 {
        case bind = 0x42        // B
        case close = 0x43       // C
        case describe = 0x44    // D
        case execute = 0x45     // E
        case flush = 0x48       // H
        case parse = 0x50       // P
        case query = 0x51       // Q
        case sync = 0x53        // S
        case terminate = 0x58   // X
        case copyDone = 0x63    // c
        case copyData = 0x64    // d
        case copyFail = 0x66    // f
        case password = 0x70    // p
    }

    /// Request codes of the untyped first messages (§55.7).
    static let sslRequestCode: UInt32 = 80877103
    static let gssEncRequestCode: UInt32 = 80877104
    static let cancelRequestCode: UInt32 = 80877102

    /// True for messages of the extended-query protocol, after whose failure the
    /// server discards input until Sync (§55.2.3).
    static func isExtendedQuery(type: UInt8) -> Bool {
        switch MessageID(rawValue: type) {
        case .parse, .bind, .describe, .execute, .close, .flush, .sync: return true
        default: return false
        }
    }
}
