/// COPY (PostgreSQL's COPY as psql's `\copy` sends it:
/// https://www.postgresql.org/docs/current/sql-copy.html).
///
/// Both option syntaxes are read into `Copy.options`: the modern
/// `WITH (FORMAT csv, HEADER true, DELIMITER ',')` and the pre-9.0 one psql
/// still passes through (`WITH CSV HEADER`, `DELIMITER ','`, `BINARY`), which
/// is normalised to the modern names: `CSV` → `format 'csv'`, `BINARY` →
/// `format 'binary'`, `HEADER` → `header` (no value), `DELIMITER [AS] 'x'` →
/// `delimiter 'x'`, `NULL [AS] 'x'` → `null 'x'`, likewise QUOTE, ESCAPE, ENCODING.
extension Parser {
    /// copy: "COPY" ( object_name [ "(" identifier { "," identifier } ")" ] | "(" query ")" )
    ///   ( "FROM" ( "STDIN" | string ) | "TO" ( "STDOUT" | string ) ) [ copy_options ].
    mutating func parseCopy() throws(SQLSyntaxError) -> Copy {
        try expect(.copy)
        let source: Copy.Source
        let sourceToken = current
        if consume(.leftParen) {
            let query = try parseQuery()
            try expect(.rightParen)
            source = .query(query)
        } else {
            let name = try parseObjectName()
            var columns: [Identifier] = []
            if currentIs(.leftParen) { columns = try parseParenthesizedIdentifiers() }
            source = .table(name, columns: columns)
        }
        let direction: Copy.Direction
        let endpoint: Copy.Endpoint
        if consume(.from) {
            if case .query = source {
                throw error("COPY FROM needs a table or stream, not a query", at: sourceToken)
            }
            direction = .from
            if consume(.stdin) {
                endpoint = .stdin
            } else if case .string(let path) = current.kind {
                advance()
                endpoint = .file(path)
            } else {
                throw unexpected(expecting: "string")
            }
        } else if consume(.to) {
            direction = .to
            if consume(.stdout) {
                endpoint = .stdout
            } else if case .string(let path) = current.kind {
                advance()
                endpoint = .file(path)
            } else {
                throw unexpected(expecting: "string")
            }
        } else {
            throw unexpected()
        }
        return Copy(source: source, direction: direction, endpoint: endpoint, options: try parseCopyOptions())
    }

    /// copy_options: "WITH" option_list | [ "WITH" ] legacy_copy_option { legacy_copy_option }.
    mutating func parseCopyOptions() throws(SQLSyntaxError) -> [OptionAssignment] {
        let hasWith = consume(.with)
        if currentIs(.leftParen) { return try parseOptionList() }
        var options: [OptionAssignment] = []
        while let option = try parseLegacyCopyOption() { options.append(option) }
        if hasWith && options.isEmpty { throw unexpected(expecting: "\"(\"") }
        return options
    }

    /// legacy_copy_option: "BINARY" | "CSV" | "HEADER" | ( "DELIMITER" | "NULL" | "QUOTE" | "ESCAPE" | "ENCODING" ) [ "AS" ] string.
    mutating func parseLegacyCopyOption() throws(SQLSyntaxError) -> OptionAssignment? {
        let token = current
        func name(_ text: String) -> Identifier { Identifier(text, span: token.span) }
        func string(_ text: String) -> Expression { Expression(.literal(.string(text)), span: token.span) }
        if consume(.binary) { return OptionAssignment(name: name("format"), value: string("binary")) }
        if consume(.csv) { return OptionAssignment(name: name("format"), value: string("csv")) }
        if consume(.header) { return OptionAssignment(name: name("header"), value: nil) }
        let key: String
        if consume(.delimiter) {
            key = "delimiter"
        } else if consume(.null) {
            key = "null"
        } else if consume(.quote) {
            key = "quote"
        } else if consume(.escape) {
            key = "escape"
        } else if consume(.encoding) {
            key = "encoding"
        } else {
            return nil
        }
        _ = consume(.as)
        let valueToken = current
        let value = try parseStringLiteral()
        return OptionAssignment(name: name(key), value: Expression(.literal(.string(value)), span: valueToken.span))
    }
}
