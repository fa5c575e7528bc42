import FreshetCore

/// psql's "aligned" output: a centred header, `-+-` rule, numbers right
/// aligned and everything else left aligned, a `(N rows)` footer.
enum TableFormatter {
    static func format(columns: [(name: String, type: DataType)], rows: [[String?]], footer: Bool = true) -> String {
        let widths = columns.indices.map { c in
            rows.reduce(displayWidth(columns[c].name)) { max($0, displayWidth($1[c] ?? "")) }
        }
        var out = ""
        // Header: each name centred (an odd extra space goes right), cells joined by "|".
        for (c, col) in columns.enumerated() {
            let pad = widths[c] - displayWidth(col.name)
            out += (c == 0 ? " " : "| ") + String(repeating: " ", count: pad / 2) + col.name + String(repeating: " ", count: pad - pad / 2) + " "
        }
        out.removeLast()
        out += " \n"
        out += widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
        for r in rows {
            var line = ""
            for (c, col) in columns.enumerated() {
                let v = r[c] ?? ""
                let pad = String(repeating: " ", count: widths[c] - displayWidth(v))
                let last = c == columns.count - 1
                line += c == 0 ? " " : " | "
                if col.type.isNumeric { line += pad + v } else { line += v + (last ? "" : pad) }
            }
            out += line + "\n"
        }
        if footer { out += "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n" }
        return out
    }

    /// Characters on screen (one per Unicode scalar; good enough for the common cases).
    static func displayWidth(_ s: String) -> Int { s.unicodeScalars.count }
}
