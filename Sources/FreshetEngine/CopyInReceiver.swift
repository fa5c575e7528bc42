import FreshetCore
import FreshetPlanner
import FreshetStreams

/// COPY … FROM STDIN: splits the incoming bytes into lines and fields (text
/// or CSV format, as PostgreSQL defines them), converts each field to its
/// column's type, and encodes rows in batches. Nothing is stored until
/// CopyDone: `finish` makes all rows durable in one commit, so a COPY that
/// fails on any row stores none of them and the error names the line.
final class CopyInReceiver: CopyInHandler {
    let plan: CopyFromPlan
    unowned let session: Session
    let columnCount: Int
    let isBinary = false
    private var carry: [UInt8] = []
    private var lineNumber = 0
    private var rows: [Row] = []
    private var pending: [PendingWrite] = []
    private var rowCount = 0
    private var sawEndMarker = false
    private var failed: FreshetError?
    private let columnTypes: [DataType]
    private let userColumnCount: Int
    private static let batchRows = 16_384

    init(plan: CopyFromPlan, session: Session) {
        self.plan = plan
        self.session = session
        columnCount = plan.fieldColumns.count
        columnTypes = plan.target.columns.map(\.type)
        userColumnCount = plan.target.userColumnCount
    }

    func receive(_ bytes: UnsafeRawBufferPointer) throws {
        if let failed { throw failed }
        if sawEndMarker { return }
        do {
            carry.append(contentsOf: bytes)
            var start = 0
            try carry.withUnsafeBufferPointer { buf in
                var i = 0
                var inQuotes = false
                let csv = plan.format.format == .csv
                let quote = plan.format.quote
                while i < buf.count {
                    let b = buf[i]
                    if csv && b == quote { inQuotes.toggle() }
                    if b == 0x0A && !inQuotes {
                        var end = i
                        if end > start && buf[end - 1] == 0x0D { end -= 1 }
                        try line(UnsafeBufferPointer(rebasing: buf[start..<end]))
                        start = i + 1
                        if sawEndMarker { break }
                    }
                    i += 1
                }
            }
            carry.removeFirst(start)
            if rows.count >= CopyInReceiver.batchRows { try flushRows() }
        } catch let e as FreshetError {
            failed = e
            throw e
        }
    }

    func finish() async throws -> String {
        if let failed { throw failed }
        if !carry.isEmpty && !sawEndMarker {
            let rest = carry
            carry = []
            try rest.withUnsafeBufferPointer { buf in
                var end = buf.count
                if end > 0 && buf[end - 1] == 0x0D { end -= 1 }
                try line(UnsafeBufferPointer(rebasing: buf[0..<end]))
            }
        }
        try flushRows()
        if session.transactionStatus == .inTransaction {
            session.pendingWrites.append(contentsOf: pending)
        } else if !pending.isEmpty {
            _ = try await session.engine.commit(pending)
        }
        pending = []
        return "COPY \(rowCount)"
    }

    func abort(reason: String) {
        rows = []
        pending = []
        carry = []
    }

    private func flushRows() throws {
        guard !rows.isEmpty else { return }
        pending.append(try session.engine.prepareWrite(plan.target, rows: rows))
        rows.removeAll(keepingCapacity: true)
    }

    private func context(_ column: Int?, _ raw: String?) -> String {
        var s = "COPY \(plan.target.name), line \(lineNumber)"
        if let column { s += ", column \(plan.target.columns[plan.fieldColumns[column]].name)" }
        if let raw { s += ": \"\(raw)\"" }
        return s + ". No row of this COPY was stored."
    }

    private func line(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        lineNumber += 1
        if plan.format.header && lineNumber == 1 { return }
        if bytes.count == 2 && bytes[0] == 0x5C && bytes[1] == 0x2E { sawEndMarker = true; return } // \.
        let fields = plan.format.format == .csv ? try splitCSV(bytes) : try splitText(bytes)
        if fields.count < columnCount {
            throw FreshetError(.badCopyFileFormat, "missing data for column \"\(plan.target.columns[plan.fieldColumns[fields.count]].name)\"",
                               detail: context(nil, nil))
        }
        if fields.count > columnCount {
            throw FreshetError(.badCopyFileFormat, "extra data after last expected column", detail: context(nil, nil))
        }
        var row = Row(repeating: .null, count: userColumnCount)
        for (i, f) in fields.enumerated() {
            guard let f else { continue }
            let col = plan.fieldColumns[i]
            do {
                row[col] = try Value.parse(pgText: Substring(f), as: columnTypes[col])
            } catch var e as FreshetError {
                e.detail = context(i, f)
                throw e
            }
        }
        for (i, c) in plan.target.columns.prefix(userColumnCount).enumerated() where !c.nullable && row[i].isNull {
            throw FreshetError(.notNullViolation, "null value in column \"\(c.name)\" violates not-null constraint", detail: context(nil, nil))
        }
        rows.append(row)
        rowCount += 1
    }

    private func utf8(_ bytes: [UInt8]) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw FreshetError(.characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"", detail: context(nil, nil))
        }
        return s
    }

    /// PostgreSQL text format: fields split by the delimiter, backslash escapes, \N for NULL.
    private func splitText(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String?] {
        var fields: [String?] = []
        var cur: [UInt8] = []
        var raw: [UInt8] = []
        let delim = plan.format.delimiter
        let nullMarker = Array(plan.format.null.utf8)
        var i = 0
        func endField() throws {
            fields.append(raw == nullMarker ? nil : try utf8(cur))
            cur.removeAll(keepingCapacity: true)
            raw.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == delim { try endField(); i += 1; continue }
            raw.append(b)
            if b == 0x5C && i + 1 < bytes.count {
                let n = bytes[i + 1]
                raw.append(n)
                i += 2
                switch n {
                case 0x6E: cur.append(0x0A)       // \n
                case 0x74: cur.append(0x09)       // \t
                case 0x72: cur.append(0x0D)       // \r
                case 0x62: cur.append(0x08)       // \b
                case 0x66: cur.append(0x0C)       // \f
                case 0x76: cur.append(0x0B)       // \v
                case 0x30...0x37:                 // \ooo
                    var v = Int(n - 0x30)
                    var k = 0
                    while k < 2 && i < bytes.count && (0x30...0x37).contains(bytes[i]) {
                        v = v * 8 + Int(bytes[i] - 0x30); raw.append(bytes[i]); i += 1; k += 1
                    }
                    cur.append(UInt8(truncatingIfNeeded: v))
                case 0x78:                        // \xhh
                    var v = 0
                    var k = 0
                    while k < 2 && i < bytes.count, let h = hexValue(bytes[i]) { v = v * 16 + h; raw.append(bytes[i]); i += 1; k += 1 }
                    if k == 0 { cur.append(0x78) } else { cur.append(UInt8(v)) }
                default: cur.append(n)
                }
                continue
            }
            cur.append(b)
            i += 1
        }
        try endField()
        return fields
    }

    private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }

    /// CSV: fields split by the delimiter; quoted fields may hold delimiters, newlines and doubled quotes.
    /// An unquoted field equal to the NULL string is NULL; a quoted one never is.
    private func splitCSV(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String?] {
        var fields: [String?] = []
        var cur: [UInt8] = []
        var quotedField = false
        var inQuotes = false
        let delim = plan.format.delimiter, quote = plan.format.quote, escape = plan.format.escape
        let nullMarker = Array(plan.format.null.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == escape && i + 1 < bytes.count && bytes[i + 1] == quote && (escape != quote || true) {
                    if escape == quote || bytes[i + 1] == quote {
                        cur.append(quote); i += 2; continue
                    }
                }
                if b == quote { inQuotes = false; i += 1; continue }
                cur.append(b); i += 1; continue
            }
            if b == quote { inQuotes = true; quotedField = true; i += 1; continue }
            if b == delim {
                fields.append(!quotedField && cur == nullMarker ? nil : try utf8(cur))
                cur.removeAll(keepingCapacity: true)
                quotedField = false
                i += 1
                continue
            }
            cur.append(b)
            i += 1
        }
        if inQuotes {
            throw FreshetError(.badCopyFileFormat, "unterminated CSV quoted field", detail: context(nil, nil))
        }
        fields.append(!quotedField && cur == nullMarker ? nil : try utf8(cur))
        return fields
    }
}
