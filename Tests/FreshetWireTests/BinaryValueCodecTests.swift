import FreshetCore
import NIOCore
import Testing
@testable import FreshetWire

@Suite("BinaryValueCodec")
struct BinaryValueCodecTests {
    func encode(_ v: Value, _ t: DataType) throws -> [UInt8] {
        var b = ByteBuffer()
        try BinaryValueCodec.encode(v, as: t, into: &b)
        return Array(b.readableBytesView)
    }

    func roundTrip(_ v: Value, _ t: DataType) throws -> Value {
        var b = ByteBuffer()
        try BinaryValueCodec.encode(v, as: t, into: &b)
        return try BinaryValueCodec.decode(b, as: t)
    }

    @Test func fixedWidthTypes() throws {
        #expect(try encode(.bool(true), .boolean) == [1])
        #expect(try encode(.int(-2), .smallint) == [0xFF, 0xFE])
        #expect(try encode(.int(258), .integer) == [0, 0, 1, 2])
        #expect(try encode(.int(1), .bigint) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try encode(.double(1.5), .real) == [0x3F, 0xC0, 0, 0])
        #expect(try encode(.double(-2), .double) == [0xC0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: FreshetError.self) { try encode(.int(70000), .smallint) }
        for (v, t) in [(Value.bool(false), DataType.boolean), (.int(-32768), .smallint), (.int(Int64(Int32.max)), .integer),
                       (.int(.min), .bigint), (.double(0.25), .real), (.double(-1e300), .double),
                       (.string("naïve ☃"), .text), (.string("ab"), .char(2)), (.bytes([0, 255, 7]), .bytea),
                       (.time(86_399_999_999), .time)] {
            #expect(try roundTrip(v, t) == v)
        }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(ByteBuffer(bytes: [0, 1, 2]), as: .integer) }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(ByteBuffer(bytes: [0xFF]), as: .text) }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(ByteBuffer(bytes: [0, 200]), as: .tinyint) }
    }

    @Test func timestampAndDateShiftTheEpoch() throws {
        // 2000-01-01 00:00:00 is 946684800 s after 1970 and 0 on the wire.
        #expect(try encode(.timestamp(946_684_800_000_000), .timestamp) == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try encode(.timestamp(0), .timestamp) == Array(withUnsafeBytes(of: Int64(-946_684_800_000_000).bigEndian, Array.init)))
        #expect(try BinaryValueCodec.decode(ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 1]), as: .timestamp) == .timestamp(946_684_800_000_001))
        #expect(try encode(.date(10_957), .date) == [0, 0, 0, 0])
        #expect(try BinaryValueCodec.decode(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]), as: .date) == .date(10_956))
        // ±infinity pass through unchanged.
        #expect(try roundTrip(.timestamp(.max), .timestamp) == .timestamp(.max))
        #expect(try roundTrip(.timestamp(.min), .timestamp) == .timestamp(.min))
        #expect(try roundTrip(.timestamp(1_700_000_000_123_456), .timestamp) == .timestamp(1_700_000_000_123_456))
    }

    @Test func interval() throws {
        let iv = Interval(months: 14, days: -3, microseconds: 3_600_000_001)
        #expect(try encode(.interval(iv), .interval)
                == [0, 0, 0, 0, 0xD6, 0x93, 0xA4, 0x01, 0xFF, 0xFF, 0xFF, 0xFD, 0, 0, 0, 14])
        #expect(try roundTrip(.interval(iv), .interval) == .interval(iv))
    }

    func numeric(_ mantissa: Int128, _ scale: Int) throws -> [Int16] {
        var b = ByteBuffer()
        BinaryValueCodec.writeNumeric(Decimal(mantissa: mantissa, scale: scale), into: &b)
        var out: [Int16] = []
        while let v = b.readInteger(as: Int16.self) { out.append(v) }
        return out
    }

    @Test func numericWireForm() throws {
        // [ndigits, weight, sign, dscale, digits…], as PostgreSQL's numeric_send writes them.
        #expect(try numeric(0, 0) == [0, 0, 0, 0])
        #expect(try numeric(0, 2) == [0, 0, 0, 2])
        #expect(try numeric(1, 4) == [1, -1, 0, 4, 1])                                  // 0.0001
        #expect(try numeric(-15, 1) == [2, 0, 0x4000, 1, 1, 5000])                      // -1.5
        #expect(try numeric(1_000_000, 0) == [1, 1, 0, 0, 100])                         // 1000000
        #expect(try numeric(150, 2) == [2, 0, 0, 2, 1, 5000])                             // 1.50 keeps dscale 2
        #expect(try numeric(12_345_678_901_234_567_890_123, 3)
                == [6, 4, 0, 3, 1234, 5678, 9012, 3456, 7890, 1230])                    // 12345678901234567890.123
        #expect(try numeric(5, -3) == [1, 0, 0, 0, 5000])                               // 5000, negative scale
    }

    @Test func numericRoundTripsKeepScale() throws {
        let cases: [(Int128, Int)] = [(0, 0), (0, 3), (-1, 0), (1, 4), (-1, 4), (150, 2), (12_345_678_901_234_567_890_123, 3),
                                      (Int128.max / 10, 0), (-(Int128.max / 10), 10), (99_999_999, 8), (10_000, 0)]
        for (m, s) in cases {
            #expect(try roundTrip(.decimal(Decimal(mantissa: m, scale: s)), .decimal(precision: nil, scale: nil))
                    == .decimal(Decimal(mantissa: m, scale: s)))
        }
    }

    @Test func numericDecodeEdgeCases() throws {
        func wire(_ words: [Int16]) -> ByteBuffer {
            var b = ByteBuffer()
            for w in words { b.writeInteger(w) }
            return b
        }
        let t = DataType.decimal(precision: nil, scale: nil)
        // Digits below dscale are truncated (numeric_recv does the same).
        #expect(try BinaryValueCodec.decode(wire([1, -1, 0, 2, 1234]), as: t) == .decimal(Decimal(mantissa: 12, scale: 2)))
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(wire([1, 0, 0, 0, 10_000]), as: t) }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(wire([0, 0, Int16(bitPattern: 0xC000), 0]), as: t) }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(wire([2, 0, 0, 0, 1]), as: t) }
        #expect(throws: FreshetError.self) { try BinaryValueCodec.decode(wire([1, 12, 0, 0, 1]), as: t) } // 10^48
    }
}
