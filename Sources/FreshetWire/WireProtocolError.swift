/// A violation of the protocol after which the byte stream cannot be trusted
/// (bad length word, unknown message type, malformed startup packet). The
/// server answers with a FATAL 08P01 ErrorResponse and closes the connection.
struct WireProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
