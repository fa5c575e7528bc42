import NIOCore

/// Frames and decodes client messages (PostgreSQL protocol v3, §55.7).
///
/// - The first message has no type byte: Int32 length, Int32 code. The code
///   tells a StartupMessage (protocol version) from an SSLRequest, GSSENCRequest
///   or CancelRequest. After SSLRequest/GSSENCRequest (answered 'N') another
///   untyped message follows.
/// - Every later message is a type byte, an Int32 length counting itself, and
///   the payload.
///
/// A frame is consumed only when it is complete (the reader index is left alone
/// otherwise). A length below 4 or above the limit, an unknown type byte or a
/// malformed startup packet throws `WireProtocolError`: the stream cannot be
/// trusted after that and the connection is closed. A complete frame with a bad
/// payload decodes to `.invalid`, which the session reports as an ERROR and
/// survives.
///
/// Consecutive CopyData frames already in the buffer are merged into one
/// `.copyData` message (up to `copyDataCoalescingLimit` bytes): psql sends one
/// CopyData per line, and a million lines must not cost a million hops.
struct FrontendMessageDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = FrontendMessage

    /// PostgreSQL's MAX_STARTUP_PACKET_LENGTH.
    static let maxStartupPacketLength = 10_000
    static let defaultMaxMessageSize = 1 << 30
    static let copyDataCoalescingLimit = 1 << 20

    /// Largest accepted payload of a typed message, in bytes.
    let maxMessageSize: Int
    /// True until the StartupMessage or CancelRequest has been decoded.
    private(set) var expectsStartup = true

    init(maxMessageSize: Int = FrontendMessageDecoder.defaultMaxMessageSize, expectsStartup: Bool = true) {
        self.maxMessageSize = maxMessageSize
        self.expectsStartup = expectsStartup
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> FrontendMessage? {
        if expectsStartup {
            return try decodeStartup(buffer: &buffer)
        }
        guard let (type, length) = buffer.getFrameHeader(at: buffer.readerIndex) else { return nil }
        guard let id = FrontendMessage.MessageID(rawValue: type) else {
            throw WireProtocolError("invalid frontend message type \(type)")
        }
        guard length >= 4 else {
            throw WireProtocolError("invalid message length \(length) for message type \(type)")
        }
        guard Int(length) - 4 <= maxMessageSize else {
            throw WireProtocolError("message of \(Int(length) - 4) bytes exceeds the limit of \(maxMessageSize) bytes")
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        var payload = buffer.readSlice(length: Int(length) - 4)!

        if id == .copyData {
            return .copyData(coalesceCopyData(first: payload, buffer: &buffer))
        }
        do throws(InvalidFrontendMessage) {
            let message = try Self.decodePayload(id, &payload)
            guard payload.readableBytes == 0 else {
                throw InvalidFrontendMessage(sqlState: "08P01", message: "invalid message format: \(payload.readableBytes) unexpected bytes at end of message")
            }
            return message
        } catch {
            return .invalid(type: type, error: error)
        }
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> FrontendMessage? {
        // An incomplete frame at EOF is dropped: the peer is gone, nobody to answer.
        try decode(buffer: &buffer)
    }

    // MARK: - Startup

    private mutating func decodeStartup(buffer: inout ByteBuffer) throws -> FrontendMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard length >= 8, length <= Self.maxStartupPacketLength else {
            throw WireProtocolError("invalid length of startup packet: \(length)")
        }
        guard buffer.readableBytes >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        var payload = buffer.readSlice(length: Int(length) - 4)!
        let code = payload.readInteger(as: UInt32.self)!

        switch code {
        case FrontendMessage.sslRequestCode, FrontendMessage.gssEncRequestCode:
            guard payload.readableBytes == 0 else { throw WireProtocolError("invalid length of encryption request packet") }
            return code == FrontendMessage.sslRequestCode ? .sslRequest : .gssEncRequest
        case FrontendMessage.cancelRequestCode:
            guard payload.readableBytes == 8 else { throw WireProtocolError("invalid length of cancel request packet") }
            expectsStartup = false
            return .cancelRequest(CancelRequest(processID: payload.readInteger()!, secretKey: payload.readInteger()!))
        default:
            let version = ProtocolVersion(code: code)
            expectsStartup = false
            guard version.major == 3 else { return .unsupportedProtocolVersion(version) }
            return .startup(StartupMessage(protocolVersion: version, parameters: try Self.decodeStartupParameters(&payload)))
        }
    }

    /// name\0value\0 … \0, every string UTF-8.
    private static func decodeStartupParameters(_ payload: inout ByteBuffer) throws -> [String: String] {
        var parameters: [String: String] = [:]
        while true {
            let name: String?
            do { name = try payload.readPostgresString() } catch {
                throw WireProtocolError("invalid UTF-8 in a startup packet parameter name")
            }
            guard let name else { throw WireProtocolError("invalid startup packet layout: expected terminator as last byte") }
            if name.isEmpty {
                guard payload.readableBytes == 0 else { throw WireProtocolError("invalid startup packet layout: data after terminator") }
                return parameters
            }
            let value: String?
            do { value = try payload.readPostgresString() } catch {
                throw WireProtocolError("invalid UTF-8 in the value of startup packet parameter \"\(name)\"")
            }
            guard let value else { throw WireProtocolError("invalid startup packet layout: expected terminator as last byte") }
            parameters[name] = value
        }
    }

    // MARK: - Typed messages

    private static func decodePayload(_ id: FrontendMessage.MessageID, _ p: inout ByteBuffer) throws(InvalidFrontendMessage) -> FrontendMessage {
        switch id {
        case .query:
            return .query(try p.readRequiredPostgresString())
        case .parse:
            let name = try p.readRequiredPostgresString()
            let query = try p.readRequiredPostgresString()
            let count = try p.readRequiredInteger(as: Int16.self)
            guard count >= 0, p.readableBytes >= Int(count) * 4 else { throw insufficientData }
            var oids: [UInt32] = []
            oids.reserveCapacity(Int(count))
            for _ in 0..<count { oids.append(try p.readRequiredInteger()) }
            return .parse(ParseMessage(statementName: name, query: query, parameterTypeOIDs: oids))
        case .bind:
            let portal = try p.readRequiredPostgresString()
            let statement = try p.readRequiredPostgresString()
            let formats = try readFormats(&p)
            let count = try p.readRequiredInteger(as: Int16.self)
            guard count >= 0 else { throw insufficientData }
            var values: [ByteBuffer?] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                let length = try p.readRequiredInteger(as: Int32.self)
                if length == -1 {
                    values.append(nil)
                } else {
                    guard length >= 0, let value = p.readSlice(length: Int(length)) else { throw insufficientData }
                    values.append(value)
                }
            }
            let resultFormats = try readFormats(&p)
            return .bind(BindMessage(portalName: portal, statementName: statement, parameterFormats: formats,
                                     parameters: values, resultFormats: resultFormats))
        case .describe, .close:
            let kindByte = try p.readRequiredInteger(as: UInt8.self)
            guard let kind = PreparedObjectKind(rawValue: kindByte) else {
                throw InvalidFrontendMessage(sqlState: "08P01", message: "invalid \(id == .describe ? "DESCRIBE" : "CLOSE") message subtype \(kindByte)")
            }
            let ref = ObjectReference(kind: kind, name: try p.readRequiredPostgresString())
            return id == .describe ? .describe(ref) : .close(ref)
        case .execute:
            let portal = try p.readRequiredPostgresString()
            return .execute(ExecuteMessage(portalName: portal, maxRows: try p.readRequiredInteger()))
        case .sync: return .sync
        case .flush: return .flush
        case .terminate: return .terminate
        case .copyDone: return .copyDone
        case .copyFail: return .copyFail(try p.readRequiredPostgresString())
        case .password:
            let all = p
            p.moveReaderIndex(to: p.writerIndex)
            return .password(all)
        case .copyData:
            preconditionFailure("CopyData is decoded by coalesceCopyData")
        }
    }

    private static var insufficientData: InvalidFrontendMessage {
        InvalidFrontendMessage(sqlState: "08P01", message: "insufficient data left in message")
    }

    private static func readFormats(_ p: inout ByteBuffer) throws(InvalidFrontendMessage) -> [FormatCode] {
        let count = try p.readRequiredInteger(as: Int16.self)
        guard count >= 0, p.readableBytes >= Int(count) * 2 else { throw insufficientData }
        var formats: [FormatCode] = []
        formats.reserveCapacity(Int(count))
        for _ in 0..<count {
            let raw = try p.readRequiredInteger(as: Int16.self)
            guard let format = FormatCode(rawValue: raw) else {
                throw InvalidFrontendMessage(sqlState: "22023", message: "unsupported format code: \(raw)")
            }
            formats.append(format)
        }
        return formats
    }

    /// Appends every complete CopyData frame that follows `first` in `buffer`.
    private func coalesceCopyData(first: ByteBuffer, buffer: inout ByteBuffer) -> ByteBuffer {
        var merged = first
        while merged.readableBytes < Self.copyDataCoalescingLimit,
              let (type, length) = buffer.getFrameHeader(at: buffer.readerIndex),
              type == FrontendMessage.MessageID.copyData.rawValue,
              length >= 4, Int(length) - 4 <= maxMessageSize,
              buffer.readableBytes >= 1 + Int(length) {
            buffer.moveReaderIndex(forwardBy: 5)
            var next = buffer.readSlice(length: Int(length) - 4)!
            merged.writeBuffer(&next)
        }
        return merged
    }
}

extension ByteBuffer {
    /// The type byte and length word of a typed message at `index`, if 5 bytes are there.
    fileprivate func getFrameHeader(at index: Int) -> (UInt8, Int32)? {
        guard let type = getInteger(at: index, as: UInt8.self),
              let length = getInteger(at: index + 1, as: Int32.self) else { return nil }
        return (type, length)
    }
}
