import FreshetCore
import FreshetPlanner
import FreshetStreams

/// COPY … FROM STDIN: splits the incoming bytes into lines and fields (text
/// or CSV format, as PostgreSQL defines them) and parses each field straight
/// into the encoded row (RowEncoder) inside its shard's record buffer — no
/// `Value`s and no per-row allocation on this path. Nothing is stored until
/// CopyDone: `finish` makes all rows durable in one group commit, so a COPY
/// that fails on any row stores none of them, and the error names the line
/// and column. The encoded rows wait in memory until then (about the size
/// of the input plus 40 bytes a row).
final class CopyInReceiver: CopyInHandler {
    let plan: CopyFromPlan
    unowned let session: Session
    let columnCount: Int
    let isBinary = false

    private var carry: [UInt8] = []
    private var failed: FreshetError?
    private var pending: [PendingWrite] = []
    private var parser: CopyRowParser?
    private var rowsBeforeBatch = 0

    private static let rowsPerBatch = 65_536

    init(plan: CopyFromPlan, session: Session) {
        self.plan = plan
        self.session = session
        columnCount = plan.fieldColumns.count
    }

    private func makeParser() throws -> CopyRowParser {
        CopyRowParser(plan: plan, keyName: session.engine.partitionKeyColumn(of: plan.target.oid),
                      store: try session.engine.store(for: plan.target.oid))
    }

    func receive(_ bytes: UnsafeRawBufferPointer) throws {
        if let failed { throw failed }
        do {
            var p = try parser ?? makeParser()
            parser = nil
            defer { parser = p }
            if p.sawEndMarker { return }
            var rest = bytes
            if !carry.isEmpty {
                // Complete the line left over from the last chunk: move over only the
                // bytes up to its end (all of them when it does not end in this chunk).
                let end = p.lineEnd(in: bytes, quotesBefore: carry)
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
                rest = UnsafeRawBufferPointer(rebasing: bytes[end...])
                let consumed = try carry.withUnsafeBytes { try p.process($0) }
                carry.removeFirst(consumed)
            }
            if !rest.isEmpty && !p.sawEndMarker {
                // Whole lines straight from the message; only an incomplete last line is copied.
                let consumed = try p.process(rest)
                if !p.sawEndMarker && consumed < rest.count {
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[consumed...]))
                }
            }
            if p.builder.rowCount >= CopyInReceiver.rowsPerBatch {
                pending.append(p.builder.finish())
                p.builder = StreamBatchBuilder(store: try session.engine.store(for: plan.target.oid))
            }
        } catch let e as FreshetError {
            failed = e
            throw e
        }
    }

    func finish() async throws -> String {
        if let failed { throw failed }
        var p = try parser ?? makeParser()
        parser = nil
        if !carry.isEmpty && !p.sawEndMarker {
            let rest = carry
            carry = []
            try rest.withUnsafeBytes { buf in
                var end = buf.count
                if end > 0 && buf[end - 1] == 0x0D { end -= 1 }
                try p.line(UnsafeRawBufferPointer(rebasing: buf[0..<end]))
            }
        }
        if p.builder.rowCount > 0 { pending.append(p.builder.finish()) }
        if session.transactionStatus == .inTransaction {
            session.pendingWrites.append(contentsOf: pending)
        } else if !pending.isEmpty {
            _ = try await session.engine.commit(pending)
        }
        pending = []
        return "COPY \(p.rowCount)"
    }

    func abort(reason: String) {
        pending = []
        parser = nil
        carry = []
    }
}

/// The per-line work of COPY FROM, kept in a struct that `CopyInReceiver`
/// moves into a local variable for each chunk: all hot-path state is then
/// local, so Swift checks exclusive access statically instead of at run time
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

    init(plan: CopyFromPlan, keyName: String?, store: StreamStore) {
        self.plan = plan
        columnCount = plan.fieldColumns.count
        let userCount = plan.target.userColumnCount
        let userSchema = Schema(Array(plan.target.columns.prefix(userCount)))
        schema = userSchema
        encoder = RowEncoder(schema: userSchema)
        builder = StreamBatchBuilder(store: store)
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

    /// The offset in `buf` just after the newline that ends the line begun in `before`
    /// (a newline inside CSV quotes does not end a line; quotes are counted from the
    /// start of `before`, which is always the start of a line); `buf.count` when the
    /// line does not end in `buf`.
    func lineEnd(in buf: UnsafeRawBufferPointer, quotesBefore before: [UInt8]) -> Int {
        var inQuotes = false
        if csv { for b in before where b == quote { inQuotes.toggle() } }
        var i = 0
        while i < buf.count {
            let b = buf[i]
            if csv && b == quote { inQuotes.toggle() }
            if b == 0x0A && !inQuotes { return i + 1 }
            i += 1
        }
        return buf.count
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
