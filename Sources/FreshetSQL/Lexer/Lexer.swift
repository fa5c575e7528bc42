/// Turns SQL text into tokens, following PostgreSQL's lexical rules
/// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html):
/// unquoted identifiers fold to lower case, `"quoted"` ones keep it;
/// `'…'` (with `''`), `E'…'` (backslash escapes), `U&'…'` (`\XXXX`,
/// `\+XXXXXX`), `X'…'`, `$$…$$` and `$tag$…$tag$` strings; numbers kept as
/// text; `$n` parameters; `--` and nested `/* */` comments.
///
/// It works on the UTF-8 bytes and counts scalars as it goes (a byte that is
/// not a UTF-8 continuation byte starts a scalar), so locations are exact
/// without building a String per character. It never traps on any input:
/// every problem becomes a `SQLSyntaxError` with the position.
///
/// Not supported (yet): `UESCAPE`, `U&"…"` identifiers, `B'…'` bit strings,
/// PostgreSQL's general operator lexing (only the operators Freshet parses
/// are recognised), the concatenation of string literals separated by a
/// newline.
struct Lexer {
    private let bytes: [UInt8]
    private var position = 0
    private var offset = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    /// Tokenizes the whole text; the last token is always `.endOfInput`.
    static func tokenize(_ source: String) throws(SQLSyntaxError) -> [Token] {
        var lexer = Lexer(source)
        return try lexer.tokenize()
    }

    mutating func tokenize() throws(SQLSyntaxError) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 5 + 1)
        while true {
            try skipTrivia()
            let start = location
            let startByte = position
            guard position < bytes.count else {
                tokens.append(Token(kind: .endOfInput, span: SourceSpan(start: start, end: start),
                                    utf8Range: position..<position))
                return tokens
            }
            let kind = try lexToken(start: start)
            tokens.append(Token(kind: kind, span: SourceSpan(start: start, end: location),
                                utf8Range: startByte..<position))
        }
    }

    // MARK: - Cursor

    var location: SourceLocation { SourceLocation(offset: offset, line: line, column: column) }

    /// The byte `ahead` positions on, or 0 past the end (a NUL in the text is
    /// never valid SQL, so 0 doubles as "no byte").
    @inline(__always)
    private func peek(_ ahead: Int = 0) -> UInt8 {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : 0
    }

    @inline(__always)
    private var atEnd: Bool { position >= bytes.count }

    @inline(__always)
    private mutating func advance() {
        let byte = bytes[position]
        position += 1
        if byte == 0x0A {
            line += 1
            column = 1
            offset += 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
            offset += 1
        }
    }

    @inline(__always)
    private mutating func advance(_ count: Int) {
        for _ in 0..<count where position < bytes.count { advance() }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    // MARK: - Errors

    /// An error covering from `start` to the current position, quoting the
    /// text there as PostgreSQL does ("at or near …").
    private func error(_ message: String, from start: SourceLocation, startByte: Int) -> SQLSyntaxError {
        let near = text(startByte..<max(startByte, min(position, bytes.count)))
        return SQLSyntaxError(message: "\(message) at or near \"\(near)\"",
                              span: SourceSpan(start: start, end: location), found: near)
    }

    // MARK: - Whitespace and comments

    private mutating func skipTrivia() throws(SQLSyntaxError) {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                advance()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while position < bytes.count && bytes[position] != 0x0A { advance() }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                try skipBlockComment()
            default:
                return
            }
        }
    }

    /// `/* … */`, nested as in PostgreSQL.
    private mutating func skipBlockComment() throws(SQLSyntaxError) {
        let start = location
        advance(2)
        var depth = 1
        while depth > 0 {
            guard position < bytes.count else {
                throw SQLSyntaxError(message: "unterminated /* comment at or near \"/*\"",
                                     span: SourceSpan(start: start, end: location), found: "/*")
            }
            if bytes[position] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                depth -= 1
                advance(2)
            } else if bytes[position] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                depth += 1
                advance(2)
            } else {
                advance()
            }
        }
    }

    // MARK: - Tokens

    private mutating func lexToken(start: SourceLocation) throws(SQLSyntaxError) -> TokenKind {
        let startByte = position
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "'"):
            return .string(try lexQuotedString(start: start, startByte: startByte))
        case UInt8(ascii: "\""):
            return try lexQuotedIdentifier(start: start, startByte: startByte)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try lexNumber(start: start, startByte: startByte)
        case UInt8(ascii: ".") where Lexer.isDigit(peek(1)):
            return try lexNumber(start: start, startByte: startByte)
        case UInt8(ascii: "$"):
            return try lexDollar(start: start, startByte: startByte)
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            if peek(1) == UInt8(ascii: "'") {
                advance()
                return .string(try lexEscapeString(start: start, startByte: startByte))
            }
            return lexWord()
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            if peek(1) == UInt8(ascii: "&") && peek(2) == UInt8(ascii: "'") {
                advance(2)
                return .string(try lexUnicodeString(start: start, startByte: startByte))
            }
            return lexWord()
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            if peek(1) == UInt8(ascii: "'") {
                advance()
                return .bytes(try lexHexString(start: start, startByte: startByte))
            }
            return lexWord()
        default:
            if Lexer.isIdentifierStart(byte) { return lexWord() }
            return try lexSymbol(start: start, startByte: startByte)
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func isIdentifierContinue(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// An unquoted identifier or keyword, folded to lower case.
    private mutating func lexWord() -> TokenKind {
        let startByte = position
        var hasUpper = false
        while position < bytes.count && Lexer.isIdentifierContinue(bytes[position]) {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
            advance()
        }
        let slice = bytes[startByte..<position]
        let word: String
        if hasUpper {
            word = String(decoding: slice.lazy.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
        } else {
            word = String(decoding: slice, as: UTF8.self)
        }
        let keyword = slice.count <= Keyword.maximumLength ? Keyword(lowercased: word) : nil
        return .word(word, keyword)
    }

    /// `"…"` with `""` for a quote; an empty quoted identifier is an error, as in PostgreSQL.
    private mutating func lexQuotedIdentifier(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> TokenKind {
        advance()
        var content: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw error("unterminated quoted identifier", from: start, startByte: startByte)
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if peek(1) == UInt8(ascii: "\"") {
                    content.append(byte)
                    advance(2)
                    continue
                }
                advance()
                break
            }
            content.append(byte)
            advance()
        }
        if content.isEmpty {
            throw error("zero-length delimited identifier", from: start, startByte: startByte)
        }
        return .quotedIdentifier(String(decoding: content, as: UTF8.self))
    }

    /// `'…'` with `''` for a quote (standard_conforming_strings: backslash is literal).
    private mutating func lexQuotedString(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> String {
        advance()
        let contentStart = position
        var content: [UInt8]? = nil
        while true {
            guard position < bytes.count else {
                throw error("unterminated quoted string", from: start, startByte: startByte)
            }
            if bytes[position] == UInt8(ascii: "'") {
                if peek(1) == UInt8(ascii: "'") {
                    if content == nil { content = Array(bytes[contentStart..<position]) }
                    content?.append(UInt8(ascii: "'"))
                    advance(2)
                    continue
                }
                let end = position
                advance()
                if let content { return String(decoding: content, as: UTF8.self) }
                return text(contentStart..<end)
            }
            content?.append(bytes[position])
            advance()
        }
    }

    /// `E'…'`: `\b \f \n \r \t`, `\ooo` octal, `\xhh` hex, `\uXXXX`,
    /// `\UXXXXXXXX`, `\c` for any other c, and `''`. Called with the cursor on the quote.
    private mutating func lexEscapeString(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> String {
        advance()
        var content: [UInt8] = []
        var pendingHighSurrogate: UInt32? = nil
        while true {
            guard position < bytes.count else {
                throw error("unterminated quoted string", from: start, startByte: startByte)
            }
            let byte = bytes[position]
            if pendingHighSurrogate != nil && (byte != UInt8(ascii: "\\") || (peek(1) != UInt8(ascii: "u") && peek(1) != UInt8(ascii: "U"))) {
                throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
            }
            if byte == UInt8(ascii: "'") {
                if peek(1) == UInt8(ascii: "'") {
                    content.append(byte)
                    advance(2)
                    continue
                }
                advance()
                break
            }
            if byte != UInt8(ascii: "\\") {
                content.append(byte)
                advance()
                continue
            }
            advance()
            guard position < bytes.count else {
                throw error("unterminated quoted string", from: start, startByte: startByte)
            }
            let escape = bytes[position]
            switch escape {
            case UInt8(ascii: "b"): content.append(0x08); advance()
            case UInt8(ascii: "f"): content.append(0x0C); advance()
            case UInt8(ascii: "n"): content.append(0x0A); advance()
            case UInt8(ascii: "r"): content.append(0x0D); advance()
            case UInt8(ascii: "t"): content.append(0x09); advance()
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value: UInt32 = 0
                var count = 0
                while count < 3, position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "7") {
                    value = value * 8 + UInt32(bytes[position] - UInt8(ascii: "0"))
                    advance()
                    count += 1
                }
                content.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x") where Lexer.hexValue(peek(1)) != nil:
                advance()
                var value: UInt32 = 0
                var count = 0
                while count < 2, position < bytes.count, let digit = Lexer.hexValue(bytes[position]) {
                    value = value * 16 + digit
                    advance()
                    count += 1
                }
                content.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = escape == UInt8(ascii: "u") ? 4 : 8
                advance()
                guard let value = readHex(digits: digits) else {
                    throw error("invalid Unicode escape (must be \\uXXXX or \\UXXXXXXXX)", from: start, startByte: startByte)
                }
                try appendCodePoint(value, to: &content, pendingHighSurrogate: &pendingHighSurrogate,
                                    start: start, startByte: startByte)
            default:
                // Any other escaped byte stands for itself (a multi-byte scalar
                // is copied whole by the following iterations).
                content.append(escape)
                advance()
            }
        }
        if pendingHighSurrogate != nil {
            throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
        }
        return try validUTF8(content, start: start, startByte: startByte)
    }

    /// `U&'…'`: `\XXXX`, `\+XXXXXX`, `\\`, and `''`. Called with the cursor on the quote.
    private mutating func lexUnicodeString(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> String {
        advance()
        var content: [UInt8] = []
        var pendingHighSurrogate: UInt32? = nil
        while true {
            guard position < bytes.count else {
                throw error("unterminated quoted string", from: start, startByte: startByte)
            }
            let byte = bytes[position]
            if pendingHighSurrogate != nil && byte != UInt8(ascii: "\\") {
                throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
            }
            if byte == UInt8(ascii: "'") {
                if peek(1) == UInt8(ascii: "'") {
                    content.append(byte)
                    advance(2)
                    continue
                }
                advance()
                break
            }
            if byte != UInt8(ascii: "\\") {
                content.append(byte)
                advance()
                continue
            }
            advance()
            if peek() == UInt8(ascii: "\\") && pendingHighSurrogate == nil {
                content.append(UInt8(ascii: "\\"))
                advance()
                continue
            }
            var digits = 4
            if peek() == UInt8(ascii: "+") {
                digits = 6
                advance()
            }
            guard let value = readHex(digits: digits) else {
                throw error("invalid Unicode escape (must be \\XXXX, \\+XXXXXX or \\\\)", from: start, startByte: startByte)
            }
            try appendCodePoint(value, to: &content, pendingHighSurrogate: &pendingHighSurrogate,
                                start: start, startByte: startByte)
        }
        if pendingHighSurrogate != nil {
            throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
        }
        return try validUTF8(content, start: start, startByte: startByte)
    }

    /// Exactly `digits` hex digits, or nil (the cursor then stays where the first non-hex byte is).
    private mutating func readHex(digits: Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard position < bytes.count, let digit = Lexer.hexValue(bytes[position]) else { return nil }
            value = value &* 16 &+ digit
            advance()
        }
        return value
    }

    /// Appends a code point as UTF-8, pairing UTF-16 surrogates written as two escapes.
    private func appendCodePoint(_ value: UInt32, to content: inout [UInt8], pendingHighSurrogate: inout UInt32?,
                                 start: SourceLocation, startByte: Int) throws(SQLSyntaxError) {
        var codePoint = value
        if let high = pendingHighSurrogate {
            guard (0xDC00...0xDFFF).contains(value) else {
                throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
            }
            codePoint = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
            pendingHighSurrogate = nil
        } else if (0xD800...0xDBFF).contains(value) {
            pendingHighSurrogate = value
            return
        } else if (0xDC00...0xDFFF).contains(value) {
            throw error("invalid Unicode surrogate pair", from: start, startByte: startByte)
        }
        guard codePoint != 0, let scalar = Unicode.Scalar(codePoint) else {
            throw error("invalid Unicode escape value", from: start, startByte: startByte)
        }
        if let encoded = UTF8.encode(scalar) { content.append(contentsOf: encoded) }
    }

    private func validUTF8(_ content: [UInt8], start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> String {
        guard !content.contains(0), let string = String(validating: content, as: UTF8.self) else {
            throw error("invalid byte sequence for encoding \"UTF8\"", from: start, startByte: startByte)
        }
        return string
    }

    /// `X'…'`: an even number of hex digits. Called with the cursor on the quote.
    private mutating func lexHexString(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> [UInt8] {
        advance()
        var result: [UInt8] = []
        var high: UInt32? = nil
        while true {
            guard position < bytes.count else {
                throw error("unterminated hexadecimal string literal", from: start, startByte: startByte)
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "'") {
                advance()
                break
            }
            guard let digit = Lexer.hexValue(byte) else {
                advance()
                throw error("invalid hexadecimal digit in X'' literal", from: start, startByte: startByte)
            }
            advance()
            if let h = high {
                result.append(UInt8(h * 16 + digit))
                high = nil
            } else {
                high = digit
            }
        }
        if high != nil {
            throw error("invalid hexadecimal data: odd number of digits", from: start, startByte: startByte)
        }
        return result
    }

    /// Integers, decimals and exponents, kept as written. A number directly
    /// followed by an identifier character is an error ("trailing junk"), as
    /// in PostgreSQL 15+.
    private mutating func lexNumber(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> TokenKind {
        var isDecimal = false
        while Lexer.isDigit(peek()) { advance() }
        if peek() == UInt8(ascii: ".") && peek(1) != UInt8(ascii: ".") {
            isDecimal = true
            advance()
            while Lexer.isDigit(peek()) { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            if Lexer.isDigit(peek(1)) {
                isDecimal = true
                advance()
            } else if (peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")) && Lexer.isDigit(peek(2)) {
                isDecimal = true
                advance(2)
            }
            while Lexer.isDigit(peek()) { advance() }
        }
        if position < bytes.count && Lexer.isIdentifierStart(bytes[position]) {
            while position < bytes.count && Lexer.isIdentifierContinue(bytes[position]) { advance() }
            throw error("trailing junk after numeric literal", from: start, startByte: startByte)
        }
        let digits = text(startByte..<position)
        return isDecimal ? .decimal(digits) : .integer(digits)
    }

    /// `$1` parameters and `$$…$$` / `$tag$…$tag$` strings.
    private mutating func lexDollar(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> TokenKind {
        if Lexer.isDigit(peek(1)) {
            advance()
            var value = 0
            var overflow = false
            while Lexer.isDigit(peek()) {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int(peek() - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                value = plus
                advance()
            }
            if position < bytes.count && Lexer.isIdentifierStart(bytes[position]) {
                while position < bytes.count && Lexer.isIdentifierContinue(bytes[position]) { advance() }
                throw error("trailing junk after parameter", from: start, startByte: startByte)
            }
            if overflow || value == 0 || value > Int(Int32.max) {
                throw error("there is no parameter \(text(startByte + 1..<position))", from: start, startByte: startByte)
            }
            return .parameter(value)
        }
        // A dollar-quote opening delimiter: $ [tag] $ where tag is an identifier without $.
        var tagEnd = position + 1
        if tagEnd < bytes.count && Lexer.isIdentifierStart(bytes[tagEnd]) {
            while tagEnd < bytes.count && (Lexer.isIdentifierStart(bytes[tagEnd]) || Lexer.isDigit(bytes[tagEnd])) {
                tagEnd += 1
            }
        }
        guard tagEnd < bytes.count && bytes[tagEnd] == UInt8(ascii: "$") else {
            advance()
            throw error("syntax error", from: start, startByte: startByte)
        }
        let delimiter = bytes[position...tagEnd]
        advance(delimiter.count)
        let contentStart = position
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "$") && bytes.count - position >= delimiter.count
                && bytes[position..<position + delimiter.count].elementsEqual(delimiter) {
                let content = text(contentStart..<position)
                advance(delimiter.count)
                return .string(content)
            }
            advance()
        }
        throw SQLSyntaxError(message: "unterminated dollar-quoted string at or near \"\(text(startByte..<min(tagEnd + 1, bytes.count)))\"",
                             span: SourceSpan(start: start, end: location), found: text(startByte..<min(tagEnd + 1, bytes.count)))
    }

    private mutating func lexSymbol(start: SourceLocation, startByte: Int) throws(SQLSyntaxError) -> TokenKind {
        let byte = bytes[position]
        let next = peek(1)
        let symbol: Symbol
        var length = 1
        switch byte {
        case UInt8(ascii: "+"): symbol = .plus
        case UInt8(ascii: "-"): symbol = .minus
        case UInt8(ascii: "*"): symbol = .star
        case UInt8(ascii: "/"): symbol = .slash
        case UInt8(ascii: "%"): symbol = .percent
        case UInt8(ascii: "^"): symbol = .caret
        case UInt8(ascii: "|"):
            if next == UInt8(ascii: "|") { symbol = .concat; length = 2 } else { symbol = .pipe }
        case UInt8(ascii: "="): symbol = .equal
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { symbol = .lessOrEqual; length = 2 }
            else if next == UInt8(ascii: ">") { symbol = .notEqual; length = 2 }
            else { symbol = .less }
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { symbol = .greaterOrEqual; length = 2 } else { symbol = .greater }
        case UInt8(ascii: "!"):
            if next == UInt8(ascii: "=") { symbol = .notEqual; length = 2 }
            else if next == UInt8(ascii: "~") {
                if peek(2) == UInt8(ascii: "*") { symbol = .bangTildeStar; length = 3 } else { symbol = .bangTilde; length = 2 }
            } else {
                advance()
                throw error("syntax error", from: start, startByte: startByte)
            }
        case UInt8(ascii: ":"):
            if next == UInt8(ascii: ":") { symbol = .doubleColon; length = 2 } else { symbol = .colon }
        case UInt8(ascii: "~"):
            if next == UInt8(ascii: "*") { symbol = .tildeStar; length = 2 } else { symbol = .tilde }
        case UInt8(ascii: "&"): symbol = .ampersand
        case UInt8(ascii: "."): symbol = .dot
        case UInt8(ascii: ","): symbol = .comma
        case UInt8(ascii: ";"): symbol = .semicolon
        case UInt8(ascii: "("): symbol = .leftParen
        case UInt8(ascii: ")"): symbol = .rightParen
        case UInt8(ascii: "["): symbol = .leftBracket
        case UInt8(ascii: "]"): symbol = .rightBracket
        default:
            // One whole scalar, so the message quotes a readable character.
            advance()
            while position < bytes.count && bytes[position] & 0xC0 == 0x80 { advance() }
            throw error("syntax error", from: start, startByte: startByte)
        }
        advance(length)
        return .symbol(symbol)
    }
}
