import FreshetCore
import FreshetPlanner
import FreshetStreams

/// The per-line work of COPY FROM, one per chunk of whole records (run on a
/// parse thread by `CopyInReceiver`), or for the COPY's last chunk: all hot-path
/// state is in a local struct, so Swift checks exclusive access statically instead of at run time
/// on every field (which cost ~14% of the COPY profile as class properties).
struct CopyRowParser {
    let plan: CopyFromPlan
    let columnCount: Int
    var lineNumber = 0
    var rowCount = 0
    var sawEndMarker = false
    var builder: StreamBatchBuilder
    var encoder: RowEncoder
    let schema: Schema
    /// For each user column, the input field that fills it (-1: NULL).
    let fieldOfColumn: [Int]
    let keyColumn: Int?
    /// The key column's text is its input bytes (TEXT/VARCHAR): no conversion needed for routing.
    let keyIsText: Bool
    let nullMarker: [UInt8]
    let csv: Bool
    let delimiter: UInt8, quote: UInt8, escape: UInt8

    // Per-line scratch, reused.
    var starts: [Int] = []
    var ends: [Int] = []
    var flags: [UInt8] = []          // bit 0: needs unescaping, bit 1: quoted (CSV), bit 2: text after the closing quote
    var unescaped: [[UInt8]] = []

    init(plan: CopyFromPlan, keyName: String?, store: StreamStore, reservingBytesPerShard: Int = 0) {
        self.plan = plan
        columnCount = plan.fieldColumns.count
        let userCount = plan.target.userColumnCount
        let userSchema = Schema(Array(plan.target.columns.prefix(userCount)))
        schema = userSchema
        encoder = RowEncoder(schema: userSchema)
        builder = StreamBatchBuilder(store: store, reservingBytesPerShard: reservingBytesPerShard)
        var map = [Int](repeating: -1, count: userCount)
        for (field, col) in plan.fieldColumns.enumerated() { map[col] = field }
        fieldOfColumn = map
        let key = keyName.flatMap { n in userSchema.columns.firstIndex { $0.name == n } }
        keyColumn = key
        if let k = key, case .varchar = userSchema.columns[k].type { keyIsText = true } else { keyIsText = false }
        nullMarker = Array(plan.format.null.utf8)
        csv = plan.format.format == .csv
        delimiter = plan.format.delimiter
        quote = plan.format.quote
        escape = plan.format.escape
        unescaped = Array(repeating: [], count: plan.fieldColumns.count + 1)
    }

    /// Split a buffer into lines and process each; returns the bytes consumed
    /// (an incomplete last line is left for the next chunk).
    mutating func process(_ buf: UnsafeRawBufferPointer) throws -> Int {
        var start = 0
        var i = 0
        var inQuotes = false
        let n = buf.count
        while i < n {
            let b = buf[i]
            if csv && b == quote { inQuotes.toggle() }
            if b == 0x0A && !inQuotes {
                var end = i
                if end > start && buf[end - 1] == 0x0D { end -= 1 }
                try line(UnsafeRawBufferPointer(rebasing: buf[start..<end]))
                start = i + 1
                if sawEndMarker { break }
            }
            i += 1
        }
        return start
    }

    // MARK: lines and fields

    func context(_ field: Int?, _ raw: UnsafeRawBufferPointer?) -> String {
        var s = "COPY \(plan.target.name), line \(lineNumber)"
        if let field { s += ", column \(plan.target.columns[plan.fieldColumns[field]].name)" }
        if let raw { s += ": \"\(String(decoding: raw, as: UTF8.self))\"" }
        return s + ". No row of this COPY was stored."
    }

    /// Split one line into field ranges; returns the number of fields.
    mutating func split(_ line: UnsafeRawBufferPointer) throws -> Int {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        if !csv {
            var s = 0
            var f: UInt8 = 0
            while i < n {
                let b = line[i]
                if b == 0x5C { f |= 1; i += 2; continue }
                if b == delimiter {
                    starts.append(s); ends.append(i); flags.append(f)
                    s = i + 1; f = 0
                }
                i += 1
            }
            starts.append(s); ends.append(min(n, max(s, n))); flags.append(f)
            return starts.count
        }
        while true {
            if i < n && line[i] == quote {
                // Quoted field: up to the closing quote; doubled quotes (or escape+quote) inside.
                var j = i + 1
                var f: UInt8 = 2
                while true {
                    guard j < n else {
                        throw FreshetError(.badCopyFileFormat, "unterminated CSV quoted field", detail: context(nil, nil))
                    }
                    let b = line[j]
                    if b == escape && j + 1 < n && line[j + 1] == quote && (escape != quote || true) {
                        if escape != quote || (j + 1 < n && line[j + 1] == quote) { f |= 1; j += 2; continue }
                    }
                    if b == quote { break }
                    j += 1
                }
                starts.append(i + 1); ends.append(j); flags.append(f)
                i = j + 1
                // Anything after the closing quote up to the delimiter is kept literally, as PostgreSQL does.
                while i < n && line[i] != delimiter { i += 1; flags[flags.count - 1] |= 4 }
            } else {
                let s = i
                while i < n && line[i] != delimiter { i += 1 }
                starts.append(s); ends.append(i); flags.append(0)
            }
            if i >= n { break }
            i += 1 // delimiter
            if i == n { starts.append(n); ends.append(n); flags.append(0); break }
        }
        return starts.count
    }

    /// Whether field `k` must be unescaped/unquoted before use.
    @inline(__always)
    func needsCopy(_ k: Int) -> Bool { flags[k] & 5 != 0 }

    /// Field `k`'s content, unescaped (text) or unquoted (CSV), into `out`.
    func unescapeField(_ k: Int, _ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let raw = UnsafeRawBufferPointer(rebasing: line[starts[k]..<ends[k]])
        guard csv else { return CopyFormat.unescapeText(raw, into: &out) }
        if flags[k] & 4 != 0 {
            // Text after the closing quote: take the bytes from the opening quote to the delimiter, dropping quotes.
            var j = starts[k] - 1
            var inQ = false
            while j < line.count && (inQ || line[j] != delimiter) {
                let b = line[j]
                if b == quote {
                    if inQ && j + 1 < line.count && line[j + 1] == quote { out.append(quote); j += 2; continue }
                    inQ.toggle(); j += 1; continue
                }
                out.append(b); j += 1
            }
            return
        }
        var j = 0
        while j < raw.count {
            let b = raw[j]
            if b == escape && j + 1 < raw.count && raw[j + 1] == quote { out.append(quote); j += 2; continue }
            out.append(b); j += 1
        }
    }


    func isNull(_ k: Int, _ line: UnsafeRawBufferPointer) -> Bool {
        if csv && flags[k] & 2 != 0 { return false }   // a quoted field is never NULL
        let len = ends[k] - starts[k]
        guard len == nullMarker.count else { return false }
        for j in 0..<len where line[starts[k] + j] != nullMarker[j] { return false }
        return true
    }

    mutating func line(_ line: UnsafeRawBufferPointer) throws {
        lineNumber += 1
        if plan.format.header && lineNumber == 1 { return }
        if line.count == 2 && line[0] == 0x5C && line[1] == 0x2E { sawEndMarker = true; return } // \.
        let count = try split(line)
        if count < columnCount {
            throw FreshetError(.badCopyFileFormat, "missing data for column \"\(plan.target.columns[plan.fieldColumns[count]].name)\"",
                               detail: context(nil, nil))
        }
        if count > columnCount {
            throw FreshetError(.badCopyFileFormat, "extra data after last expected column", detail: context(nil, nil))
        }
        encoder.reset()
        var keyBytes: UnsafeRawBufferPointer?
        var keyCopy: [UInt8] = []
        for col in 0..<schema.count {
            let k = fieldOfColumn[col]
            if k < 0 || isNull(k, line) {
                if !schema.columns[col].nullable {
                    throw FreshetError(.notNullViolation, "null value in column \"\(schema.columns[col].name)\" violates not-null constraint",
                                       detail: context(nil, nil))
                }
                if col == keyColumn {
                    throw FreshetError(.notNullViolation, "partition key column \"\(schema.columns[col].name)\" is NULL",
                                       detail: context(nil, nil))
                }
                encoder.appendNull()
                continue
            }
            do {
                if needsCopy(k) {
                    var tmp = unescaped[k]
                    unescapeField(k, line, into: &tmp)
                    try tmp.withUnsafeBytes { try encoder.appendParsing(pgText: $0) }
                    if col == keyColumn { keyCopy = tmp }
                    unescaped[k] = tmp
                } else {
                    let raw = UnsafeRawBufferPointer(rebasing: line[starts[k]..<ends[k]])
                    try encoder.appendParsing(pgText: raw)
                    if col == keyColumn { keyBytes = raw }
                }
            } catch var e as FreshetError {
                encoder.reset()
                e.detail = context(k, UnsafeRawBufferPointer(rebasing: line[starts[k]..<ends[k]]))
                throw e
            }
        }
        do {
            if let kc = keyColumn {
                // The key is the value's canonical text, as INSERT routes it: for TEXT/VARCHAR within its
                // limit that is the input itself; otherwise convert.
                let plain: Bool
                if keyIsText, case .varchar(let limit) = schema.columns[kc].type {
                    let len = keyBytes?.count ?? keyCopy.count
                    plain = limit.map { len <= $0 } ?? true
                } else {
                    plain = false
                }
                if !plain {
                    let v: Value
                    if let kb = keyBytes { v = try Value.parse(pgTextBytes: kb, as: schema.columns[kc].type) }
                    else { v = try keyCopy.withUnsafeBytes { try Value.parse(pgTextBytes: $0, as: schema.columns[kc].type) } }
                    keyCopy = []
                    v.appendPGText(as: schema.columns[kc].type, to: &keyCopy)
                    keyBytes = nil
                }
                if let kb = keyBytes {
                    try builder.appendRow(partitionKey: kb, finishing: &encoder)
                } else {
                    try keyCopy.withUnsafeBytes { try builder.appendRow(partitionKey: $0, finishing: &encoder) }
                }
            } else {
                try builder.appendRowWithRandomKey(finishing: &encoder)
            }
        } catch var e as FreshetError {
            encoder.reset()
            if e.detail == nil { e.detail = context(nil, nil) }
            throw e
        } catch {
            encoder.reset()
            throw FreshetError(.programLimitExceeded, "row too large to store: \(error)", detail: context(nil, nil))
        }
        rowCount += 1
    }
}
