import Testing
@testable import FreshetCore

@Suite struct RowCodecTests {
    static let schema = Schema([
        Column(name: "b", type: .boolean), Column(name: "t", type: .tinyint), Column(name: "s", type: .smallint),
        Column(name: "i", type: .integer), Column(name: "l", type: .bigint), Column(name: "r", type: .real),
        Column(name: "d", type: .double), Column(name: "n", type: .decimal(precision: 10, scale: 2)),
        Column(name: "c", type: .char(4)), Column(name: "v", type: .varchar(8)), Column(name: "x", type: .text),
        Column(name: "y", type: .bytea), Column(name: "dt", type: .date), Column(name: "tm", type: .time),
        Column(name: "ts", type: .timestamp), Column(name: "iv", type: .interval),
    ])

    static let rows: [Row] = [
        [.bool(true), .int(-128), .int(32767), .int(-2_147_483_648), .int(.max), .double(1.5), .double(-0.1),
         .decimal(Decimal(mantissa: -12345, scale: 2)), .string("ab  "), .string("héllo"), .string(""),
         .bytes([0, 255, 10]), .date(-719_162), .time(86_400_000_000), .timestamp(-1),
         .interval(Interval(months: -14, days: 3, microseconds: -1))],
        [.bool(false), .int(127), .int(-32768), .int(2_147_483_647), .int(.min), .double(.infinity), .double(.nan),
         .decimal(Decimal(mantissa: Decimal.maxMantissa, scale: 30)), .string("日本語x"), .string(String(repeating: "z", count: 8)),
         .string(String(repeating: "long text ", count: 100)), .bytes([]), .date(Int32.max), .time(0), .timestamp(Timestamp.infinity),
         .interval(Interval(months: .min, days: .max, microseconds: .min))],
        Array(repeating: .null, count: 16),
        [.null, .int(0), .null, .int(0), .null, .double(0), .null, .decimal(.zero), .null, .string("x"), .null,
         .bytes(Array(0...255)), .null, .time(1), .null, .interval(Interval())],
    ]

    static func encode(_ row: Row) -> [UInt8] {
        var b: [UInt8] = []
        RowCodec.encode(row, schema: schema, into: &b)
        return b
    }

    /// Values equal field by field (NaN equal to NaN; intervals identical, not just equal).
    static func same(_ a: Row, _ b: Row) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case let (.double(p), .double(q)): if !(p == q || (p.isNaN && q.isNaN)) { return false }
            case let (.interval(p), .interval(q)): if !p.isIdentical(to: q) { return false }
            case let (.decimal(p), .decimal(q)): if p.mantissa != q.mantissa || p.scale != q.scale { return false }
            default: if x != y { return false }
            }
        }
        return true
    }

    @Test(arguments: 0..<rows.count)
    func roundTripsEveryType(_ index: Int) throws {
        let row = Self.rows[index]
        let bytes = Self.encode(row)
        let back = try bytes.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) }
        #expect(Self.same(back, row))
        // One column at a time gives the same values.
        let decoder = RowDecoder(schema: Self.schema)
        for c in 0..<Self.schema.count {
            let v = try bytes.withUnsafeBytes { try decoder.value(at: c, in: $0) }
            #expect(Self.same([v], [row[c]]), "column \(c)")
            #expect(try bytes.withUnsafeBytes { try decoder.isNull(column: c, in: $0) } == row[c].isNull)
        }
    }

    @Test func layoutIsCompact() {
        let s = Schema([Column(name: "a", type: .integer), Column(name: "b", type: .varchar(nil)), Column(name: "c", type: .bigint)])
        var b: [UInt8] = []
        RowCodec.encode([.int(1), .string("hi"), .null], schema: s, into: &b)
        // bitmap (c is NULL: bit 2), int32 LE 1, varint 2, "hi"
        #expect(b == [0b100, 1, 0, 0, 0, 2, UInt8(ascii: "h"), UInt8(ascii: "i")])
    }

    @Test func truncatedRowsAreRejectedAtEveryLength() throws {
        for row in Self.rows {
            let bytes = Self.encode(row)
            for n in 0..<bytes.count {
                let cut = Array(bytes[0..<n])
                #expect(throws: FreshetError.self, "cut at \(n)") {
                    try cut.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) }
                }
            }
            // Trailing garbage is corruption too.
            let longer = bytes + [0]
            #expect(throws: FreshetError.self) { try longer.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) } }
        }
    }

    @Test func flippedBytesNeverCrash() {
        // Every byte of every row set to a few values; decoding must return or throw XX001, never trap.
        var decodedOK = 0, rejected = 0
        for row in Self.rows {
            let bytes = Self.encode(row)
            for i in bytes.indices {
                for value: UInt8 in [0x00, 0xFF, 0x80, 0x7F, bytes[i] ^ 0x01, bytes[i] ^ 0x40] {
                    var garbled = bytes
                    garbled[i] = value
                    do {
                        _ = try garbled.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) }
                        for c in 0..<Self.schema.count {
                            _ = try? garbled.withUnsafeBytes { try RowCodec.decodeColumn($0, schema: Self.schema, column: c) }
                        }
                        decodedOK += 1
                    } catch let e as FreshetError {
                        #expect(e.state == .dataCorrupted)
                        rejected += 1
                    } catch {
                        Issue.record("unexpected error \(error)")
                    }
                }
            }
        }
        #expect(rejected > 0 && decodedOK > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let n = Int.random(in: 0..<64, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? bytes.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) }
        }
    }

    @Test func specificCorruptionMessages() {
        let s = Schema([Column(name: "a", type: .boolean), Column(name: "b", type: .text)])
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try bytes.withUnsafeBytes { try RowCodec.decode($0, schema: s) }; return "ok" } catch let e as FreshetError {
                return "\(e.state.code) \(e.message)"
            } catch { return "\(error)" }
        }
        #expect(message([0, 2, 0]) == "XX001 corrupted row: boolean byte 2 at byte 1")
        #expect(message([0, 1, 5, 65]) == "XX001 corrupted row: length 5 beyond the row at byte 2")
        #expect(message([0b100, 1, 0]) == "XX001 corrupted row: null bitmap has bits beyond the last column at byte 0")
        #expect(message([0, 1, 2, 0xC3, 0x28]) == "XX001 corrupted row: invalid UTF-8 text at byte 2")
        #expect(message([0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) == "XX001 corrupted row: overlong length at byte 11")
        #expect(message([0, 1, 0]) == "ok")
    }

    @Test func encodeCheckedRejectsMismatches() {
        let s = Schema([Column(name: "a", type: .tinyint), Column(name: "b", type: .date)])
        var b: [UInt8] = [42]
        #expect(throws: FreshetError.self) { try RowCodec.encodeChecked([.int(300), .null], schema: s, into: &b) }
        #expect(throws: FreshetError.self) { try RowCodec.encodeChecked([.int(1), .string("x")], schema: s, into: &b) }
        #expect(throws: FreshetError.self) { try RowCodec.encodeChecked([.int(1)], schema: s, into: &b) }
        #expect(b == [42])   // untouched after errors
        // Conversions that are allowed: int into double/decimal, date into timestamp.
        let t = Schema([Column(name: "d", type: .double), Column(name: "n", type: .decimal(precision: nil, scale: nil)), Column(name: "ts", type: .timestamp)])
        var c: [UInt8] = []
        RowCodec.encode([.int(2), .int(3), .date(1)], schema: t, into: &c)
        let back = try? c.withUnsafeBytes { try RowCodec.decode($0, schema: t) }
        #expect(back == [.double(2), .decimal(Decimal(3)), .timestamp(86_400_000_000)])
    }

    // MARK: RowEncoder

    @Test func encoderMatchesRowCodec() throws {
        var enc = RowEncoder(schema: Self.schema)
        for row in Self.rows {
            var viaEncoder: [UInt8] = []
            for v in row { try enc.appendValue(v) }
            enc.finish(into: &viaEncoder)
            #expect(viaEncoder == Self.encode(row))
        }
    }

    @Test func encoderParsesTextFields() throws {
        let fields = ["t", "-128", "32767", " 42 ", "9223372036854775807", "1.5", "1e20", "12.345", "ab", "héllo", "text",
                      "\\x00ff", "2026-01-31", "12:34:56.5", "2026-01-31 12:34:56.123456", "1 day 02:00:00"]
        var enc = RowEncoder(schema: Self.schema)
        for f in fields {
            var bytes = Array(f.utf8)
            try bytes.withUnsafeMutableBytes { try enc.appendParsing(pgText: UnsafeRawBufferPointer($0)) }
        }
        var out: [UInt8] = []
        enc.finish(into: &out)
        let row = try out.withUnsafeBytes { try RowCodec.decode($0, schema: Self.schema) }
        let text = zip(row, Self.schema.columns).map { $0.0.pgText(as: $0.1.type) }
        #expect(text == ["t", "-128", "32767", "42", "9223372036854775807", "1.5", "1e+20", "12.35", "ab  ", "héllo", "text",
                         "\\x00ff", "2026-01-31", "12:34:56.5", "2026-01-31 12:34:56.123456", "1 day 02:00:00"])
    }

    @Test func encoderChecksTypesAndLengths() throws {
        let s = Schema([Column(name: "v", type: .varchar(3)), Column(name: "c", type: .char(2)), Column(name: "t", type: .tinyint)])
        var enc = RowEncoder(schema: s)
        func text(_ t: String) throws { try Array(t.utf8).withUnsafeBytes { try enc.appendText(bytes: $0) } }
        #expect(throws: FreshetError.self) { try text("abcd") }       // 22001
        enc.reset()
        try text("abc   ")                                              // excess spaces are cut
        try text("x")                                                   // char(2) pads
        #expect(throws: FreshetError.self) { try enc.appendInt64(128) } // tinyint range
        try enc.appendInt64(-128)
        var out: [UInt8] = []
        enc.finish(into: &out)
        #expect(try out.withUnsafeBytes { try RowCodec.decode($0, schema: s) } == [.string("abc"), .string("x "), .int(-128)])
        do {
            try Array("ab\u{0}".utf8).withUnsafeBytes { try enc.appendText(bytes: $0) }
            Issue.record("NUL accepted")
        } catch let e as FreshetError {
            #expect(e.state == .characterNotInRepertoire)
        }
        enc.reset()
        do {
            try Array("abcd".utf8).withUnsafeBytes { try enc.appendText(bytes: $0) }
        } catch let e as FreshetError {
            #expect(e.message == "value too long for type character varying(3)")
            #expect(e.state == .stringDataRightTruncation)
        }
    }
}
