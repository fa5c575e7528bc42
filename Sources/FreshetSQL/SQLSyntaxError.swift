/// A statement that cannot be read: a lexical error (an unterminated string or
/// comment, a bad escape) or a grammar error, with where it happened.
///
/// The message follows PostgreSQL (`syntax error at or near "FORM"`,
/// `syntax error at end of input`, `unterminated quoted string at or near "'abc"`);
/// `expected` lists what the grammar would have accepted at that point and
/// `detail` renders it for people. The Wire layer maps this error to SQLSTATE
/// 42601 and `span.start.offset + 1` to the ErrorResponse position field, so
/// psql draws its caret under the offending token.
public struct SQLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The offending token (for lexical errors: from its start to where the
    /// lexer gave up).
    public var span: SourceSpan
    /// What would have been accepted, in the order the parser tried it:
    /// keywords in upper case, symbols quoted (`"("`), classes in words
    /// ("identifier", "expression", "end of input").
    public var expected: [String]
    /// The offending token as written ("" at the end of the input).
    public var found: String

    public init(message: String, span: SourceSpan, expected: [String] = [], found: String = "") {
        self.message = message
        self.span = span
        self.expected = expected
        self.found = found
    }

    /// 1-based line of the offending token.
    public var line: Int { span.start.line }
    /// 1-based column (in Unicode scalars) of the offending token.
    public var column: Int { span.start.column }
    /// PostgreSQL's ErrorResponse position: 1-based, in characters.
    public var position: Int { span.start.offset + 1 }

    /// "expected one of: FROM, WHERE, …", or nil when nothing is known.
    public var detail: String? {
        switch expected.count {
        case 0: return nil
        case 1: return "expected \(expected[0])"
        default: return "expected one of: " + expected.joined(separator: ", ")
        }
    }

    public var description: String {
        var text = "\(message) at line \(line), column \(column)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
