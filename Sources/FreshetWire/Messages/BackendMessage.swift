import FreshetEngine
import NIOCore

/// A message from the server (PostgreSQL protocol v3, §55.7 "Message Formats").
/// `BackendMessageEncoder` writes these as type byte, Int32 length and payload.
/// DataRow is not a case: rows are written straight from `Value`s by
/// `BackendMessageEncoder.writeDataRow`, without building a message per row.
enum BackendMessage: Hashable, Sendable {
    case authentication(Authentication)                         // 'R'
    case parameterStatus(name: String, value: String)          // 'S'
    case backendKeyData(processID: Int32, secretKey: Int32)    // 'K'
    case readyForQuery(TransactionStatus)                       // 'Z'
    case rowDescription([RowDescriptionColumn])                 // 'T'
    case commandComplete(String)                                // 'C'
    case emptyQueryResponse                                     // 'I'
    case errorResponse(ErrorResponse)                           // 'E'
    case noticeResponse(ErrorResponse)                          // 'N'
    case parseComplete                                          // '1'
    case bindComplete                                           // '2'
    case closeComplete                                          // '3'
    case noData                                                 // 'n'
    case parameterDescription([UInt32])                         // 't'
    case portalSuspended                                        // 's'
    case copyInResponse(CopyResponse)                           // 'G'
    case copyOutResponse(CopyResponse)                          // 'H'
    case copyData([UInt8])                                      // 'd'
    case copyDone                                               // 'c'
    /// The newest minor version supported and the `_pq_.` options not recognised.
    case negotiateProtocolVersion(newestMinor: Int32, unrecognizedOptions: [String]) // 'v'

    /// The AuthenticationXXX messages ('R'); the Int32 after the length says which.
    enum Authentication: Hashable, Sendable {
        case ok                                   // 0
        case sasl(mechanisms: [String])           // 10
        case saslContinue(data: [UInt8])          // 11
        case saslFinal(data: [UInt8])             // 12
    }

    /// Type bytes of the backend messages.
    enum MessageID: UInt8 {
        case authentication = 0x52       // R
        case parameterStatus = 0x53      // S
        case backendKeyData = 0x4B       // K
        case readyForQuery = 0x5A        // Z
        case rowDescription = 0x54       // T
        case dataRow = 0x44              // D
        case commandComplete = 0x43      // C
        case emptyQueryResponse = 0x49   // I
        case errorResponse = 0x45        // E
        case noticeResponse = 0x4E       // N
        case parseComplete = 0x31        // 1
        case bindComplete = 0x32         // 2
        case closeComplete = 0x33        // 3
        case noData = 0x6E               // n
        case parameterDescription = 0x74 // t
        case portalSuspended = 0x73      // s
        case copyInResponse = 0x47       // G
        case copyOutResponse = 0x48      // H
        case copyData = 0x64             // d
        case copyDone = 0x63             // c
        case negotiateProtocolVersion = 0x76 // v
    }
}

/// CopyInResponse / CopyOutResponse payload: overall format and one format per column.
struct CopyResponse: Hashable, Sendable {
    var format: FormatCode
    var columnFormats: [FormatCode]

    /// A text COPY of `columnCount` columns.
    static func text(columnCount: Int) -> CopyResponse {
        CopyResponse(format: .text, columnFormats: Array(repeating: .text, count: columnCount))
    }
}
