import FreshetCore
import FreshetEngine
import NIOCore

/// Writes server messages in their exact wire form (protocol §55.7): a type
/// byte, an Int32 length that counts itself but not the type, and the payload.
/// Messages are appended to a caller-owned `ByteBuffer` so that a batch of
/// messages goes out in one write and one flush.
struct BackendMessageEncoder {
    /// Reused for the text output of values, so DataRow encoding does not allocate per value.
    var scratch: [UInt8] = []

    init() {
        scratch.reserveCapacity(64)
    }

    /// Appends `message` to `buffer`.
    static func encode(_ message: BackendMessage, into buffer: inout ByteBuffer) {
        switch message {
        case .authentication(let auth):
            framed(.authentication, &buffer) { b in
                switch auth {
                case .ok:
                    b.writeInteger(Int32(0))
                case .sasl(let mechanisms):
                    b.writeInteger(Int32(10))
                    for m in mechanisms { b.writePostgresString(m) }
                    b.writeInteger(UInt8(0))
                case .saslContinue(let data):
                    b.writeInteger(Int32(11))
                    b.writeBytes(data)
                case .saslFinal(let data):
                    b.writeInteger(Int32(12))
                    b.writeBytes(data)
                }
            }
        case let .parameterStatus(name, value):
            framed(.parameterStatus, &buffer) { b in
                b.writePostgresString(name)
                b.writePostgresString(value)
            }
        case let .backendKeyData(processID, secretKey):
            framed(.backendKeyData, &buffer) { b in
                b.writeInteger(processID)
                b.writeInteger(secretKey)
            }
        case .readyForQuery(let status):
            framed(.readyForQuery, &buffer) { $0.writeInteger(status.rawValue) }
        case .rowDescription(let columns):
            framed(.rowDescription, &buffer) { b in
                b.writeInteger(Int16(truncatingIfNeeded: columns.count))
                for c in columns {
                    b.writePostgresString(c.name)
                    b.writeInteger(c.tableOID)
                    b.writeInteger(c.columnNumber)
                    b.writeInteger(c.typeOID)
                    b.writeInteger(c.typeSize)
                    b.writeInteger(c.typeModifier)
                    b.writeInteger(c.format.rawValue)
                }
            }
        case .commandComplete(let tag):
            framed(.commandComplete, &buffer) { $0.writePostgresString(tag) }
        case .emptyQueryResponse:
            framed(.emptyQueryResponse, &buffer) { _ in }
        case .errorResponse(let fields):
            framed(.errorResponse, &buffer) { writeFields(fields, &$0) }
        case .noticeResponse(let fields):
            framed(.noticeResponse, &buffer) { writeFields(fields, &$0) }
        case .parseComplete:
            framed(.parseComplete, &buffer) { _ in }
        case .bindComplete:
            framed(.bindComplete, &buffer) { _ in }
        case .closeComplete:
            framed(.closeComplete, &buffer) { _ in }
        case .noData:
            framed(.noData, &buffer) { _ in }
        case .parameterDescription(let oids):
            framed(.parameterDescription, &buffer) { b in
                b.writeInteger(Int16(truncatingIfNeeded: oids.count))
                for oid in oids { b.writeInteger(oid) }
            }
        case .portalSuspended:
            framed(.portalSuspended, &buffer) { _ in }
        case .copyInResponse(let r):
            framed(.copyInResponse, &buffer) { writeCopyResponse(r, &$0) }
        case .copyOutResponse(let r):
            framed(.copyOutResponse, &buffer) { writeCopyResponse(r, &$0) }
        case .copyData(let bytes):
            framed(.copyData, &buffer) { $0.writeBytes(bytes) }
        case .copyDone:
            framed(.copyDone, &buffer) { _ in }
        case let .negotiateProtocolVersion(newestMinor, options):
            framed(.negotiateProtocolVersion, &buffer) { b in
                b.writeInteger(newestMinor)
                b.writeInteger(Int32(options.count))
                for o in options { b.writePostgresString(o) }
            }
        }
    }

    /// Writes the type byte and a length placeholder, lets `body` write the
    /// payload, then fills in the length.
    @inline(__always)
    static func framed(_ id: BackendMessage.MessageID, _ buffer: inout ByteBuffer, _ body: (inout ByteBuffer) -> Void) {
        buffer.writeInteger(id.rawValue)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        body(&buffer)
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    private static func writeFields(_ f: ErrorResponse, _ b: inout ByteBuffer) {
        func field(_ code: ErrorResponse.Field, _ value: String) {
            b.writeInteger(code.rawValue)
            b.writePostgresString(value)
        }
        field(.localizedSeverity, f.severity)
        field(.severity, f.severity)
        field(.sqlState, f.code)
        field(.message, f.message)
        if let d = f.detail { field(.detail, d) }
        if let h = f.hint { field(.hint, h) }
        if let p = f.position { field(.position, String(p)) }
        b.writeInteger(UInt8(0))
    }

    private static func writeCopyResponse(_ r: CopyResponse, _ b: inout ByteBuffer) {
        b.writeInteger(UInt8(truncatingIfNeeded: r.format.rawValue))
        b.writeInteger(Int16(truncatingIfNeeded: r.columnFormats.count))
        for f in r.columnFormats { b.writeInteger(f.rawValue) }
    }

    /// Appends the SSLRequest/GSSENCRequest refusal: the single byte 'N', no framing.
    static func encodeEncryptionRefusal(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "N"))
    }
}
