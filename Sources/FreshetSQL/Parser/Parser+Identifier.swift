/// Names: identifiers, labels, qualified names, aliases.
///
/// PostgreSQL distinguishes an *identifier* (an unquoted non-reserved word or
/// a quoted name) from a *label* (any word, reserved ones included), accepted
/// after `AS`, after a dot and as an option name. grammar: `identifier`,
/// `label`, `object_name`.
extension Parser {
    /// Whether the current token can be read as an identifier.
    var currentIsIdentifier: Bool {
        switch current.kind {
        case .word(_, let keyword): return keyword.map { !$0.isReserved } ?? true
        case .quotedIdentifier: return true
        default: return false
        }
    }

    /// identifier: an unquoted non-reserved word (folded to lower case) or a "quoted" name.
    mutating func parseIdentifier() throws(SQLSyntaxError) -> Identifier {
        let token = current
        switch token.kind {
        case .word(let text, let keyword) where keyword.map({ !$0.isReserved }) ?? true:
            advance()
            return Identifier(text, quoted: false, span: token.span)
        case .quotedIdentifier(let text):
            advance()
            return Identifier(text, quoted: true, span: token.span)
        default:
            throw unexpected(expecting: "identifier")
        }
    }

    /// label: any word, reserved keywords included, or a "quoted" name.
    mutating func parseLabel() throws(SQLSyntaxError) -> Identifier {
        let token = current
        switch token.kind {
        case .word(let text, _):
            advance()
            return Identifier(text, quoted: false, span: token.span)
        case .quotedIdentifier(let text):
            advance()
            return Identifier(text, quoted: true, span: token.span)
        default:
            throw unexpected(expecting: "identifier")
        }
    }

    /// object_name: identifier { "." label }.
    mutating func parseObjectName() throws(SQLSyntaxError) -> ObjectName {
        var parts = [try parseIdentifier()]
        while currentIs(.dot) {
            advance()
            parts.append(try parseLabel())
        }
        return ObjectName(parts)
    }

    /// "(" identifier { "," identifier } ")".
    mutating func parseParenthesizedIdentifiers() throws(SQLSyntaxError) -> [Identifier] {
        try expect(.leftParen)
        var names = [try parseIdentifier()]
        while consume(.comma) { names.append(try parseIdentifier()) }
        try expect(.rightParen)
        return names
    }

    /// Unreserved keywords that may not be a bare (AS-less) alias, because a
    /// clause can follow a table or select item with them: `FROM s START AT …`,
    /// `FROM s OVER (…)`, `FROM s WINDOWED BY STAGGER (…)`.
    static func canBeBareAlias(_ keyword: Keyword?) -> Bool {
        guard let keyword else { return true }
        if keyword.isReserved { return false }
        switch keyword {
        case .start, .over, .windowed: return false
        default: return true
        }
    }

    /// alias: [ "AS" ] label — a label after AS, an identifier (not one of the
    /// clause words above) without it.
    mutating func parseOptionalAlias() throws(SQLSyntaxError) -> Identifier? {
        if consume(.as) { return try parseLabel() }
        switch current.kind {
        case .word(_, let keyword) where Parser.canBeBareAlias(keyword):
            return try parseIdentifier()
        case .quotedIdentifier:
            return try parseIdentifier()
        default:
            noteExpected("alias")
            return nil
        }
    }

    /// table_alias: [ "AS" ] label [ "(" identifier { "," identifier } ")" ].
    mutating func parseOptionalTableAlias() throws(SQLSyntaxError) -> TableAlias? {
        guard let name = try parseOptionalAlias() else { return nil }
        var columns: [Identifier] = []
        if currentIs(.leftParen) { columns = try parseParenthesizedIdentifiers() }
        return TableAlias(name: name, columns: columns)
    }
}
