/// One lexical token of SQL text.
///
/// `span` is in Unicode scalars (what PostgreSQL's error position counts);
/// `utf8Range` is the same range in the UTF-8 bytes of the source, so the
/// parser can quote the token as written in an error message without
/// re-scanning the text.
struct Token: Sendable {
    var kind: TokenKind
    var span: SourceSpan
    var utf8Range: Range<Int>
}

/// What a token is. Literal payloads are already unescaped.
enum TokenKind: Hashable, Sendable {
    /// An unquoted word, folded to lower case (ASCII letters only, as
    /// PostgreSQL does), with the keyword it spells, if any.
    case word(String, Keyword?)
    /// `"Quoted"`: case kept, `""` unescaped.
    case quotedIdentifier(String)
    /// Digits as written.
    case integer(String)
    /// `1.5`, `.5`, `1e10`, `2.5E-3` as written.
    case decimal(String)
    /// `'…'`, `E'…'`, `U&'…'`, `$$…$$`, `$tag$…$tag$`, unescaped.
    case string(String)
    /// `X'…'`.
    case bytes([UInt8])
    /// `$1`, `$2`, …
    case parameter(Int)
    case symbol(Symbol)
    case endOfInput
}

/// Operators and punctuation.
enum Symbol: String, Hashable, Sendable, CaseIterable {
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", caret = "^"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case doubleColon = "::", colon = ":"
    case tilde = "~", tildeStar = "~*", bangTilde = "!~", bangTildeStar = "!~*"
    case ampersand = "&", pipe = "|"
    case dot = ".", comma = ",", semicolon = ";"
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
}

extension TokenKind {
    /// The keyword this token spells, if it is an unquoted keyword.
    var keyword: Keyword? {
        if case .word(_, let keyword) = self { return keyword }
        return nil
    }

    /// How the token is named in "expected …" lists.
    var expectationName: String {
        switch self {
        case .word(let text, let keyword): return keyword?.rawValue ?? text
        case .quotedIdentifier: return "identifier"
        case .integer, .decimal: return "number"
        case .string: return "string"
        case .bytes: return "bytes"
        case .parameter: return "parameter"
        case .symbol(let symbol): return "\"\(symbol.rawValue)\""
        case .endOfInput: return "end of input"
        }
    }
}
