import FreshetCore
import FreshetPlanner

/// COPY table FROM STDIN (text or CSV, as PostgreSQL): the input is kept
/// until CopyDone, then parsed into rows and stored as one change (one
/// fsynced frame of the table's log), so a COPY that fails on any line
/// stores nothing. Reference tables are small; this path favours
/// simplicity over the streaming speed of `CopyInReceiver`.
final class TableCopyInReceiver: CopyInHandler {
    let plan: CopyFromPlan
    unowned let session: Session
    let columnCount: Int
    let isBinary = false
    private var input: [UInt8] = []

    init(plan: CopyFromPlan, session: Session) {
        self.plan = plan
        self.session = session
        columnCount = plan.fieldColumns.count
    }

    func receive(_ bytes: UnsafeRawBufferPointer) throws { input.append(contentsOf: bytes) }

    func abort(reason: String) { input = [] }

    func finish() async throws -> String {
        try session.refuseTableWriteInTransaction(plan.target)
        let rows = try parse()
        input = []
        try session.engine.table(for: plan.target.oid).modify { _ in ReferenceTable.Change(deleted: [], inserted: rows) }
        return "COPY \(rows.count)"
    }

    /// Lines → fields → values of the target columns' types.
    func parse() throws -> [Row] {
        let f = plan.format
        let csv = f.format == .csv
        let columns = plan.target.columns
        var rows: [Row] = []
        var lineNumber = 0
        var fields: [[UInt8]?] = []
        var field: [UInt8] = []
        var quotedField = false
        var inQuote = false
        var rawField: [UInt8] = []
        var i = 0
        let n = input.count
        var atLineStart = true
        func endField() {
            if csv {
                var out: [UInt8] = []
                let isNull = !quotedField && rawField.elementsEqual(Array(f.null.utf8))
                rawField.withUnsafeBytes { _ = CopyFormat.unquoteCSV($0, into: &out, quote: f.quote) }
                fields.append(isNull ? nil : out)
            } else {
                if rawField.elementsEqual(Array(f.null.utf8)) {
                    fields.append(nil)
                } else {
                    var out: [UInt8] = []
                    rawField.withUnsafeBytes { CopyFormat.unescapeText($0, into: &out) }
                    fields.append(out)
                }
            }
            rawField = []
            quotedField = false
            _ = field
        }
        func endLine() throws {
            lineNumber += 1
            defer { fields = [] }
            if f.header && lineNumber == 1 { return }
            guard fields.count == plan.fieldColumns.count else {
                throw FreshetError(.badCopyFileFormat,
                                   fields.count < plan.fieldColumns.count ? "missing data for column \"\(columns[plan.fieldColumns[fields.count]].name)\""
                                                                          : "extra data after last expected column",
                                   detail: "COPY \(plan.target.name), line \(lineNumber)")
            }
            var row = Row(repeating: .null, count: columns.count)
            for (k, c) in plan.fieldColumns.enumerated() {
                guard let bytes = fields[k] else { continue }
                do {
                    row[c] = try Value.parse(pgText: Substring(String(decoding: bytes, as: UTF8.self)), as: columns[c].type)
                } catch var e as FreshetError {
                    e.detail = "COPY \(plan.target.name), line \(lineNumber), column \(columns[c].name)"
                    throw e
                }
            }
            rows.append(row)
        }
        while i < n {
            let c = input[i]
            if atLineStart && !inQuote && i + 1 < n && c == UInt8(ascii: "\\") && input[i + 1] == UInt8(ascii: ".")
                && (i + 2 == n || input[i + 2] == 0x0A || input[i + 2] == 0x0D) {
                break   // end-of-data marker
            }
            atLineStart = false
            if csv && c == f.quote {
                inQuote.toggle()
                quotedField = true
                rawField.append(c)
            } else if !inQuote && c == f.delimiter {
                endField()
            } else if !inQuote && (c == 0x0A || c == 0x0D) {
                if c == 0x0D && i + 1 < n && input[i + 1] == 0x0A { i += 1 }
                endField()
                try endLine()
                atLineStart = true
            } else if !csv && c == UInt8(ascii: "\\") && i + 1 < n {
                rawField.append(c)
                rawField.append(input[i + 1])
                i += 1
            } else {
                rawField.append(c)
            }
            i += 1
        }
        if !rawField.isEmpty || !fields.isEmpty {
            endField()
            try endLine()
        }
        return rows
    }
}
