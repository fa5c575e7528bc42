/// Field-level helpers for COPY's text and CSV formats (PostgreSQL's
/// copyto.c / copyfromparse.c): escaping values on the way out and
/// unescaping / unquoting fields on the way in. Splitting lines into fields
/// belongs to the engine; these work on one field at a time, on raw bytes.
public enum CopyFormat {
    /// `\N`, the text format's NULL.
    public static let textNull: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "N")]

    // MARK: Text format output

    /// Appends a value as a COPY text field: NULL as `\N`, otherwise its
    /// PostgreSQL text output with `\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v` and
    /// the delimiter escaped.
    public static func appendCopyText(_ value: Value, as type: DataType, to buffer: inout [UInt8],
                                      delimiter: UInt8 = UInt8(ascii: "\t")) {
        switch value {
        case .null:
            buffer.append(contentsOf: textNull)
        case .string(let s):
            if let done: Void = s.utf8.withContiguousStorageIfAvailable({
                appendEscapedText(UnsafeRawBufferPointer($0), to: &buffer, delimiter: delimiter)
            }) {
                _ = done
            } else {
                Array(s.utf8).withUnsafeBytes { appendEscapedText($0, to: &buffer, delimiter: delimiter) }
            }
            if case .char(let n) = type {
                let count = s.unicodeScalars.count
                if count < n { for _ in 0..<(n - count) { buffer.append(UInt8(ascii: " ")) } }
            }
        case .bytes(let b):
            // `\x…` with its backslash escaped.
            buffer.append(UInt8(ascii: "\\"))
            Value.appendByteaHex(b, to: &buffer)
        default:
            // Numbers, booleans, dates and intervals never contain characters to escape
            // (unless a digit or letter is the delimiter, which PostgreSQL forbids).
            value.appendPGText(as: type, to: &buffer)
        }
    }

    /// Appends raw text bytes with COPY text escaping.
    public static func appendEscapedText(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8],
                                         delimiter: UInt8 = UInt8(ascii: "\t")) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c >= 0x20 && c != UInt8(ascii: "\\") && c != delimiter {
                i += 1
                continue
            }
            let replacement: UInt8
            switch c {
            case 0x08: replacement = UInt8(ascii: "b")
            case 0x0C: replacement = UInt8(ascii: "f")
            case 0x0A: replacement = UInt8(ascii: "n")
            case 0x0D: replacement = UInt8(ascii: "r")
            case 0x09: replacement = UInt8(ascii: "t")
            case 0x0B: replacement = UInt8(ascii: "v")
            case UInt8(ascii: "\\"): replacement = c
            default:
                if c == delimiter { replacement = c } else { i += 1; continue }
            }
            if runStart < i { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(replacement)
            i += 1
            runStart = i
        }
        if runStart < n { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<n])) }
    }

    // MARK: Text format input

    /// Whether a raw field is the NULL marker `\N`.
    @inline(__always)
    public static func isTextNull(_ field: UnsafeRawBufferPointer) -> Bool {
        field.count == 2 && field[0] == UInt8(ascii: "\\") && field[1] == UInt8(ascii: "N")
    }

    /// Whether a raw field contains a backslash (and so needs `unescapeText`);
    /// most fields do not and can be used in place.
    @inline(__always)
    public static func needsUnescaping(_ field: UnsafeRawBufferPointer) -> Bool {
        guard let base = field.baseAddress, field.count > 0 else { return false }
        return memchrByte(base, UInt8(ascii: "\\"), field.count)
    }

    /// Appends the unescaped bytes of a text-format field: `\b \f \n \r \t \v`,
    /// `\\`, octal `\o`…`\ooo`, hex `\xh`/`\xhh`, and any other escaped byte as
    /// itself (PostgreSQL's CopyReadAttributesText). A trailing lone backslash
    /// is kept as is.
    public static func unescapeText(_ field: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = field.count
        var runStart = 0
        while i < n {
            if field[i] != UInt8(ascii: "\\") { i += 1; continue }
            if runStart < i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: field[runStart..<i])) }
            i += 1
            if i >= n { out.append(UInt8(ascii: "\\")); runStart = n; break }
            let c = field[i]
            i += 1
            switch c {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = Int(c - 48)
                var k = 0
                while k < 2, i < n, field[i] >= 48, field[i] <= 55 { v = v * 8 + Int(field[i] - 48); i += 1; k += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            case UInt8(ascii: "x"):
                if i < n, let h = Value.hexValue(field[i]) {
                    var v = h
                    i += 1
                    if i < n, let h2 = Value.hexValue(field[i]) { v = v << 4 | h2; i += 1 }
                    out.append(v)
                } else {
                    out.append(c)
                }
            default:
                out.append(c)
            }
            runStart = i
        }
        if runStart < n { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: field[runStart..<n])) }
    }

    // MARK: CSV

    /// Appends a value as a CSV field: NULL as nothing, an empty string as `""`,
    /// and any value containing the delimiter, the quote, CR or LF quoted with
    /// inner quotes doubled (and `\.` when it is a row's only column, where it
    /// would read as the end-of-data marker).
    public static func appendCSV(_ value: Value, as type: DataType, to buffer: inout [UInt8],
                                 delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                                 singleColumn: Bool = false) {
        switch value {
        case .null:
            return
        case .string(let s):
            var t = Array(s.utf8)
            if case .char(let n) = type {
                let count = s.unicodeScalars.count
                if count < n { t.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n - count)) }
            }
            t.withUnsafeBytes { appendCSVField($0, to: &buffer, delimiter: delimiter, quote: quote, singleColumn: singleColumn) }
        case .bytes:
            var t: [UInt8] = []
            value.appendPGText(as: type, to: &t)
            t.withUnsafeBytes { appendCSVField($0, to: &buffer, delimiter: delimiter, quote: quote, singleColumn: singleColumn) }
        default:
            let start = buffer.count
            value.appendPGText(as: type, to: &buffer)
            // Only a delimiter or quote chosen among digits/letters could appear; check.
            if buffer[start...].contains(where: { $0 == delimiter || $0 == quote }) {
                let t = Array(buffer[start...])
                buffer.removeSubrange(start...)
                t.withUnsafeBytes { appendCSVField($0, to: &buffer, delimiter: delimiter, quote: quote, singleColumn: singleColumn) }
            }
        }
    }

    /// Appends non-NULL text as a CSV field, quoting when needed (or always).
    public static func appendCSVField(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8],
                                      delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                                      forceQuote: Bool = false, singleColumn: Bool = false) {
        var needsQuote = forceQuote || bytes.isEmpty
        if !needsQuote {
            for c in bytes where c == delimiter || c == quote || c == 0x0A || c == 0x0D {
                needsQuote = true
                break
            }
            if singleColumn && bytes.count == 2 && bytes[0] == UInt8(ascii: "\\") && bytes[1] == UInt8(ascii: ".") { needsQuote = true }
        }
        if !needsQuote {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(quote)
        for c in bytes {
            if c == quote { buffer.append(quote) }
            buffer.append(c)
        }
        buffer.append(quote)
    }

    /// Appends the content of one CSV field as split by the engine: quoted
    /// parts lose their quotes and doubled quotes become one; unquoted parts
    /// are kept as they are. Returns false for a field with an unterminated quote.
    @discardableResult
    public static func unquoteCSV(_ field: UnsafeRawBufferPointer, into out: inout [UInt8],
                                  quote: UInt8 = UInt8(ascii: "\"")) -> Bool {
        var inQuote = false
        var i = 0
        let n = field.count
        while i < n {
            let c = field[i]
            if inQuote {
                if c == quote {
                    if i + 1 < n, field[i + 1] == quote { out.append(quote); i += 2; continue }
                    inQuote = false
                    i += 1
                    continue
                }
                out.append(c)
            } else if c == quote {
                inQuote = true
            } else {
                out.append(c)
            }
            i += 1
        }
        return !inQuote
    }
}

@inline(__always)
func memchrByte(_ p: UnsafeRawPointer, _ byte: UInt8, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if p.load(fromByteOffset: i, as: UInt8.self) == byte { return true }
        i += 1
    }
    return false
}
