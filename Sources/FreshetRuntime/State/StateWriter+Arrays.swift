/// Arrays of fixed-width numbers in one piece (a count, then the elements
/// little-endian, Doubles by bit pattern): the analytic models (random cut trees,
/// samplers, the HOTSPOTS window) are flat arrays of thousands of numbers, copied
/// here with one memcpy on little-endian machines instead of a call per element.
extension StateWriter {
    public mutating func doubles(_ a: [Double]) { u32(UInt32(a.count)); raw(a) }
    public mutating func int32s(_ a: [Int32]) { u32(UInt32(a.count)); raw(a) }
    public mutating func int64s(_ a: [Int64]) { u32(UInt32(a.count)); raw(a) }

    private mutating func raw<T: FixedWidthInteger>(_ a: [T]) {
        #if _endian(little)
        a.withUnsafeBytes { appendRaw($0) }
        #else
        for x in a { withUnsafeBytes(of: x.littleEndian) { appendRaw($0) } }
        #endif
    }

    private mutating func raw(_ a: [Double]) {
        #if _endian(little)
        a.withUnsafeBytes { appendRaw($0) }
        #else
        for x in a { u64(x.bitPattern) }
        #endif
    }
}

extension StateReader {
    public mutating func doubles() throws -> [Double] {
        #if _endian(little)
        return try raw(Double.self, zero: 0)
        #else
        return try (0..<count(8)).map { _ in try double() }
        #endif
    }
    public mutating func int32s() throws -> [Int32] {
        #if _endian(little)
        return try raw(Int32.self, zero: 0)
        #else
        return try (0..<count(4)).map { _ in Int32(bitPattern: try u32()) }
        #endif
    }
    public mutating func int64s() throws -> [Int64] {
        #if _endian(little)
        return try raw(Int64.self, zero: 0)
        #else
        return try (0..<count(8)).map { _ in try i64() }
        #endif
    }

    /// An element count whose elements (`width` bytes each) fit in what is left.
    private mutating func count(_ width: Int) throws -> Int {
        let n = Int(try u32())
        guard n <= (bytes.count - at) / width else { throw corrupt() }
        return n
    }

    private mutating func raw<T>(_: T.Type, zero: T) throws -> [T] {
        let n = try count(MemoryLayout<T>.stride)
        let slice = try take(n * MemoryLayout<T>.stride)
        var out = [T](repeating: zero, count: n)
        out.withUnsafeMutableBytes { dst in slice.withUnsafeBytes { dst.copyMemory(from: $0) } }
        return out
    }
}
