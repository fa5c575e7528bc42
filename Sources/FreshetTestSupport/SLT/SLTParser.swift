/// Parses sqllogictest-style files into records. Lines starting with `#` are
/// comments; records are separated by blank lines; `halt` stops the file.
public enum SLTParser {
    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws -> [SLTRecord] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var records: [SLTRecord] = []
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingTrailingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { i += 1; continue }
            if line == "halt" { break }
            if line.hasPrefix("clock advance ") {
                let parts = line.split(separator: " ").map(String.init)
                let units: [String: Int64] = ["microsecond": 1, "millisecond": 1_000, "second": 1_000_000, "minute": 60_000_000,
                                              "hour": 3_600_000_000, "day": 86_400_000_000]
                var unit = parts.count == 4 ? parts[3] : ""
                if unit.hasSuffix("s") { unit.removeLast() }
                guard parts.count == 4, let n = Int64(parts[2]), let u = units[unit] else {
                    throw ParseError(line: i + 1, message: "expected 'clock advance N unit' (unit: microsecond … day)")
                }
                records.append(SLTRecord(kind: .clockAdvance(micros: n * u), sql: "", line: i + 1))
                i += 1
                continue
            }
            let header = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let start = i + 1
            i += 1
            var sqlLines: [String] = []
            while i < lines.count && !lines[i].trimmingTrailingWhitespace().isEmpty && lines[i] != "----" {
                sqlLines.append(lines[i])
                i += 1
            }
            let sql = sqlLines.joined(separator: "\n")
            guard !sql.isEmpty else { throw ParseError(line: start, message: "record without SQL") }
            switch header.first {
            case "statement":
                if header.count >= 2 && header[1] == "ok" {
                    records.append(SLTRecord(kind: .statementOK, sql: sql, line: start))
                } else if header.count >= 2 && header[1] == "error" {
                    var rest = Array(header.dropFirst(2))
                    var state: String?
                    if let f = rest.first, f.count == 5, f.allSatisfy({ $0.isNumber || $0.isUppercase }) {
                        state = f
                        rest.removeFirst()
                    }
                    let msg = rest.isEmpty ? nil : rest.joined(separator: " ")
                    records.append(SLTRecord(kind: .statementError(sqlState: state, message: msg), sql: sql, line: start))
                } else {
                    throw ParseError(line: start, message: "expected 'statement ok' or 'statement error'")
                }
            case "query":
                guard header.count >= 2 else { throw ParseError(line: start, message: "query needs column types") }
                let rowsort = header.dropFirst(2).contains("rowsort")
                var expected: [String] = []
                if i < lines.count && lines[i] == "----" {
                    i += 1
                    while i < lines.count && !lines[i].trimmingTrailingWhitespace().isEmpty {
                        expected.append(lines[i].trimmingTrailingWhitespace())
                        i += 1
                    }
                }
                records.append(SLTRecord(kind: .query(types: header[1], rowsort: rowsort, expected: expected), sql: sql, line: start))
            default:
                throw ParseError(line: start, message: "unknown record type '\(line)'")
            }
        }
        return records
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
