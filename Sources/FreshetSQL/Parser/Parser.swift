/// The hand-written recursive-descent SQL parser: a cursor over the lexer's
/// tokens, with one `parseX` function per production of grammar/freshet.ebnf
/// (split by statement family into `Parser+*.swift`) and a Pratt loop for
/// expressions (`Parser+Expression.swift`, table in `Precedence.swift`).
///
/// Conventions (after datafusion-sqlparser-rs):
/// - `consume(_:)` takes a token if it is there and says whether it did (its
///   result must be used); `expect(_:)` takes it or throws.
/// - Backtracking happens only in `parseTableFactor` ("((" opens a query or
///   a join), with failed attempts remembered so it stays linear.
/// - Every failed `consume` notes what was wanted at that token, so an error
///   can list what would have been accepted ("expected one of: …").
/// - Nesting is limited (`maximumDepth`): deep input fails with "statement is
///   nested too deeply" instead of overflowing the stack.
/// - Nothing traps on any input: numbers stay text, integers the grammar
///   needs (type lengths) are converted with overflow checks.
public struct Parser: Sendable {
    var tokens: [Token]
    let source: [UInt8]
    var index = 0
    var depth = 0
    /// The token index at which `expectations` were noted (the furthest reached).
    var expectationIndex = -1
    var expectations: [String] = []
    /// Token indexes where "(" query ")" was tried as a table factor and failed
    /// (see parseTableFactor).
    var failedParenthesizedQueries: Set<Int> = []

    /// How deeply expressions, queries and table references may nest.
    static let maximumDepth = 200

    init(_ sql: String) throws(SQLSyntaxError) {
        tokens = try Lexer.tokenize(sql)
        source = Array(sql.utf8)
    }

    // MARK: - Entry points

    /// Parses a query string: statements separated by `;`. Empty statements
    /// are skipped (`""` and `";;"` give `[]`). Each statement's span covers its
    /// own text, from its first token to its last (the `;` excluded), in
    /// Unicode scalars.
    public static func parseStatements(_ sql: String) throws(SQLSyntaxError) -> [Statement] {
        var parser = try Parser(sql)
        var statements: [Statement] = []
        while true {
            while parser.currentIs(.semicolon) { parser.advance() }
            if parser.atEnd { return statements }
            statements.append(try parser.parseSpannedStatement())
            if parser.atEnd { return statements }
            if !parser.consume(.semicolon) {
                throw parser.unexpected(expecting: "end of input")
            }
        }
    }

    /// Parses exactly one statement (a trailing `;` is allowed).
    public static func parseStatement(_ sql: String) throws(SQLSyntaxError) -> Statement {
        var parser = try Parser(sql)
        while parser.currentIs(.semicolon) { parser.advance() }
        if parser.atEnd {
            throw parser.unexpected(expecting: "statement")
        }
        let statement = try parser.parseSpannedStatement()
        while parser.consume(.semicolon) {}
        guard parser.atEnd else {
            parser.noteExpected("end of input")
            throw parser.unexpected()
        }
        return statement
    }

    /// Parses one expression (the whole text).
    public static func parseExpression(_ sql: String) throws(SQLSyntaxError) -> Expression {
        var parser = try Parser(sql)
        let expression = try parser.parseExpression()
        guard parser.atEnd else {
            parser.noteExpected("end of input")
            throw parser.unexpected()
        }
        return expression
    }

    /// Parses one data type (`VARCHAR(64)`, `DOUBLE PRECISION`, `INTERVAL DAY TO SECOND`).
    public static func parseDataType(_ sql: String) throws(SQLSyntaxError) -> DataTypeName {
        var parser = try Parser(sql)
        let type = try parser.parseDataType()
        guard parser.atEnd else {
            parser.noteExpected("end of input")
            throw parser.unexpected()
        }
        return type
    }

    mutating func parseSpannedStatement() throws(SQLSyntaxError) -> Statement {
        let start = current.span.start
        var statement = try parseStatement()
        statement.span = SourceSpan(start: start, end: previousEnd)
        return statement
    }

    // MARK: - Cursor

    var current: Token { tokens[index] }

    /// The token `ahead` positions on (the end-of-input token past the end).
    func peek(_ ahead: Int = 0) -> Token {
        let i = index + ahead
        return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
    }

    var atEnd: Bool {
        if case .endOfInput = current.kind { return true }
        return false
    }

    /// Moves past the current token (never past the end-of-input token).
    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Where the last consumed token ended.
    var previousEnd: SourceLocation {
        index > 0 ? tokens[index - 1].span.end : current.span.start
    }

    /// A span from `start` to the end of the last consumed token.
    func span(from start: SourceLocation) -> SourceSpan {
        SourceSpan(start: start, end: max(start, previousEnd))
    }

    func isKeyword(_ keyword: Keyword, ahead: Int = 0) -> Bool {
        peek(ahead).kind.keyword == keyword
    }

    func currentIs(_ symbol: Symbol, ahead: Int = 0) -> Bool {
        if case .symbol(let s) = peek(ahead).kind { return s == symbol }
        return false
    }

    var currentIsString: Bool {
        if case .string = current.kind { return true }
        return false
    }

    /// Takes `keyword` if it is next.
    mutating func consume(_ keyword: Keyword) -> Bool {
        if current.kind.keyword == keyword {
            advance()
            return true
        }
        noteExpected(keyword.rawValue)
        return false
    }

    /// Takes `symbol` if it is next.
    mutating func consume(_ symbol: Symbol) -> Bool {
        if currentIs(symbol) {
            advance()
            return true
        }
        noteExpected("\"\(symbol.rawValue)\"")
        return false
    }

    /// Takes the keywords if they are all next, else nothing.
    mutating func consume(_ first: Keyword, _ second: Keyword, _ rest: Keyword...) -> Bool {
        let sequence = [first, second] + rest
        for (i, keyword) in sequence.enumerated() where peek(i).kind.keyword != keyword {
            if i == 0 { noteExpected(first.rawValue) }
            return false
        }
        for _ in sequence { advance() }
        return true
    }

    mutating func expect(_ keyword: Keyword) throws(SQLSyntaxError) {
        if !consume(keyword) { throw unexpected() }
    }

    mutating func expect(_ symbol: Symbol) throws(SQLSyntaxError) {
        if !consume(symbol) { throw unexpected() }
    }

    /// Counts one level of nesting; pair with `defer { leaveNesting() }`.
    mutating func enterNesting() throws(SQLSyntaxError) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw SQLSyntaxError(message: "statement is nested too deeply (more than \(Parser.maximumDepth) levels)",
                                 span: current.span, found: tokenText(current))
        }
    }

    mutating func leaveNesting() {
        depth -= 1
    }

    // MARK: - Errors

    /// Notes that `what` would have been accepted at the current token.
    mutating func noteExpected(_ what: String) {
        if index > expectationIndex {
            expectationIndex = index
            expectations.removeAll(keepingCapacity: true)
        }
        if index == expectationIndex && !expectations.contains(what) {
            expectations.append(what)
        }
    }

    func tokenText(_ token: Token) -> String {
        let range = token.utf8Range.clamped(to: 0..<source.count)
        return String(decoding: source[range], as: UTF8.self)
    }

    /// `syntax error at or near "<current token>"` (or `at end of input`), with
    /// everything noted as expected at this token plus `expecting`.
    mutating func unexpected(expecting: String...) -> SQLSyntaxError {
        for what in expecting { noteExpected(what) }
        let token = current
        let found = tokenText(token)
        let message: String
        if case .endOfInput = token.kind {
            message = "syntax error at end of input"
        } else {
            message = "syntax error at or near \"\(found)\""
        }
        return SQLSyntaxError(message: message, span: token.span,
                              expected: expectationIndex == index ? expectations : [], found: found)
    }

    /// An error with its own message at the current token.
    func error(_ message: String) -> SQLSyntaxError {
        SQLSyntaxError(message: message, span: current.span, found: tokenText(current))
    }

    /// An error with its own message at `token`.
    func error(_ message: String, at token: Token) -> SQLSyntaxError {
        SQLSyntaxError(message: message, span: token.span, found: tokenText(token))
    }
}
