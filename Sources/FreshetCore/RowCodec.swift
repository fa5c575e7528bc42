// The compact binary encoding of a row, as stored in the shard logs.
//
// Layout (all integers little-endian):
//
//     null bitmap   ⌈columns / 8⌉ bytes; bit i (byte i/8, bit i%8) set = column i is NULL;
//                   the unused high bits of the last byte are zero
//     then, for each non-NULL column in order, by its declared type:
//       boolean 1 (0 or 1) · tinyint 1 · smallint 2 · integer 4 · bigint 8
//       real 4 (IEEE bits) · double 8 · date 4 (days since 1970-01-01)
//       time 8 (µs since midnight, 0…86 400 000 000) · timestamp 8 (µs since 1970)
//       interval 16 (months 4, days 4, µs 8)
//       char / varchar / text / bytea: LEB128 length, then the bytes (UTF-8 for strings)
//       decimal: LEB128 scale, then the zig-zag LEB128 mantissa (1–19 bytes)
//
// The encoding has no type tags: the schema says how to read it. Decoding
// checks every length and value against the schema and throws XX001
// (data corrupted) instead of reading out of bounds.

public enum RowCodec {
    /// Append the encoding of `row` (which matches `schema`) to `buffer`.
    /// Integers go into any numeric column, dates into timestamp columns and
    /// strings into bytea; any other mismatch between a value and its column is
    /// a programming error and stops the process (use `encodeChecked` to get an
    /// error instead).
    public static func encode(_ row: Row, schema: Schema, into buffer: inout [UInt8]) {
        do {
            try encodeChecked(row, schema: schema, into: &buffer)
        } catch {
            preconditionFailure("RowCodec.encode: \(error)")
        }
    }

    /// As `encode`, but throws 42804 (a value of the wrong kind) or 22003 (out of
    /// the column type's range) instead of stopping; `buffer` is left as it was.
    public static func encodeChecked(_ row: Row, schema: Schema, into buffer: inout [UInt8]) throws {
        let n = schema.count
        guard row.count == n else {
            throw FreshetError(.datatypeMismatch, "row has \(row.count) values but the schema has \(n) columns")
        }
        let start = buffer.count
        let bitmapBytes = (n + 7) / 8
        buffer.append(contentsOf: repeatElement(0, count: bitmapBytes))
        do {
            for i in 0..<n {
                if row[i].isNull {
                    buffer[start + i / 8] |= 1 << UInt8(i % 8)
                    continue
                }
                try ColumnCodec(schema.columns[i].type).encode(row[i], column: i, into: &buffer)
            }
        } catch {
            buffer.removeSubrange(start...)
            throw error
        }
    }

    /// Decode one row encoded by `encode` for the same schema. Throws FreshetError
    /// (XX001 data corrupted) when the bytes do not form a row of that schema.
    public static func decode(_ bytes: UnsafeRawBufferPointer, schema: Schema) throws -> Row {
        try RowDecoder(schema: schema).decode(bytes)
    }

    /// Decode a single column of an encoded row, skipping the others.
    public static func decodeColumn(_ bytes: UnsafeRawBufferPointer, schema: Schema, column: Int) throws -> Value {
        try RowDecoder(schema: schema).value(at: column, in: bytes)
    }

    static func corrupted(_ what: String, at offset: Int) -> FreshetError {
        FreshetError(.dataCorrupted, "corrupted row: \(what) at byte \(offset)")
    }
}

/// How one column type is laid out (precomputed per schema so the per-row
/// loops switch on a small enum instead of `DataType`).
struct ColumnCodec: Sendable {
    enum Kind: UInt8, Sendable {
        case bool, int8, int16, int32, int64, float32, float64, decimal, string, bytes, date, time, timestamp, interval
    }
    var kind: Kind
    var type: DataType

    init(_ type: DataType) {
        self.type = type
        switch type {
        case .boolean: kind = .bool
        case .tinyint: kind = .int8
        case .smallint: kind = .int16
        case .integer: kind = .int32
        case .bigint: kind = .int64
        case .real: kind = .float32
        case .double: kind = .float64
        case .decimal: kind = .decimal
        case .char, .varchar, .unknown: kind = .string
        case .bytea: kind = .bytes
        case .date: kind = .date
        case .time: kind = .time
        case .timestamp: kind = .timestamp
        case .interval: kind = .interval
        }
    }

    /// Fixed width in bytes, or nil for variable-length kinds.
    var fixedWidth: Int? {
        switch kind {
        case .bool, .int8: return 1
        case .int16: return 2
        case .int32, .float32, .date: return 4
        case .int64, .float64, .time, .timestamp: return 8
        case .interval: return 16
        case .decimal, .string, .bytes: return nil
        }
    }

    func mismatch(_ v: Value, column: Int) -> FreshetError {
        FreshetError(.datatypeMismatch, "column \(column + 1) is of type \(type.sqlName) but the value is \(v)")
    }

    func encode(_ v: Value, column: Int, into b: inout [UInt8]) throws {
        switch (kind, v) {
        case (.bool, .bool(let x)): b.append(x ? 1 : 0)
        case (.int8, .int(let x)):
            guard let n = Int8(exactly: x) else { throw SQLArithmetic.outOfRange(type) }
            b.append(UInt8(bitPattern: n))
        case (.int16, .int(let x)):
            guard let n = Int16(exactly: x) else { throw SQLArithmetic.outOfRange(type) }
            appendLE(UInt16(bitPattern: n), to: &b)
        case (.int32, .int(let x)):
            guard let n = Int32(exactly: x) else { throw SQLArithmetic.outOfRange(type) }
            appendLE(UInt32(bitPattern: n), to: &b)
        case (.int64, .int(let x)): appendLE(UInt64(bitPattern: x), to: &b)
        case (.float32, .double(let x)): appendLE(Float(x).bitPattern, to: &b)
        case (.float32, .int(let x)): appendLE(Float(x).bitPattern, to: &b)
        case (.float32, .decimal(let x)): appendLE(Float(x.doubleValue).bitPattern, to: &b)
        case (.float64, .double(let x)): appendLE(x.bitPattern, to: &b)
        case (.float64, .int(let x)): appendLE(Double(x).bitPattern, to: &b)
        case (.float64, .decimal(let x)): appendLE(x.doubleValue.bitPattern, to: &b)
        case (.decimal, .decimal(let x)): ColumnCodec.appendDecimal(x, to: &b)
        case (.decimal, .int(let x)): ColumnCodec.appendDecimal(Decimal(x), to: &b)
        case (.string, .string(let s)):
            appendVarint(UInt64(s.utf8.count), to: &b)
            b.append(contentsOf: s.utf8)
        case (.bytes, .bytes(let x)):
            appendVarint(UInt64(x.count), to: &b)
            b.append(contentsOf: x)
        case (.bytes, .string(let s)):
            appendVarint(UInt64(s.utf8.count), to: &b)
            b.append(contentsOf: s.utf8)
        case (.date, .date(let d)): appendLE(UInt32(bitPattern: d), to: &b)
        case (.time, .time(let t)):
            guard t >= 0, t <= Calendar.microsecondsPerDay else { throw mismatch(v, column: column) }
            appendLE(UInt64(bitPattern: t), to: &b)
        case (.timestamp, .timestamp(let t)): appendLE(UInt64(bitPattern: t), to: &b)
        case (.timestamp, .date(let d)): appendLE(UInt64(bitPattern: Value.timestamp(ofDate: d)), to: &b)
        case (.interval, .interval(let iv)):
            appendLE(UInt32(bitPattern: iv.months), to: &b)
            appendLE(UInt32(bitPattern: iv.days), to: &b)
            appendLE(UInt64(bitPattern: iv.microseconds), to: &b)
        default:
            throw mismatch(v, column: column)
        }
    }

    static func appendDecimal(_ d: Decimal, to b: inout [UInt8]) {
        appendVarint(UInt64(d.scale), to: &b)
        let m = d.mantissa
        var z = UInt128(bitPattern: (m << 1) ^ (m >> 127))   // zig-zag
        while z >= 0x80 {
            b.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        b.append(UInt8(truncatingIfNeeded: z))
    }

    /// Reads this column's value at the reader's position.
    @inline(__always)
    func decode(_ r: inout ByteReader) throws -> Value {
        switch kind {
        case .bool:
            let at = r.position
            let x = try r.byte()
            guard x <= 1 else { throw RowCodec.corrupted("boolean byte \(x)", at: at) }
            return .bool(x == 1)
        case .int8: return .int(Int64(Int8(bitPattern: try r.byte())))
        case .int16: return .int(Int64(Int16(bitPattern: try r.le(UInt16.self))))
        case .int32: return .int(Int64(Int32(bitPattern: try r.le(UInt32.self))))
        case .int64: return .int(Int64(bitPattern: try r.le(UInt64.self)))
        case .float32: return .double(Double(Float(bitPattern: try r.le(UInt32.self))))
        case .float64: return .double(Double(bitPattern: try r.le(UInt64.self)))
        case .decimal: return .decimal(try ColumnCodec.readDecimal(&r))
        case .string:
            let at = r.position
            let s = try r.lengthPrefixed()
            guard UTF8Check.characterCount(s) != nil else { throw RowCodec.corrupted("invalid UTF-8 text", at: at) }
            return .string(String(decoding: s, as: UTF8.self))
        case .bytes: return .bytes(Array(try r.lengthPrefixed()))
        case .date: return .date(Int32(bitPattern: try r.le(UInt32.self)))
        case .time:
            let at = r.position
            let t = Int64(bitPattern: try r.le(UInt64.self))
            guard t >= 0, t <= Calendar.microsecondsPerDay else { throw RowCodec.corrupted("time of day \(t)", at: at) }
            return .time(t)
        case .timestamp: return .timestamp(Int64(bitPattern: try r.le(UInt64.self)))
        case .interval:
            let m = Int32(bitPattern: try r.le(UInt32.self))
            let d = Int32(bitPattern: try r.le(UInt32.self))
            let u = Int64(bitPattern: try r.le(UInt64.self))
            return .interval(Interval(months: m, days: d, microseconds: u))
        }
    }

    /// Skips this column's value.
    @inline(__always)
    func skip(_ r: inout ByteReader) throws {
        if let w = fixedWidth { try r.skip(w); return }
        switch kind {
        case .decimal: _ = try ColumnCodec.readDecimal(&r)
        default: _ = try r.lengthPrefixed()
        }
    }

    static func readDecimal(_ r: inout ByteReader) throws -> Decimal {
        let at = r.position
        let scale = try r.varint()
        guard scale <= UInt64(Decimal.maxScale) else { throw RowCodec.corrupted("decimal scale \(scale)", at: at) }
        var z: UInt128 = 0
        var shift: UInt128 = 0
        while true {
            let pos = r.position
            let c = try r.byte()
            guard shift < 128 else { throw RowCodec.corrupted("overlong decimal mantissa", at: pos) }
            if shift == 126, c > 3 { throw RowCodec.corrupted("overlong decimal mantissa", at: pos) }
            z |= UInt128(c & 0x7F) << shift
            if c & 0x80 == 0 { break }
            shift += 7
        }
        let m = Int128(bitPattern: z >> 1) ^ -Int128(bitPattern: z & 1)
        guard m.magnitude <= Decimal.maxMantissa.magnitude else { throw RowCodec.corrupted("decimal mantissa beyond 38 digits", at: at) }
        return Decimal(mantissa: m, scale: Int(scale))
    }
}

@inline(__always)
func appendLE<T: FixedWidthInteger>(_ v: T, to b: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) }
}

@inline(__always)
func appendVarint(_ v: UInt64, to b: inout [UInt8]) {
    var x = v
    while x >= 0x80 {
        b.append(UInt8(truncatingIfNeeded: x) | 0x80)
        x >>= 7
    }
    b.append(UInt8(truncatingIfNeeded: x))
}

/// A bounds-checked cursor over encoded bytes.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw RowCodec.corrupted("row ends early", at: position) }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func le<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let n = MemoryLayout<T>.size
        guard remaining >= n else { throw RowCodec.corrupted("row ends early", at: position) }
        let v = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += n
        return T(littleEndian: v)
    }

    @inline(__always)
    mutating func skip(_ n: Int) throws {
        guard remaining >= n else { throw RowCodec.corrupted("row ends early", at: position) }
        position += n
    }

    @inline(__always)
    mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let at = position
            let c = try byte()
            if shift == 63, c > 1 { throw RowCodec.corrupted("overlong length", at: at) }
            v |= UInt64(c & 0x7F) << shift
            if c & 0x80 == 0 { return v }
            shift += 7
            if shift > 63 { throw RowCodec.corrupted("overlong length", at: at) }
        }
    }

    @inline(__always)
    mutating func lengthPrefixed() throws -> UnsafeRawBufferPointer {
        let at = position
        let n = try varint()
        guard n <= UInt64(remaining) else { throw RowCodec.corrupted("length \(n) beyond the row", at: at) }
        let s = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Int(n))])
        position += Int(n)
        return s
    }
}

/// Decodes rows of one schema; reads whole rows or single columns (for
/// filters that look at one column without decoding the others).
public struct RowDecoder: Sendable {
    public let schema: Schema
    let codecs: [ColumnCodec]
    let bitmapBytes: Int

    public init(schema: Schema) {
        self.schema = schema
        self.codecs = schema.columns.map { ColumnCodec($0.type) }
        self.bitmapBytes = (schema.count + 7) / 8
    }

    func checkBitmap(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= bitmapBytes else { throw RowCodec.corrupted("row shorter than its null bitmap", at: bytes.count) }
        let n = codecs.count
        if n % 8 != 0 {
            let last = bytes[bitmapBytes - 1]
            guard last >> UInt8(n % 8) == 0 else { throw RowCodec.corrupted("null bitmap has bits beyond the last column", at: bitmapBytes - 1) }
        }
    }

    @inline(__always)
    func isNullBit(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        bytes[i >> 3] & (1 << UInt8(i & 7)) != 0
    }

    /// Decodes a whole row; the bytes must be exactly one row.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Row {
        var row: Row = []
        row.reserveCapacity(codecs.count)
        try decode(bytes, appendingTo: &row)
        return row
    }

    /// Decodes a whole row, appending its values to `row` (a caller that adds columns of
    /// its own reserves room for them once, instead of the row growing again).
    public func decode(_ bytes: UnsafeRawBufferPointer, appendingTo row: inout Row) throws {
        try checkBitmap(bytes)
        var r = ByteReader(bytes, position: bitmapBytes)
        for i in 0..<codecs.count {
            if isNullBit(bytes, i) {
                row.append(.null)
            } else {
                row.append(try codecs[i].decode(&r))
            }
        }
        guard r.remaining == 0 else { throw RowCodec.corrupted("\(r.remaining) bytes after the last column", at: r.position) }
    }

    /// Whether column `column` of the encoded row is NULL.
    public func isNull(column: Int, in bytes: UnsafeRawBufferPointer) throws -> Bool {
        precondition(column >= 0 && column < codecs.count, "column index out of range")
        try checkBitmap(bytes)
        return isNullBit(bytes, column)
    }

    /// The value of one column, skipping over the columns before it.
    public func value(at column: Int, in bytes: UnsafeRawBufferPointer) throws -> Value {
        precondition(column >= 0 && column < codecs.count, "column index out of range")
        try checkBitmap(bytes)
        if isNullBit(bytes, column) { return .null }
        var r = ByteReader(bytes, position: bitmapBytes)
        for i in 0..<column where !isNullBit(bytes, i) {
            try codecs[i].skip(&r)
        }
        return try codecs[column].decode(&r)
    }
}
