import NIOCore

/// SASLInitialResponse ('p' during SASL authentication, protocol §55.7): the
/// chosen mechanism, then an Int32 length (-1: no data) and the client's first
/// SASL message. SASLResponse, which follows, is just the message bytes.
struct SASLInitialResponse: Hashable, Sendable {
    var mechanism: String
    var data: [UInt8]?

    init(mechanism: String, data: [UInt8]?) {
        self.mechanism = mechanism
        self.data = data
    }

    /// Parses the payload of a 'p' message.
    init(from payload: ByteBuffer) throws(InvalidFrontendMessage) {
        var p = payload
        self.mechanism = try p.readRequiredPostgresString()
        let length = try p.readRequiredInteger(as: Int32.self)
        if length == -1 {
            self.data = nil
        } else {
            guard length >= 0, let bytes = p.readBytes(length: Int(length)) else {
                throw InvalidFrontendMessage(sqlState: "08P01", message: "insufficient data left in message")
            }
            self.data = bytes
        }
        guard p.readableBytes == 0 else {
            throw InvalidFrontendMessage(sqlState: "08P01", message: "invalid SASLInitialResponse message: unexpected data at end")
        }
    }
}
