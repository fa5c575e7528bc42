import FreshetCore

/// COPY … TO STDOUT: formats rows as PostgreSQL's text or CSV format, in
/// chunks of up to about 64 KiB. Rows are pulled from the query as they are
/// produced, so `COPY (SELECT STREAM …) TO STDOUT` delivers each batch of
/// rows as it arrives instead of waiting to fill a chunk.
final class CopyOutFormatter: CopyOutStream {
    let plan: CopyToPlan
    let columnCount: Int
    let isBinary = false
    private let source: RowStream
    private var position = 0
    private var headerSent = false
    private var finished = false
    private let types: [DataType]

    init(plan: CopyToPlan, source: RowStream) {
        self.plan = plan
        self.source = source
        columnCount = plan.query.outputColumns.count
        types = plan.query.outputColumns.map(\.type)
    }

    var commandTag: String { "COPY \(position)" }

    func close() { source.close() }

    func next() async throws -> [UInt8]? {
        try await nextRows()?.bytes
    }

    func nextRows() async throws -> (bytes: [UInt8], rowEnds: [Int])? {
        var rowEnds: [Int] = []
        var out: [UInt8] = []
        out.reserveCapacity(65_536)
        let csv = plan.format.format == .csv
        let delim = plan.format.delimiter
        if !headerSent {
            headerSent = true
            if plan.format.header {
                for (i, c) in plan.query.outputColumns.enumerated() {
                    if i > 0 { out.append(delim) }
                    appendField(Array(c.name.utf8), csv: csv, into: &out)
                }
                out.append(0x0A)
                rowEnds.append(out.count)
            }
        }
        if finished { return out.isEmpty ? nil : (out, rowEnds) }
        guard let batch = try await source.next(maxRows: 1024) else {
            finished = true
            return out.isEmpty ? nil : (out, rowEnds)
        }
        for row in batch {
            position += 1
            for i in 0..<columnCount {
                if i > 0 { out.append(delim) }
                let v = row[i]
                if v.isNull {
                    out.append(contentsOf: plan.format.null.utf8)
                    continue
                }
                if csv {
                    var text: [UInt8] = []
                    v.appendPGText(as: types[i], to: &text)
                    appendField(text, csv: true, into: &out)
                } else {
                    CopyFormat.appendCopyText(v, as: types[i], to: &out, delimiter: delim)
                }
            }
            out.append(0x0A)
            rowEnds.append(out.count)
        }
        return (out, rowEnds)
    }

    private func appendField(_ text: [UInt8], csv: Bool, into out: inout [UInt8]) {
        if csv {
            let q = plan.format.quote
            let needsQuotes = text.isEmpty && plan.format.null.isEmpty
                || text.contains { $0 == plan.format.delimiter || $0 == q || $0 == 0x0A || $0 == 0x0D }
                || text == Array(plan.format.null.utf8)
            if !needsQuotes { out.append(contentsOf: text); return }
            out.append(q)
            for b in text {
                if b == q { out.append(plan.format.escape) }
                out.append(b)
            }
            out.append(q)
            return
        }
        text.withUnsafeBytes { CopyFormat.appendEscapedText($0, to: &out, delimiter: plan.format.delimiter) }
    }
}
