/// Builds encoded rows (RowCodec's layout) column by column without building
/// `Value`s — the COPY FROM path parses each text field straight into the
/// row bytes. The scratch buffers are reused from row to row, so a warmed-up
/// encoder allocates nothing per row.
///
///     var enc = RowEncoder(schema: schema)
///     for fields in lines {
///         for f in fields { try f.isNull ? enc.appendNull() : enc.appendParsing(pgText: f) }
///         enc.finish(into: &out)
///     }
///
/// Each `append…` fills the next column and checks the value against its
/// type (range for narrow integers, DECIMAL(p,s), VARCHAR(n)/CHAR(n) length,
/// UTF-8 validity). After an error, call `reset()` to drop the partial row.
public struct RowEncoder: Sendable {
    public let schema: Schema
    let codecs: [ColumnCodec]
    var bitmap: [UInt8]
    var body: [UInt8]
    /// Index of the column the next `append…` fills.
    public private(set) var column = 0

    public init(schema: Schema) {
        self.schema = schema
        self.codecs = schema.columns.map { ColumnCodec($0.type) }
        self.bitmap = [UInt8](repeating: 0, count: (schema.count + 7) / 8)
        self.body = []
        body.reserveCapacity(64 + schema.count * 8)
    }

    /// The type of the column the next `append…` fills.
    public var currentType: DataType { schema.columns[column].type }

    /// Drops a partially built row.
    public mutating func reset() {
        for i in bitmap.indices { bitmap[i] = 0 }
        body.removeAll(keepingCapacity: true)
        column = 0
    }

    /// Appends the finished row to `out` and starts the next one. Every column
    /// must have been filled.
    public mutating func finish(into out: inout [UInt8]) {
        precondition(column == codecs.count, "RowEncoder.finish: \(column) of \(codecs.count) columns filled")
        out.append(contentsOf: bitmap)
        out.append(contentsOf: body)
        reset()
    }

    @inline(__always)
    mutating func next(_ expected: ColumnCodec.Kind...) throws -> ColumnCodec {
        precondition(column < codecs.count, "RowEncoder: more values than columns")
        let c = codecs[column]
        guard expected.contains(c.kind) else {
            throw FreshetError(.datatypeMismatch, "column \(column + 1) is of type \(c.type.sqlName)")
        }
        return c
    }

    public mutating func appendNull() {
        precondition(column < codecs.count, "RowEncoder: more values than columns")
        bitmap[column >> 3] |= 1 << UInt8(column & 7)
        column += 1
    }

    public mutating func appendBool(_ v: Bool) throws {
        _ = try next(.bool)
        body.append(v ? 1 : 0)
        column += 1
    }

    /// Any integer or numeric column; narrow integer columns check their range (22003).
    public mutating func appendInt64(_ v: Int64) throws {
        let c = codecs[column]
        switch c.kind {
        case .int8:
            guard let n = Int8(exactly: v) else { throw SQLArithmetic.outOfRange(c.type) }
            body.append(UInt8(bitPattern: n))
        case .int16:
            guard let n = Int16(exactly: v) else { throw SQLArithmetic.outOfRange(c.type) }
            appendLE(UInt16(bitPattern: n), to: &body)
        case .int32:
            guard let n = Int32(exactly: v) else { throw SQLArithmetic.outOfRange(c.type) }
            appendLE(UInt32(bitPattern: n), to: &body)
        case .int64: appendLE(UInt64(bitPattern: v), to: &body)
        case .float32: appendLE(Float(v).bitPattern, to: &body)
        case .float64: appendLE(Double(v).bitPattern, to: &body)
        case .decimal:
            if case let .decimal(p, s) = c.type {
                ColumnCodec.appendDecimal(try Decimal(v).coerced(precision: p, scale: s), to: &body)
            }
        default: _ = try next(.int64)
        }
        column += 1
    }

    /// A REAL or DOUBLE column.
    public mutating func appendDouble(_ v: Double) throws {
        let c = try next(.float32, .float64)
        if c.kind == .float32 {
            let f = Float(v)
            if f.isInfinite && !v.isInfinite {
                throw FreshetError(.numericValueOutOfRange, "value out of range: overflow")
            }
            appendLE(f.bitPattern, to: &body)
        } else {
            appendLE(v.bitPattern, to: &body)
        }
        column += 1
    }

    /// A DECIMAL column; the value is fitted to DECIMAL(p, s).
    public mutating func appendDecimal(_ v: Decimal) throws {
        let c = try next(.decimal)
        if case let .decimal(p, s) = c.type {
            ColumnCodec.appendDecimal(try v.coerced(precision: p, scale: s), to: &body)
        }
        column += 1
    }

    /// A CHAR(n), VARCHAR(n) or TEXT column from UTF-8 bytes, checked as
    /// PostgreSQL checks input: valid UTF-8, at most n characters (extra
    /// trailing spaces are cut, anything else is 22001), CHAR padded to n.
    public mutating func appendText(bytes: UnsafeRawBufferPointer) throws {
        let c = try next(.string, .bytes)
        if c.kind == .bytes {
            appendVarint(UInt64(bytes.count), to: &body)
            body.append(contentsOf: bytes)
            column += 1
            return
        }
        guard let count = UTF8Check.characterCount(bytes) else {
            throw FreshetError(.characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
        }
        var text = bytes
        var pad = 0
        switch c.type {
        case .varchar(let n?), .char(let n):
            if count > n {
                let cut = UTF8Check.offset(afterCharacters: n, in: bytes)
                for k in cut..<bytes.count where bytes[k] != UInt8(ascii: " ") {
                    throw FreshetError(.stringDataRightTruncation, "value too long for type \(c.type.sqlName)")
                }
                text = UnsafeRawBufferPointer(rebasing: bytes[..<cut])
            } else if case .char = c.type {
                pad = n - count
            }
        default: break
        }
        appendVarint(UInt64(text.count + pad), to: &body)
        body.append(contentsOf: text)
        for _ in 0..<pad { body.append(UInt8(ascii: " ")) }
        column += 1
    }

    /// A BYTEA column.
    public mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) throws {
        _ = try next(.bytes)
        appendVarint(UInt64(bytes.count), to: &body)
        body.append(contentsOf: bytes)
        column += 1
    }

    public mutating func appendDate(_ days: Int32) throws {
        let c = try next(.date, .timestamp)
        if c.kind == .date { appendLE(UInt32(bitPattern: days), to: &body) } else {
            appendLE(UInt64(bitPattern: Value.timestamp(ofDate: days)), to: &body)
        }
        column += 1
    }

    public mutating func appendTime(_ micros: Int64) throws {
        _ = try next(.time)
        guard micros >= 0, micros <= Calendar.microsecondsPerDay else {
            throw FreshetError(.datetimeFieldOverflow, "time out of range")
        }
        appendLE(UInt64(bitPattern: micros), to: &body)
        column += 1
    }

    public mutating func appendTimestamp(_ micros: Int64) throws {
        _ = try next(.timestamp)
        appendLE(UInt64(bitPattern: micros), to: &body)
        column += 1
    }

    public mutating func appendInterval(_ v: Interval) throws {
        _ = try next(.interval)
        appendLE(UInt32(bitPattern: v.months), to: &body)
        appendLE(UInt32(bitPattern: v.days), to: &body)
        appendLE(UInt64(bitPattern: v.microseconds), to: &body)
        column += 1
    }

    /// Any value (NULL included), converted as RowCodec.encode converts.
    public mutating func appendValue(_ v: Value) throws {
        precondition(column < codecs.count, "RowEncoder: more values than columns")
        if v.isNull { appendNull(); return }
        try codecs[column].encode(v, column: column, into: &body)
        column += 1
    }

    /// Parses PostgreSQL text input for the current column's type straight into
    /// the row (the COPY FROM text path). Errors are those of `Value.parse(pgText:as:)`.
    public mutating func appendParsing(pgText bytes: UnsafeRawBufferPointer) throws {
        precondition(column < codecs.count, "RowEncoder: more values than columns")
        let c = codecs[column]
        switch c.kind {
        case .int8, .int16, .int32, .int64:
            let r = SQLArithmetic.range(of: c.type)
            try appendInt64(try Value.parseInt(bytes, type: c.type, min: r.lowerBound, max: r.upperBound))
        case .string:
            try appendText(bytes: bytes)
        case .float64:
            try appendDouble(try Value.parseDouble(bytes))
        case .bool:
            try appendBool(try Value.parseBool(bytes))
        case .timestamp:
            if let t = DateTimeText.fastTimestamp(bytes) {
                appendLE(UInt64(bitPattern: t), to: &body)
                column += 1
            } else {
                try appendValue(try Value.parse(pgTextBytes: bytes, as: c.type))
            }
        case .decimal:
            switch Decimal.parse(bytes) {
            case .value(let d): try appendDecimal(d)
            default: try appendValue(try Value.parse(pgTextBytes: bytes, as: c.type))   // raises the right error
            }
        default:
            try appendValue(try Value.parse(pgTextBytes: bytes, as: c.type))
        }
    }
}
