/// Finds where SQL statements end in text typed line by line: a `;` outside
/// quotes ('…', "…", E'…', $tag$…$tag$) and comments (-- and nested /* */)
/// ends one. The shell feeds lines and runs the text up to each end.
struct StatementSplitter {
    private enum State: Equatable { case normal, single, double, lineComment, blockComment(Int), dollar(String) }
    private var state = State.normal
    private(set) var buffer = ""

    /// True when nothing but whitespace is buffered.
    var isEmpty: Bool { buffer.allSatisfy(\.isWhitespace) }

    /// Adds one line; returns the complete statements it finished (each with its `;`).
    mutating func feed(_ line: String) -> [String] {
        var done: [String] = []
        let chars = Array(line + "\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            buffer.append(c)
            switch state {
            case .normal:
                if c == "'" { state = .single }
                else if c == "\"" { state = .double }
                else if c == "-" && next == "-" { state = .lineComment; buffer.append("-"); i += 1 }
                else if c == "/" && next == "*" { state = .blockComment(1); buffer.append("*"); i += 1 }
                else if c == "$", let tag = dollarTag(chars, i) {
                    state = .dollar(tag)
                    buffer += tag.dropFirst()
                    i += tag.count - 1
                } else if c == ";" {
                    done.append(buffer.trimmingLeadingWhitespace())
                    buffer = ""
                }
            case .single: if c == "'" { state = .normal }   // '' re-enters at once
            case .double: if c == "\"" { state = .normal }
            case .lineComment: if c == "\n" { state = .normal }
            case .blockComment(let depth):
                if c == "*" && next == "/" { buffer.append("/"); i += 1; state = depth == 1 ? .normal : .blockComment(depth - 1) }
                else if c == "/" && next == "*" { buffer.append("*"); i += 1; state = .blockComment(depth + 1) }
            case .dollar(let tag):
                if c == "$" && String(chars[i..<min(i + tag.count, chars.count)]) == tag {
                    buffer += tag.dropFirst()
                    i += tag.count - 1
                    state = .normal
                }
            }
            i += 1
        }
        return done
    }

    /// What remains at the end of input (a last statement without `;`), and a reset.
    mutating func flush() -> String? {
        defer { buffer = ""; state = .normal }
        return isEmpty ? nil : buffer.trimmingLeadingWhitespace()
    }

    /// `$tag$` starting at i (tag: letters, digits, underscores, not starting with a digit), if any.
    private func dollarTag(_ chars: [Character], _ i: Int) -> String? {
        var j = i + 1
        while j < chars.count, chars[j] == "_" || chars[j].isLetter || (chars[j].isNumber && j > i + 1) { j += 1 }
        guard j < chars.count, chars[j] == "$" else { return nil }
        // A $ after a word character is part of an identifier, not a quote.
        return String(chars[i...j])
    }
}

extension String {
    func trimmingLeadingWhitespace() -> String { String(drop(while: \.isWhitespace)) }
}
