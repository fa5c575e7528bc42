/// Finds where COPY FROM records end in a byte stream that arrives in pieces, so
/// that the stream can be cut into chunks of whole records and each chunk parsed
/// on its own thread (CopyInReceiver). A record ends at a newline (LF) — in CSV,
/// one outside double quotes: a quoted field may span lines (PostgreSQL's
/// CopyReadLineText). Every quote byte toggles the quoted state, as the engine's
/// line splitter does, so both agree on where a record ends. A CR before the LF
/// stays part of the record (the parser drops it).
///
/// Scans 8 bytes at a time and looks at single bytes only in words that hold a
/// newline or a quote: about one word in twelve for ~100-byte rows.
public struct CopyRecordScanner: Sendable {
    /// The CSV quote byte; nil for the text format (no quoting).
    public let quote: UInt8?
    /// Whether the bytes scanned so far end inside a quoted field.
    public private(set) var inQuotes = false

    public init(csvQuote: UInt8?) {
        quote = csvQuote
    }

    /// Scan `bytes`, which continue the bytes of earlier calls. Returns the offset in
    /// `bytes` just after the last record end found there (0 when none) and how many
    /// records ended in `bytes`.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer) -> (lastEnd: Int, records: Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        let n = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let nlPattern = ones &* 0x0A
        let q = quote ?? 0x0A
        let qPattern = ones &* UInt64(q)
        var lastEnd = 0
        var records = 0
        var quoted = inQuotes
        var i = 0
        while i + 8 <= n {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if CopyRecordScanner.hasZeroByte(w ^ nlPattern) == 0 && CopyRecordScanner.hasZeroByte(w ^ qPattern) == 0 {
                i += 8
                continue
            }
            for j in i..<(i + 8) {
                let b = base.load(fromByteOffset: j, as: UInt8.self)
                if b == q && quote != nil { quoted.toggle() } else if b == 0x0A && !quoted { lastEnd = j + 1; records += 1 }
            }
            i += 8
        }
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == q && quote != nil { quoted.toggle() } else if b == 0x0A && !quoted { lastEnd = i + 1; records += 1 }
            i += 1
        }
        inQuotes = quoted
        return (lastEnd, records)
    }

    /// Non-zero when some byte of `x` is zero (the classic SWAR test; exact for "any").
    @inline(__always)
    static func hasZeroByte(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
}
