/// Prints the AST as canonical SQL: upper-case keywords, one space between
/// tokens, names quoted only when they must be (not lower-case-simple, a
/// reserved keyword) or were quoted when written (`Identifier.quoted` is part
/// of the AST), and parentheses only where precedence needs them.
///
/// It is the round-trip oracle: for any statement `s` the parser accepts,
/// `parse(print(parse(s))) == parse(s)` (spans aside, which compare equal).
/// Families of the AST print in `SQLPrinter+Statement.swift`,
/// `SQLPrinter+Query.swift` and `SQLPrinter+Expression.swift`.
public struct SQLPrinter: Sendable {
    var output = ""

    init() {}

    /// Canonical text of one statement (no trailing `;`).
    public static func print(_ statement: Statement) -> String {
        var printer = SQLPrinter()
        printer.write(statement)
        return printer.output
    }

    /// Canonical text of statements, each followed by `;`, one per line.
    public static func print(_ statements: [Statement]) -> String {
        var printer = SQLPrinter()
        for statement in statements {
            printer.write(statement)
            printer.output += ";\n"
        }
        return printer.output
    }

    public static func print(_ query: Query) -> String {
        var printer = SQLPrinter()
        printer.write(query)
        return printer.output
    }

    public static func print(_ expression: Expression) -> String {
        var printer = SQLPrinter()
        printer.write(expression)
        return printer.output
    }

    public static func print(_ type: DataTypeName) -> String {
        var printer = SQLPrinter()
        printer.write(type)
        return printer.output
    }

    /// A name as SQL: bare when it is lower-case-simple and not reserved, quoted otherwise.
    public static func quoteIdentifierIfNeeded(_ name: String) -> String {
        var printer = SQLPrinter()
        printer.write(Identifier(name, quoted: !isSimple(name, nonASCII: false)), mode: .identifier)
        return printer.output
    }

    // MARK: - Names

    /// Where a name stands decides which keywords it may be without quotes.
    enum NameMode {
        /// A column, table or stream name: reserved keywords need quotes.
        case identifier
        /// After AS, after a dot, as an option name: any word may stay bare.
        case label
        /// A function name: LEFT and RIGHT may stay bare.
        case function
    }

    /// Whether `name` reads back as itself without quotes: lower-case ASCII
    /// letters, digits, `_` and `$` (not first), and — when `nonASCII` — any
    /// non-ASCII character, which the lexer also reads as part of a word
    /// (PostgreSQL's rule). The printer keeps an unquoted non-ASCII name bare so
    /// that it parses back unquoted; `quoteIdentifierIfNeeded` quotes it, as
    /// PostgreSQL's quote_ident does.
    static func isSimple(_ name: String, nonASCII: Bool = true) -> Bool {
        guard let first = name.utf8.first,
              first == UInt8(ascii: "_") || (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || (nonASCII && first >= 0x80) else {
            return false
        }
        for byte in name.utf8 {
            let ok = byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (nonASCII && byte >= 0x80)
            if !ok { return false }
        }
        return true
    }

    mutating func write(_ identifier: Identifier, mode: NameMode = .identifier) {
        let name = identifier.value
        var needsQuotes = identifier.quoted || !SQLPrinter.isSimple(name)
        if !needsQuotes, mode != .label, let keyword = Keyword(lowercased: name), keyword.isReserved {
            needsQuotes = !(mode == .function && (keyword == .left || keyword == .right))
        }
        if needsQuotes {
            output += "\""
            for character in name.unicodeScalars {
                if character == "\"" { output += "\"\"" } else { output.unicodeScalars.append(character) }
            }
            output += "\""
        } else {
            output += name
        }
    }

    mutating func write(_ name: ObjectName, mode: NameMode = .identifier) {
        for (i, part) in name.parts.enumerated() {
            if i > 0 { output += "." }
            write(part, mode: i == 0 ? mode : .label)
        }
    }

    mutating func writeList(_ names: [Identifier]) {
        output += "("
        for (i, name) in names.enumerated() {
            if i > 0 { output += ", " }
            write(name)
        }
        output += ")"
    }

    /// A string literal in standard syntax (`'` doubled).
    mutating func writeString(_ value: String) {
        output += "'"
        for scalar in value.unicodeScalars {
            if scalar == "'" { output += "''" } else { output.unicodeScalars.append(scalar) }
        }
        output += "'"
    }

    /// `(name value, …)` for COPY and EXPLAIN, `(name = value, …)` for CREATE STREAM.
    mutating func writeOptions(_ options: [OptionAssignment], equals: Bool) {
        output += "("
        for (i, option) in options.enumerated() {
            if i > 0 { output += ", " }
            write(option.name, mode: .label)
            if let value = option.value {
                output += equals ? " = " : " "
                writeOptionValue(value)
            }
        }
        output += ")"
    }

    /// An option value. The parser reads a value that starts with a plain word as that
    /// word, a string (`FORMAT csv`), unless the word is TRUE/FALSE/NULL/INTERVAL/ARRAY/
    /// CAST/CASE or is followed by `(`, `.` or a string; any other expression that prints
    /// starting with a word (`x`, `x / y`, `x IS NULL`) keeps its meaning only in parentheses.
    mutating func writeOptionValue(_ value: Expression) {
        var printer = SQLPrinter()
        printer.write(value)
        let text = printer.output
        if Self.startsWithBareWord(text) {
            output += "(" + text + ")"
        } else {
            output += text
        }
    }

    static func startsWithBareWord(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return false }
        if first == "\"" { return true }
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.value > 127 || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) || c == "$" }
        guard isWordStart(first) else { return false }
        var end = 0
        while end < scalars.count && isWordPart(scalars[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(scalars[0..<end])).lowercased()
        if ["true", "false", "null", "interval", "array", "cast", "case"].contains(word) { return false }
        if end < scalars.count && (scalars[end] == "(" || scalars[end] == ".") { return false }
        var next = end
        while next < scalars.count && scalars[next] == " " { next += 1 }
        if next < scalars.count && scalars[next] == "'" { return false }
        return true
    }

    // MARK: - Types

    mutating func write(_ type: DataTypeName) {
        let name = type.name
        if name.unicodeScalars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "." }) {
            output += name
        } else {
            write(Identifier(name, quoted: true))
        }
        if let qualifier = type.intervalQualifier {
            output += " "
            write(qualifier)
        }
        if !type.arguments.isEmpty {
            output += "("
            output += type.arguments.map(String.init).joined(separator: ", ")
            output += ")"
        }
        for _ in 0..<max(0, type.arrayDimensions) { output += "[]" }
    }

    mutating func write(_ qualifier: IntervalQualifier) {
        output += qualifier.start.rawValue
        if let precision = qualifier.startPrecision {
            output += "(\(precision)"
            if qualifier.end == nil, let fractional = qualifier.fractionalPrecision { output += ", \(fractional)" }
            output += ")"
        }
        if let end = qualifier.end {
            output += " TO " + end.rawValue
            if let fractional = qualifier.fractionalPrecision { output += "(\(fractional))" }
        }
    }
}
