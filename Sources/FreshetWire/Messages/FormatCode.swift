/// The format of a parameter or result column on the wire (PostgreSQL protocol
/// §55.2.3 "Formats and Format Codes"): 0 is text, 1 is binary.
enum FormatCode: Int16, Hashable, Sendable {
    case text = 0
    case binary = 1
}
