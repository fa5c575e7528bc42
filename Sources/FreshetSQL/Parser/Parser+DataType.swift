/// Data types, normalised to canonical names so the planner matches one
/// spelling per type.
///
/// Canonical `DataTypeName.name`s:
///
/// | written | name |
/// |---|---|
/// | BOOLEAN, BOOL | BOOLEAN |
/// | TINYINT | TINYINT |
/// | SMALLINT, INT2 | SMALLINT |
/// | INTEGER, INT, INT4 | INTEGER |
/// | BIGINT, INT8 | BIGINT |
/// | REAL, FLOAT4, FLOAT(1…24) | REAL |
/// | DOUBLE [PRECISION], FLOAT8, FLOAT, FLOAT(25…53) | DOUBLE |
/// | DECIMAL, NUMERIC, DEC [(p [, s])] | DECIMAL (arguments p, s) |
/// | CHAR, CHARACTER [(n)] | CHAR (argument n) |
/// | VARCHAR, CHARACTER VARYING, CHAR VARYING [(n)] | VARCHAR (argument n) |
/// | TEXT | TEXT |
/// | VARBINARY [(n)], BYTEA, BINARY VARYING | BYTEA (argument n if written) |
/// | DATE | DATE |
/// | TIME [(p)] [WITHOUT TIME ZONE] | TIME |
/// | TIME [(p)] WITH TIME ZONE, TIMETZ | TIMETZ |
/// | TIMESTAMP [(p)] [WITHOUT TIME ZONE] | TIMESTAMP |
/// | TIMESTAMP [(p)] WITH TIME ZONE, TIMESTAMPTZ | TIMESTAMPTZ |
/// | INTERVAL [qualifier] | INTERVAL (with `intervalQualifier`) |
/// | any other name (JSON, UUID, REGCLASS, …) | the name in upper case (quoted names as written) |
///
/// A `pg_catalog.` prefix is dropped; another schema stays in the name
/// (`MYSCHEMA.T`). `[]` suffixes count in `arrayDimensions`.
extension Parser {
    /// data_type: type_name [ "(" integer { "," integer } ")" ] { "[" [ integer ] "]" }.
    mutating func parseDataType() throws(SQLSyntaxError) -> DataTypeName {
        let start = current.span.start
        var parts = [try parseTypeWord()]
        while currentIs(.dot) {
            advance()
            parts.append(try parseTypeWord())
        }
        if parts.count > 1 && parts[0].quoted == false && parts[0].value == "pg_catalog" {
            parts.removeFirst()
        }
        var type: DataTypeName
        if parts.count == 1 && !parts[0].quoted {
            type = try parseBuiltinType(parts[0].value)
        } else {
            type = DataTypeName(name: parts.map { $0.quoted ? $0.value : $0.value.uppercased() }.joined(separator: "."))
            if currentIs(.leftParen) { type.arguments = try parseTypeArguments() }
        }
        while consume(.leftBracket) {
            if case .integer = current.kind { advance() }
            try expect(.rightBracket)
            type.arrayDimensions += 1
        }
        type.span = span(from: start)
        return type
    }

    /// A word of a type name: any unquoted word (type names such as `int`,
    /// `char` or `time` are not reserved) or a quoted name.
    private mutating func parseTypeWord() throws(SQLSyntaxError) -> Identifier {
        switch current.kind {
        case .word, .quotedIdentifier: return try parseLabel()
        default: throw unexpected(expecting: "type name")
        }
    }

    /// Whether the current token is the unquoted word `text`.
    func isWord(_ text: String, ahead: Int = 0) -> Bool {
        if case .word(let word, _) = peek(ahead).kind { return word == text }
        return false
    }

    /// Takes the unquoted word `text` if it is next.
    mutating func consumeWord(_ text: String) -> Bool {
        if isWord(text) {
            advance()
            return true
        }
        noteExpected(text.uppercased())
        return false
    }

    /// The canonical type for a one-word (lower-case) type name, reading its
    /// arguments and multi-word continuations.
    private mutating func parseBuiltinType(_ word: String) throws(SQLSyntaxError) -> DataTypeName {
        switch word {
        case "boolean", "bool": return DataTypeName(name: "BOOLEAN")
        case "tinyint": return DataTypeName(name: "TINYINT")
        case "smallint", "int2": return DataTypeName(name: "SMALLINT")
        case "integer", "int", "int4": return DataTypeName(name: "INTEGER")
        case "bigint", "int8": return DataTypeName(name: "BIGINT")
        case "real", "float4": return DataTypeName(name: "REAL")
        case "double":
            _ = consumeWord("precision")
            return DataTypeName(name: "DOUBLE")
        case "float8": return DataTypeName(name: "DOUBLE")
        case "float":
            guard currentIs(.leftParen) else { return DataTypeName(name: "DOUBLE") }
            let argumentToken = peek(1)
            let arguments = try parseTypeArguments()
            guard arguments.count == 1, (1...53).contains(arguments[0]) else {
                throw error("precision for type float must be between 1 and 53 bits", at: argumentToken)
            }
            return DataTypeName(name: arguments[0] <= 24 ? "REAL" : "DOUBLE")
        case "decimal", "numeric", "dec":
            return DataTypeName(name: "DECIMAL", arguments: try parseOptionalTypeArguments())
        case "char", "character":
            if consumeWord("varying") {
                return DataTypeName(name: "VARCHAR", arguments: try parseOptionalTypeArguments())
            }
            return DataTypeName(name: "CHAR", arguments: try parseOptionalTypeArguments())
        case "varchar":
            return DataTypeName(name: "VARCHAR", arguments: try parseOptionalTypeArguments())
        case "text": return DataTypeName(name: "TEXT")
        case "varbinary":
            return DataTypeName(name: "BYTEA", arguments: try parseOptionalTypeArguments())
        case "binary" where isWord("varying"):
            advance()
            return DataTypeName(name: "BYTEA", arguments: try parseOptionalTypeArguments())
        case "bytea": return DataTypeName(name: "BYTEA", arguments: try parseOptionalTypeArguments())
        case "date": return DataTypeName(name: "DATE")
        case "time", "timestamp":
            let arguments = try parseOptionalTypeArguments()
            let base = word == "time" ? "TIME" : "TIMESTAMP"
            if isKeyword(.with) && isKeyword(.time, ahead: 1) && isKeyword(.zone, ahead: 2) {
                advance(); advance(); advance()
                return DataTypeName(name: base == "TIME" ? "TIMETZ" : "TIMESTAMPTZ", arguments: arguments)
            }
            if isWord("without") && isKeyword(.time, ahead: 1) && isKeyword(.zone, ahead: 2) {
                advance(); advance(); advance()
            }
            return DataTypeName(name: base, arguments: arguments)
        case "timetz": return DataTypeName(name: "TIMETZ", arguments: try parseOptionalTypeArguments())
        case "timestamptz": return DataTypeName(name: "TIMESTAMPTZ", arguments: try parseOptionalTypeArguments())
        case "interval":
            var type = DataTypeName(name: "INTERVAL")
            type.intervalQualifier = try parseOptionalIntervalQualifier()
            if type.intervalQualifier == nil && currentIs(.leftParen) {
                type.arguments = try parseTypeArguments()
            }
            return type
        default:
            return DataTypeName(name: word.uppercased(), arguments: try parseOptionalTypeArguments())
        }
    }

    private mutating func parseOptionalTypeArguments() throws(SQLSyntaxError) -> [Int] {
        currentIs(.leftParen) ? try parseTypeArguments() : []
    }

    /// "(" integer { "," integer } ")", each fitting in Int.
    mutating func parseTypeArguments() throws(SQLSyntaxError) -> [Int] {
        try expect(.leftParen)
        var arguments = [try parseSmallInteger()]
        while consume(.comma) { arguments.append(try parseSmallInteger()) }
        try expect(.rightParen)
        return arguments
    }

    /// An integer literal that fits in Int32 (type lengths, precisions).
    mutating func parseSmallInteger() throws(SQLSyntaxError) -> Int {
        let token = current
        guard case .integer(let digits) = token.kind else { throw unexpected(expecting: "integer") }
        guard let value = Int32(digits) else { throw error("integer \(digits) is out of range", at: token) }
        advance()
        return Int(value)
    }

    /// interval_qualifier: interval_unit [ "(" integer [ "," integer ] ")" ]
    ///   [ "TO" interval_unit [ "(" integer ")" ] ].
    mutating func parseOptionalIntervalQualifier() throws(SQLSyntaxError) -> IntervalQualifier? {
        guard let unit = intervalUnit(current) else { return nil }
        advance()
        var qualifier = IntervalQualifier(start: unit)
        if currentIs(.leftParen) {
            let arguments = try parseTypeArguments()
            qualifier.startPrecision = arguments[0]
            if arguments.count == 2 {
                qualifier.fractionalPrecision = arguments[1]
            } else if arguments.count > 2 {
                throw error("too many precisions for an interval unit")
            }
        }
        if isKeyword(.to), let end = intervalUnit(peek(1)) {
            advance()
            advance()
            qualifier.end = end
            if currentIs(.leftParen) {
                let arguments = try parseTypeArguments()
                if arguments.count != 1 { throw error("an interval end unit takes one precision") }
                qualifier.fractionalPrecision = arguments[0]
            }
        }
        return qualifier
    }

    /// The interval unit a token spells (YEAR … SECOND).
    func intervalUnit(_ token: Token) -> IntervalQualifier.Unit? {
        switch token.kind.keyword {
        case .year?: return .year
        case .month?: return .month
        case .day?: return .day
        case .hour?: return .hour
        case .minute?: return .minute
        case .second?: return .second
        default: return nil
        }
    }
}
