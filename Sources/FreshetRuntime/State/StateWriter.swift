import FreshetCore

/// Operator state as bytes (a pump's checkpoint): little-endian integers, Doubles by
/// their bit pattern (restored bit-exact, so a restored window computes exactly what
/// the original would have), and self-describing Values (a tag byte, then the value).
/// Not a hot path: it runs once per checkpoint, over the open windows only.
public struct StateWriter {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    public mutating func int(_ v: Int) { i64(Int64(v)) }
    public mutating func i128(_ v: Int128) {
        u64(UInt64(truncatingIfNeeded: v))
        u64(UInt64(truncatingIfNeeded: v >> 64))
    }
    public mutating func double(_ v: Double) { u64(v.bitPattern) }
    public mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    /// Raw bytes as they are (the caller wrote their length).
    mutating func appendRaw(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }
    public mutating func blob(_ b: [UInt8]) { u32(UInt32(b.count)); bytes.append(contentsOf: b) }
    /// Like `blob(Array(s.utf8))`, without the array.
    public mutating func string(_ s: String) {
        let utf8 = s.utf8
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    /// Room for `n` more bytes (a writer of many groups asks once, not per growth).
    public mutating func reserve(_ n: Int) { bytes.reserveCapacity(bytes.count + n) }
    public mutating func decimal(_ d: Decimal) { i128(d.mantissa); int(d.scale) }
    public mutating func interval(_ i: Interval) { u32(UInt32(bitPattern: i.months)); u32(UInt32(bitPattern: i.days)); i64(i.microseconds) }

    public mutating func value(_ v: Value) {
        switch v {
        case .null: u8(0)
        case .bool(let b): u8(1); bool(b)
        case .int(let i): u8(2); i64(i)
        case .double(let d): u8(3); double(d)
        case .decimal(let d): u8(4); decimal(d)
        case .string(let s): u8(5); string(s)
        case .bytes(let b): u8(6); blob(b)
        case .timestamp(let t): u8(7); i64(t)
        case .date(let d): u8(8); u32(UInt32(bitPattern: d))
        case .time(let t): u8(9); i64(t)
        case .interval(let i): u8(10); interval(i)
        }
    }

    public mutating func values(_ vs: [Value]) {
        u32(UInt32(vs.count))
        for v in vs { value(v) }
    }
}

/// Reads what a StateWriter wrote; any inconsistency throws XX001 (the checkpoint is corrupt).
public struct StateReader {
    let bytes: [UInt8]
    var at = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { at == bytes.count }

    public func corrupt() -> FreshetError { FreshetError(.dataCorrupted, "a pump checkpoint's operator state cannot be read (truncated or of another version)") }

    public mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, at + n <= bytes.count else { throw corrupt() }
        defer { at += n }
        return bytes[at..<(at + n)]
    }
    public mutating func u8() throws -> UInt8 { try take(1).first! }
    public mutating func u32() throws -> UInt32 {
        var v: UInt32 = 0
        for (i, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * i) }
        return v
    }
    public mutating func u64() throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * i) }
        return v
    }
    public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    public mutating func int() throws -> Int { Int(try i64()) }
    public mutating func i128() throws -> Int128 {
        let lo = try u64(), hi = try u64()
        return Int128(Int64(bitPattern: hi)) << 64 | Int128(lo)
    }
    public mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    public mutating func bool() throws -> Bool { try u8() != 0 }
    public mutating func blob() throws -> [UInt8] { Array(try take(Int(try u32()))) }
    public mutating func string() throws -> String { String(decoding: try blob(), as: UTF8.self) }
    public mutating func decimal() throws -> Decimal { Decimal(mantissa: try i128(), scale: try int()) }
    public mutating func interval() throws -> Interval {
        Interval(months: Int32(bitPattern: try u32()), days: Int32(bitPattern: try u32()), microseconds: try i64())
    }

    public mutating func value() throws -> Value {
        switch try u8() {
        case 0: return .null
        case 1: return .bool(try bool())
        case 2: return .int(try i64())
        case 3: return .double(try double())
        case 4: return .decimal(try decimal())
        case 5: return .string(try string())
        case 6: return .bytes(try blob())
        case 7: return .timestamp(try i64())
        case 8: return .date(Int32(bitPattern: try u32()))
        case 9: return .time(try i64())
        case 10: return .interval(try interval())
        default: throw corrupt()
        }
    }

    public mutating func values() throws -> [Value] {
        let n = Int(try u32())
        guard n <= bytes.count - at else { throw corrupt() }
        var out: [Value] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try value()) }
        return out
    }
}
