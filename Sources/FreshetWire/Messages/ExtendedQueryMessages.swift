import FreshetCore
import NIOCore

// The payloads of the extended-query messages (protocol §55.2.3 and §55.7):
// Parse, Bind, Describe, Execute and Close. Sync and Flush have none.

/// Parse ('P'): create a prepared statement from one SQL statement.
struct ParseMessage: Hashable, Sendable {
    /// "" is the unnamed statement.
    var statementName: String
    var query: String
    /// Parameter type OIDs given by the client; 0 means "infer".
    var parameterTypeOIDs: [UInt32]
}

/// Bind ('B'): create a portal from a prepared statement and parameter values.
struct BindMessage: Hashable, Sendable {
    var portalName: String
    var statementName: String
    /// None (all text), one (for all parameters) or one per parameter.
    var parameterFormats: [FormatCode]
    /// Raw parameter values; nil is SQL NULL (length -1).
    var parameters: [ByteBuffer?]
    /// None (all text), one (for all columns) or one per result column.
    var resultFormats: [FormatCode]
}

/// Whether Describe or Close refers to a prepared statement ('S') or a portal ('P').
enum PreparedObjectKind: UInt8, Hashable, Sendable {
    case statement = 0x53 // 'S'
    case portal = 0x50    // 'P'
}

/// Describe ('D') and Close ('C') name an object of a kind.
struct ObjectReference: Hashable, Sendable {
    var kind: PreparedObjectKind
    var name: String
}

/// Execute ('E'): run a portal, returning at most `maxRows` rows (0 = no limit).
struct ExecuteMessage: Hashable, Sendable {
    var portalName: String
    var maxRows: Int32
}
