import FreshetCore
import NIOCore

/// PostgreSQL's binary send/recv formats for the types Freshet has (format
/// code 1 in Bind parameters and results). All integers are big-endian.
///
/// | type | wire form |
/// |---|---|
/// | boolean | 1 byte, 0 or 1 |
/// | int2/int4/int8 | 2/4/8 bytes |
/// | float4/float8 | IEEE 754, 4/8 bytes |
/// | numeric | ndigits, weight, sign, dscale (Int16 each), then base-10000 digits (see `+Numeric`) |
/// | text/varchar/char | the UTF-8 bytes |
/// | bytea | the bytes |
/// | date | Int32 days since 2000-01-01 (Freshet: since 1970) |
/// | time | Int64 µs since midnight |
/// | timestamp | Int64 µs since 2000-01-01 00:00 (Freshet: since 1970); Int64.min/max are ∓infinity |
/// | interval | Int64 µs, Int32 days, Int32 months |
///
/// Errors are `FreshetError` 22P03 (invalid_binary_representation) for malformed
/// input and 22003 for values out of the type's range.
enum BinaryValueCodec {
    /// Days from 1970-01-01 to 2000-01-01 (PostgreSQL's POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE).
    static let epochShiftDays: Int32 = 10_957
    /// Microseconds from 1970-01-01 to 2000-01-01.
    static let epochShiftMicroseconds: Int64 = 946_684_800_000_000

    // MARK: Encoding

    /// Appends the binary form of a non-NULL `value` of `type`.
    static func encode(_ value: Value, as type: DataType, into buffer: inout ByteBuffer) throws {
        switch (type, value) {
        case (.boolean, .bool(let b)):
            buffer.writeInteger(UInt8(b ? 1 : 0))
        case (.tinyint, .int(let i)), (.smallint, .int(let i)):
            guard let v = Int16(exactly: i) else { throw outOfRange(type) }
            buffer.writeInteger(v)
        case (.integer, .int(let i)):
            guard let v = Int32(exactly: i) else { throw outOfRange(type) }
            buffer.writeInteger(v)
        case (.bigint, .int(let i)):
            buffer.writeInteger(i)
        case (.real, .double(let d)):
            buffer.writeInteger(Float(d).bitPattern)
        case (.real, .int(let i)):
            buffer.writeInteger(Float(i).bitPattern)
        case (.double, .double(let d)):
            buffer.writeInteger(d.bitPattern)
        case (.double, .int(let i)):
            buffer.writeInteger(Double(i).bitPattern)
        case (.decimal, .decimal(let d)):
            writeNumeric(d, into: &buffer)
        case (.decimal, .int(let i)):
            writeNumeric(Decimal(mantissa: Int128(i), scale: 0), into: &buffer)
        case (.char, .string(let s)), (.varchar, .string(let s)), (.unknown, .string(let s)):
            buffer.writeString(s)
        case (.bytea, .bytes(let b)):
            buffer.writeBytes(b)
        case (.date, .date(let days)):
            let (shifted, overflow) = days.subtractingReportingOverflow(epochShiftDays)
            guard !overflow else { throw FreshetError(.datetimeFieldOverflow, "date out of range") }
            buffer.writeInteger(days == .min || days == .max ? days : shifted)
        case (.time, .time(let us)):
            buffer.writeInteger(us)
        case (.timestamp, .timestamp(let us)):
            buffer.writeInteger(try shiftTimestamp(us, by: -epochShiftMicroseconds))
        case (.interval, .interval(let iv)):
            buffer.writeInteger(iv.microseconds)
            buffer.writeInteger(iv.days)
            buffer.writeInteger(iv.months)
        default:
            throw FreshetError(.internalError, "cannot send value \(value) as binary \(type.sqlName)")
        }
    }

    // MARK: Decoding

    /// The value of `type` in binary form `bytes` (a whole Bind parameter).
    static func decode(_ bytes: ByteBuffer, as type: DataType) throws -> Value {
        var b = bytes
        let value: Value
        switch type {
        case .boolean:
            guard b.readableBytes == 1, let v = b.readInteger(as: UInt8.self) else { throw badLength(type, b) }
            value = .bool(v != 0)
        case .tinyint:
            let v = try readExact(Int16.self, &b, type)
            guard Int8(exactly: v) != nil else { throw outOfRange(type) }
            value = .int(Int64(v))
        case .smallint:
            value = .int(Int64(try readExact(Int16.self, &b, type)))
        case .integer:
            value = .int(Int64(try readExact(Int32.self, &b, type)))
        case .bigint:
            value = .int(try readExact(Int64.self, &b, type))
        case .real:
            value = .double(Double(Float(bitPattern: try readExact(UInt32.self, &b, type))))
        case .double:
            value = .double(Double(bitPattern: try readExact(UInt64.self, &b, type)))
        case .decimal:
            value = .decimal(try readNumeric(&b))
        case .char, .varchar, .unknown:
            guard let s = String(validating: b.readableBytesView, as: UTF8.self) else {
                throw FreshetError(.characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
            }
            b.moveReaderIndex(to: b.writerIndex)
            value = .string(s)
        case .bytea:
            value = .bytes(b.readBytes(length: b.readableBytes) ?? [])
        case .date:
            let wire = try readExact(Int32.self, &b, type)
            if wire == .min || wire == .max {
                value = .date(wire)
            } else {
                let (days, overflow) = wire.addingReportingOverflow(epochShiftDays)
                guard !overflow else { throw FreshetError(.datetimeFieldOverflow, "date out of range") }
                value = .date(days)
            }
        case .time:
            let us = try readExact(Int64.self, &b, type)
            guard us >= 0, us <= 86_400_000_000 else { throw FreshetError(.invalidBinaryRepresentation, "time out of range") }
            value = .time(us)
        case .timestamp:
            value = .timestamp(try shiftTimestamp(try readExact(Int64.self, &b, type), by: epochShiftMicroseconds))
        case .interval:
            guard b.readableBytes == 16 else { throw badLength(type, b) }
            let us = b.readInteger(as: Int64.self)!
            let days = b.readInteger(as: Int32.self)!
            let months = b.readInteger(as: Int32.self)!
            value = .interval(Interval(months: months, days: days, microseconds: us))
        }
        guard b.readableBytes == 0 else {
            throw FreshetError(.invalidBinaryRepresentation, "incorrect binary data format in bind parameter",
                               detail: "\(b.readableBytes) extra bytes after a \(type.sqlName) value")
        }
        return value
    }

    // MARK: Helpers

    private static func readExact<T: FixedWidthInteger>(_: T.Type, _ b: inout ByteBuffer, _ type: DataType) throws -> T {
        guard b.readableBytes == MemoryLayout<T>.size, let v = b.readInteger(as: T.self) else { throw badLength(type, b) }
        return v
    }

    /// Shifts a timestamp between the 1970 and 2000 epochs, keeping ±infinity.
    private static func shiftTimestamp(_ us: Int64, by delta: Int64) throws -> Int64 {
        if us == .min || us == .max { return us }
        let (shifted, overflow) = us.addingReportingOverflow(delta)
        guard !overflow, shifted != .min, shifted != .max else {
            throw FreshetError(.datetimeFieldOverflow, "timestamp out of range")
        }
        return shifted
    }

    private static func badLength(_ type: DataType, _ b: ByteBuffer) -> FreshetError {
        FreshetError(.invalidBinaryRepresentation, "incorrect binary data format in bind parameter",
                     detail: "\(b.readableBytes) bytes are not a binary \(type.sqlName)")
    }

    private static func outOfRange(_ type: DataType) -> FreshetError {
        FreshetError(.numericValueOutOfRange, "value out of range for type \(type.sqlName)")
    }
}
