import NIOCore

extension ByteBuffer {
    /// Reads a zero-terminated string that must be valid UTF-8 (the protocol's
    /// "String" type). Returns nil, consuming nothing, when there is no terminator;
    /// throws when the bytes are not UTF-8.
    mutating func readPostgresString() throws(InvalidFrontendMessage) -> String? {
        guard let end = readableBytesView.firstIndex(of: 0) else { return nil }
        let length = end - readerIndex
        let string = String(validating: readableBytesView.prefix(length), as: UTF8.self)
        guard let string else {
            throw InvalidFrontendMessage(sqlState: "22021",
                                         message: "invalid byte sequence for encoding \"UTF8\" in message string")
        }
        moveReaderIndex(forwardBy: length + 1)
        return string
    }

    /// Reads a zero-terminated string or fails with 08P01 "invalid string in message".
    mutating func readRequiredPostgresString() throws(InvalidFrontendMessage) -> String {
        guard let s = try readPostgresString() else {
            throw InvalidFrontendMessage(sqlState: "08P01", message: "invalid string in message: missing terminator")
        }
        return s
    }

    /// Reads an integer or fails with 08P01 "insufficient data left in message".
    mutating func readRequiredInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws(InvalidFrontendMessage) -> T {
        guard let v = readInteger(as: T.self) else {
            throw InvalidFrontendMessage(sqlState: "08P01", message: "insufficient data left in message")
        }
        return v
    }

    /// Writes `string` and a zero terminator.
    mutating func writePostgresString(_ string: String) {
        writeString(string)
        writeInteger(UInt8(0))
    }
}
