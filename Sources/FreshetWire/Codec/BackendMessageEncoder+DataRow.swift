import FreshetCore
import NIOCore

extension BackendMessageEncoder {
    /// Appends a DataRow ('D') for `row`, each value in its column's type and
    /// format. Values are written straight into `buffer`: integers, booleans and
    /// strings directly, other text through `Value.appendPGText` into a reused
    /// scratch array, binary through `BinaryValueCodec`. `types` and `formats`
    /// have one entry per column. Throws only when a value cannot be sent as its
    /// column's binary type; then nothing of the row is left in `buffer`.
    mutating func writeDataRow(_ row: Row, types: [DataType], formats: [FormatCode], into buffer: inout ByteBuffer) throws {
        let start = buffer.writerIndex
        do {
            try writeDataRowUnchecked(row, types: types, formats: formats, into: &buffer)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    private mutating func writeDataRowUnchecked(_ row: Row, types: [DataType], formats: [FormatCode],
                                                into buffer: inout ByteBuffer) throws {
        buffer.writeInteger(BackendMessage.MessageID.dataRow.rawValue)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int16(truncatingIfNeeded: row.count))
        for i in row.indices {
            let value = row[i]
            if case .null = value {
                buffer.writeInteger(Int32(-1))
                continue
            }
            let type = i < types.count ? types[i] : .text
            let valueLengthIndex = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            if i < formats.count, formats[i] == .binary {
                try BinaryValueCodec.encode(value, as: type, into: &buffer)
            } else {
                writeText(value, type: type, into: &buffer)
            }
            buffer.setInteger(Int32(buffer.writerIndex - valueLengthIndex - 4), at: valueLengthIndex)
        }
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    /// The PostgreSQL text output of a non-NULL value.
    @inline(__always)
    mutating func writeText(_ value: Value, type: DataType, into buffer: inout ByteBuffer) {
        switch (value, type) {
        case (.int(let i), .tinyint), (.int(let i), .smallint), (.int(let i), .integer), (.int(let i), .bigint):
            buffer.writeString(i.description) // small strings do not allocate
        case (.string(let s), .varchar), (.string(let s), .unknown):
            buffer.writeString(s)
        case (.bool(let b), .boolean):
            buffer.writeInteger(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        default:
            scratch.removeAll(keepingCapacity: true)
            value.appendPGText(as: type, to: &scratch)
            buffer.writeBytes(scratch)
        }
    }
}
