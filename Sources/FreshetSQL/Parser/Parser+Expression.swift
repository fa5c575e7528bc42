/// Expressions: a Pratt parser (`parsePrefix`, then `parseInfix` while the
/// next operator binds more tightly than the current minimum; the binding
/// powers are the one table in `Precedence.swift`).
///
/// Normalisations (the AST keeps one shape per meaning):
/// - `NOT EXISTS (…)` → `.exists(…, negated: true)`.
/// - `SUBSTRING`, `POSITION`, `TRIM`, `OVERLAY` (unqualified, either syntax) →
///   `.specialFunction` with the arguments in PostgreSQL's function order:
///   `substring(s, from [, for])` (`SUBSTRING(s FOR n)` gets from = 1),
///   `position(haystack, needle)` for `POSITION(needle IN haystack)`,
///   `btrim|ltrim|rtrim(s [, characters])` for `TRIM([BOTH|LEADING|TRAILING] [c] FROM s)`,
///   `overlay(s, replacement, from [, for])`.
/// - `CEILING(x TO u)` → `.floorCeilTo(ceil: true)`; `FETCH FIRST n ROWS ONLY` → `limit`.
/// - `CURRENT_TIMESTAMP`, `CURRENT_DATE`, `LOCALTIMESTAMP`, `CURRENT_USER`, … →
///   calls with no arguments (`CURRENT_TIMESTAMP(3)` → one argument).
/// - `OPERATOR(pg_catalog.~)` → the plain operator (parsed at "other operator" precedence).
/// - `type 'text'` (`TIMESTAMP '…'`, `DATE '…'`, `INT '1'`) → `.literal(.typed(type, text))`.
/// - Unary minus stays an operator: `-1` is `.unary(.minus, 1)`; the planner folds it.
extension Parser {
    /// expression: the full grammar, lowest precedence first.
    mutating func parseExpression() throws(SQLSyntaxError) -> Expression {
        try parseSubexpression(.lowest)
    }

    /// The Pratt loop: a prefix expression, then infix/postfix operators that
    /// bind more tightly than `minimum`.
    mutating func parseSubexpression(_ minimum: Precedence) throws(SQLSyntaxError) -> Expression {
        try enterNesting()
        defer { leaveNesting() }
        var left = try parsePrefix()
        while true {
            let next = nextPrecedence()
            if next <= minimum { break }
            left = try parseInfix(left, precedence: next)
        }
        return left
    }

    /// The binding power of the operator at the cursor (`.lowest` if none).
    func nextPrecedence() -> Precedence {
        switch current.kind {
        case .symbol(let symbol):
            switch symbol {
            case .doubleColon: return .cast
            case .leftBracket: return .subscript
            default:
                if let op = Precedence.binaryOperator(symbol) { return Precedence.of(op) }
                return .lowest
            }
        case .word(_, let keyword?):
            switch keyword {
            case .or: return .or
            case .and: return .and
            case .is, .isnull, .notnull: return .is
            case .like, .ilike, .similar, .between, .in: return .like
            case .not:
                switch peek(1).kind.keyword {
                case .like?, .ilike?, .similar?, .between?, .in?: return .like
                default: return .lowest
                }
            case .collate: return .collate
            case .at: return isKeyword(.time, ahead: 1) && isKeyword(.zone, ahead: 2) ? .atTimeZone : .lowest
            case .operator: return currentIs(.leftParen, ahead: 1) ? .other : .lowest
            default: return .lowest
            }
        default:
            return .lowest
        }
    }

    // MARK: - Infix and postfix

    mutating func parseInfix(_ left: Expression, precedence: Precedence) throws(SQLSyntaxError) -> Expression {
        let start = left.span.start
        let token = current
        switch token.kind {
        case .symbol(.doubleColon):
            advance()
            let type = try parseDataType()
            return Expression(.cast(left, type, syntax: .doubleColon), span: span(from: start))
        case .symbol(.leftBracket):
            advance()
            let subscriptIndex = try parseExpression()
            try expect(.rightBracket)
            return Expression(.subscript(left, subscriptIndex), span: span(from: start))
        case .symbol(let symbol):
            guard let op = Precedence.binaryOperator(symbol) else { throw unexpected() }
            advance()
            if let quantified = try parseOptionalQuantified(left, op) { return quantified }
            let right = try parseSubexpression(precedence)
            return Expression(.binary(op, left, right), span: span(from: start))
        case .word(_, let keyword?):
            switch keyword {
            case .or, .and:
                advance()
                let right = try parseSubexpression(precedence)
                return Expression(.binary(keyword == .or ? .or : .and, left, right), span: span(from: start))
            case .is:
                return try parseIs(left)
            case .isnull, .notnull:
                advance()
                return Expression(.isNull(left, negated: keyword == .notnull), span: span(from: start))
            case .not:
                advance()
                return try parseNegatablePredicate(left, negated: true)
            case .like, .ilike, .similar, .between, .in:
                return try parseNegatablePredicate(left, negated: false)
            case .collate:
                advance()
                let collation = try parseObjectName()
                return Expression(.collate(left, collation), span: span(from: start))
            case .at:
                advance()
                advance()
                advance()
                let zone = try parseSubexpression(precedence)
                return Expression(.atTimeZone(left, zone: zone), span: span(from: start))
            case .operator:
                let op = try parseOperatorSyntax()
                if let quantified = try parseOptionalQuantified(left, op) { return quantified }
                let right = try parseSubexpression(precedence)
                return Expression(.binary(op, left, right), span: span(from: start))
            default:
                throw unexpected()
            }
        default:
            throw unexpected()
        }
    }

    /// quantified: comparison_operator ( "ANY" | "SOME" | "ALL" ) "(" ( query | expression ) ")",
    /// after the left operand and the operator. Only comparison and regex-match
    /// operators take a quantifier (`a || any(b)` stays a call of the aggregate ANY).
    private mutating func parseOptionalQuantified(_ left: Expression, _ op: BinaryOperator) throws(SQLSyntaxError) -> Expression? {
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
             .regexMatch, .regexIMatch, .regexNotMatch, .regexNotIMatch:
            break
        default:
            return nil
        }
        let quantifier: Quantifier
        switch current.kind.keyword {
        case .any?, .some?: quantifier = .any
        case .all?: quantifier = .all
        default: return nil
        }
        guard currentIs(.leftParen, ahead: 1) else { return nil }
        let start = left.span.start
        advance()
        advance()
        if startsQuery() {
            let query = try parseQuery()
            try expect(.rightParen)
            return Expression(.quantifiedSubquery(left, op, quantifier, query), span: span(from: start))
        }
        let operand = try parseExpression()
        try expect(.rightParen)
        return Expression(.quantified(left, op, quantifier, operand), span: span(from: start))
    }

    /// is_predicate: "IS" [ "NOT" ] ( "NULL" | "TRUE" | "FALSE" | "UNKNOWN" | "DISTINCT" "FROM" expression ).
    private mutating func parseIs(_ left: Expression) throws(SQLSyntaxError) -> Expression {
        let start = left.span.start
        try expect(.is)
        let negated = consume(.not)
        let kind: ExpressionKind
        if consume(.null) {
            kind = .isNull(left, negated: negated)
        } else if consume(.true) {
            kind = .isBoolean(left, value: true, negated: negated)
        } else if consume(.false) {
            kind = .isBoolean(left, value: false, negated: negated)
        } else if consume(.unknown) {
            kind = .isBoolean(left, value: nil, negated: negated)
        } else if consume(.distinct) {
            try expect(.from)
            let right = try parseSubexpression(.is)
            kind = .binary(negated ? .isNotDistinctFrom : .isDistinctFrom, left, right)
        } else {
            throw unexpected()
        }
        return Expression(kind, span: span(from: start))
    }

    /// [ "NOT" ] ( like_predicate | between_predicate | in_predicate ), after the operand.
    /// like_predicate: ( "LIKE" | "ILIKE" | "SIMILAR" "TO" ) expression [ "ESCAPE" expression ].
    /// between_predicate: "BETWEEN" expression "AND" expression.
    /// in_predicate: "IN" "(" ( query | expression { "," expression } ) ")".
    private mutating func parseNegatablePredicate(_ left: Expression, negated: Bool) throws(SQLSyntaxError) -> Expression {
        let start = left.span.start
        let likeKind: LikeKind
        if consume(.like) {
            likeKind = .like
        } else if consume(.ilike) {
            likeKind = .ilike
        } else if consume(.similar) {
            try expect(.to)
            likeKind = .similarTo
        } else if consume(.between) {
            let low = try parseSubexpression(.like)
            try expect(.and)
            let high = try parseSubexpression(.like)
            return Expression(.between(left, low: low, high: high, negated: negated), span: span(from: start))
        } else if consume(.in) {
            try expect(.leftParen)
            if startsQuery() {
                let query = try parseQuery()
                try expect(.rightParen)
                return Expression(.inSubquery(left, query, negated: negated), span: span(from: start))
            }
            let list = try parseExpressionList()
            try expect(.rightParen)
            return Expression(.inList(left, list, negated: negated), span: span(from: start))
        } else {
            throw unexpected()
        }
        let pattern = try parseSubexpression(.like)
        var escape: Expression?
        if consume(.escape) { escape = try parseSubexpression(.like) }
        return Expression(.like(left, pattern: pattern, escape: escape, kind: likeKind, negated: negated),
                          span: span(from: start))
    }

    /// operator_syntax: "OPERATOR" "(" { label "." } operator ")" — PostgreSQL's
    /// schema-qualified operator, as psql writes `OPERATOR(pg_catalog.~)`.
    private mutating func parseOperatorSyntax() throws(SQLSyntaxError) -> BinaryOperator {
        try expect(.operator)
        try expect(.leftParen)
        while case .word = current.kind, currentIs(.dot, ahead: 1) {
            advance()
            advance()
        }
        guard case .symbol(let symbol) = current.kind, let op = Precedence.binaryOperator(symbol) else {
            throw unexpected(expecting: "operator")
        }
        advance()
        try expect(.rightParen)
        return op
    }

    /// expression { "," expression }.
    mutating func parseExpressionList() throws(SQLSyntaxError) -> [Expression] {
        var list = [try parseExpression()]
        while consume(.comma) { list.append(try parseExpression()) }
        return list
    }

    // MARK: - Prefix

    /// primary: literal | parameter | name | function_call | "(" … ")" | prefix operator expression | CASE | CAST | … .
    mutating func parsePrefix() throws(SQLSyntaxError) -> Expression {
        let token = current
        let start = token.span.start
        switch token.kind {
        case .integer(let digits):
            advance()
            return Expression(.literal(.integer(digits)), span: token.span)
        case .decimal(let digits):
            advance()
            return Expression(.literal(.decimal(digits)), span: token.span)
        case .string(let value):
            advance()
            return Expression(.literal(.string(value)), span: token.span)
        case .bytes(let value):
            advance()
            return Expression(.literal(.bytes(value)), span: token.span)
        case .parameter(let number):
            advance()
            return Expression(.parameter(number), span: token.span)
        case .symbol(.leftParen):
            return try parseParenthesizedExpression()
        case .symbol(.minus), .symbol(.plus), .symbol(.tilde):
            advance()
            let operand = try parseSubexpression(.unary)
            let op: UnaryOperator
            switch token.kind {
            case .symbol(.minus): op = .minus
            case .symbol(.plus): op = .plus
            default: op = .bitwiseNot
            }
            return Expression(.unary(op, operand), span: span(from: start))
        case .word(let text, let keyword):
            return try parseWordPrefix(text, keyword)
        case .quotedIdentifier:
            // `"MyType" 'text'` is a typed literal, as in PostgreSQL (the printer
            // writes a type name it must quote this way).
            if isStringToken(ahead: 1) {
                let type = try parseDataType()
                let value = try parseStringLiteral()
                return Expression(.literal(.typed(type, value)), span: span(from: start))
            }
            return try parseNameExpression()
        default:
            throw unexpected(expecting: "expression")
        }
    }

    /// The keyword-led and name-led primaries.
    private mutating func parseWordPrefix(_ text: String, _ keyword: Keyword?) throws(SQLSyntaxError) -> Expression {
        let token = current
        let start = token.span.start
        switch keyword {
        case .null?:
            advance()
            return Expression(.literal(.null), span: token.span)
        case .true?, .false?:
            advance()
            return Expression(.literal(.boolean(keyword == .true)), span: token.span)
        case .not?:
            advance()
            let operand = try parseSubexpression(.not)
            if case .exists(let query, negated: false) = operand.kind {
                return Expression(.exists(query, negated: true), span: span(from: start))
            }
            return Expression(.unary(.not, operand), span: span(from: start))
        case .case?:
            return try parseCase()
        case .cast?:
            advance()
            try expect(.leftParen)
            let operand = try parseExpression()
            try expect(.as)
            let type = try parseDataType()
            try expect(.rightParen)
            return Expression(.cast(operand, type, syntax: .cast), span: span(from: start))
        case .exists?:
            advance()
            try expect(.leftParen)
            let query = try parseQuery()
            try expect(.rightParen)
            return Expression(.exists(query, negated: false), span: span(from: start))
        case .array? where currentIs(.leftParen, ahead: 1):
            advance()
            advance()
            let query = try parseQuery()
            try expect(.rightParen)
            return Expression(.arraySubquery(query), span: span(from: start))
        case .cursor? where currentIs(.leftParen, ahead: 1) && startsQuery(ahead: 2):
            advance()
            advance()
            let query = try parseQuery()
            try expect(.rightParen)
            return Expression(.cursor(query), span: span(from: start))
        case .array?:
            advance()
            try expect(.leftBracket)
            var elements: [Expression] = []
            if !currentIs(.rightBracket) { elements = try parseExpressionList() }
            try expect(.rightBracket)
            return Expression(.array(elements), span: span(from: start))
        case .interval? where isStringToken(ahead: 1):
            advance()
            let value = try parseStringLiteral()
            let qualifier = try parseOptionalIntervalQualifier()
            return Expression(.literal(.interval(value, qualifier)), span: span(from: start))
        case .row? where currentIs(.leftParen, ahead: 1):
            advance()
            advance()
            var elements: [Expression] = []
            if !currentIs(.rightParen) { elements = try parseExpressionList() }
            try expect(.rightParen)
            return Expression(.row(elements), span: span(from: start))
        case .currentDate?, .currentTime?, .currentTimestamp?, .localtime?, .localtimestamp?,
             .currentUser?, .sessionUser?, .user?, .currentRole?, .currentCatalog?, .currentSchema?,
             .currentRowTimestamp?:
            advance()
            var arguments: [Expression] = []
            if consume(.leftParen) {
                if !currentIs(.rightParen) { arguments = try parseExpressionList() }
                try expect(.rightParen)
            }
            let name = ObjectName([Identifier(text, span: token.span)])
            return Expression(.function(FunctionCall(name: name, arguments: arguments)), span: span(from: start))
        case .left? where currentIs(.leftParen, ahead: 1), .right? where currentIs(.leftParen, ahead: 1):
            // LEFT and RIGHT are reserved (joins) but are also string functions.
            advance()
            let name = ObjectName([Identifier(text, span: token.span)])
            return try parseFunction(name: name, start: start)
        case let reserved? where reserved.isReserved:
            throw unexpected(expecting: "expression")
        default:
            if isTypedLiteralAhead(text) {
                let type = try parseDataType()
                let value = try parseStringLiteral()
                return Expression(.literal(.typed(type, value)), span: span(from: start))
            }
            return try parseNameExpression()
        }
    }

    private func isStringToken(ahead: Int) -> Bool {
        if case .string = peek(ahead).kind { return true }
        return false
    }

    /// `type 'text'`: a word directly followed by a string, or
    /// `TIME[STAMP] WITH[OUT] TIME ZONE 'text'`.
    private func isTypedLiteralAhead(_ word: String) -> Bool {
        if isStringToken(ahead: 1) { return true }
        if word == "time" || word == "timestamp" {
            if (isKeyword(.with, ahead: 1) || isWord("without", ahead: 1)) && isKeyword(.time, ahead: 2)
                && isKeyword(.zone, ahead: 3) && isStringToken(ahead: 4) {
                return true
            }
        }
        return false
    }

    /// "(" query ")" (a scalar subquery), "(" expression ")", or "(" expression "," … ")" (a row).
    private mutating func parseParenthesizedExpression() throws(SQLSyntaxError) -> Expression {
        let start = current.span.start
        try expect(.leftParen)
        if startsQuery() {
            let query = try parseQuery()
            try expect(.rightParen)
            return Expression(.scalarSubquery(query), span: span(from: start))
        }
        let first = try parseExpression()
        if consume(.comma) {
            var elements = [first]
            elements.append(contentsOf: try parseExpressionList())
            try expect(.rightParen)
            return Expression(.row(elements), span: span(from: start))
        }
        try expect(.rightParen)
        // The span includes the parentheses, so `(a + b) * c` starts at "(".
        var parenthesized = first
        parenthesized.span = span(from: start)
        return parenthesized
    }

    /// case_expression: "CASE" [ expression ] ( "WHEN" expression "THEN" expression )+ [ "ELSE" expression ] "END".
    private mutating func parseCase() throws(SQLSyntaxError) -> Expression {
        let start = current.span.start
        try expect(.case)
        var operand: Expression?
        if !isKeyword(.when) { operand = try parseExpression() }
        var branches: [CaseBranch] = []
        while consume(.when) {
            let condition = try parseExpression()
            try expect(.then)
            branches.append(CaseBranch(condition: condition, result: try parseExpression()))
        }
        if branches.isEmpty { throw unexpected() }
        var elseResult: Expression?
        if consume(.else) { elseResult = try parseExpression() }
        try expect(.end)
        return Expression(.caseWhen(operand: operand, branches: branches, elseResult: elseResult), span: span(from: start))
    }

    /// A column reference or a function call: object_name [ "(" … ")" ].
    private mutating func parseNameExpression() throws(SQLSyntaxError) -> Expression {
        let start = current.span.start
        let name = try parseObjectName()
        if currentIs(.leftParen) { return try parseFunction(name: name, start: start) }
        return Expression(.column(name), span: span(from: start))
    }

    // MARK: - Function calls

    /// A call, with the special syntaxes of EXTRACT, SUBSTRING, POSITION, TRIM,
    /// OVERLAY, FLOOR/CEIL … TO, STEP … BY for unqualified, unquoted names.
    mutating func parseFunction(name: ObjectName, start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        if name.parts.count == 1 && !name.parts[0].quoted {
            switch name.parts[0].value {
            case "extract": return try parseExtract(start: start)
            case "substring": return try parseSubstring(start: start)
            case "position": return try parsePosition(start: start)
            case "trim": return try parseTrim(start: start)
            case "overlay": return try parseOverlay(start: start)
            case "floor", "ceil", "ceiling", "step": return try parseFloorCeilStep(name: name, start: start)
            default: break
            }
        }
        let call = try parseFunctionArguments(name: name, start: start)
        return Expression(.function(call), span: span(from: start))
    }

    /// function_call: object_name "(" [ "*" | [ "DISTINCT" | "ALL" ] expression { "," expression } ] ")"
    ///   [ "FILTER" "(" "WHERE" expression ")" ] [ "OVER" window_reference ].
    mutating func parseFunctionArguments(name: ObjectName, start: SourceLocation) throws(SQLSyntaxError) -> FunctionCall {
        try expect(.leftParen)
        var call = FunctionCall(name: name, arguments: [])
        if consume(.star) {
            call.star = true
        } else if !currentIs(.rightParen) {
            if consume(.distinct) {
                call.distinct = true
            } else if consume(.all) {
                call.distinct = false
            }
            call.arguments = try parseExpressionList()
        }
        try expect(.rightParen)
        try parseFunctionSuffix(&call)
        return call
    }

    /// The FILTER and OVER clauses after a call.
    private mutating func parseFunctionSuffix(_ call: inout FunctionCall) throws(SQLSyntaxError) {
        if isKeyword(.filter) && currentIs(.leftParen, ahead: 1) {
            advance()
            advance()
            try expect(.where)
            call.filter = try parseExpression()
            try expect(.rightParen)
        }
        if isKeyword(.over) && (currentIs(.leftParen, ahead: 1) || peekIsIdentifier(ahead: 1)) {
            advance()
            call.over = try parseWindowReference()
        }
    }

    private func peekIsIdentifier(ahead: Int) -> Bool {
        switch peek(ahead).kind {
        case .word(_, let keyword): return keyword.map { !$0.isReserved } ?? true
        case .quotedIdentifier: return true
        default: return false
        }
    }

    /// extract: "EXTRACT" "(" ( label | string ) "FROM" expression ")". The field is kept in upper case.
    private mutating func parseExtract(start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        try expect(.leftParen)
        let field: String
        switch current.kind {
        case .word(let text, _), .quotedIdentifier(let text), .string(let text):
            advance()
            field = text.uppercased()
        default:
            throw unexpected(expecting: "field name")
        }
        try expect(.from)
        let source = try parseExpression()
        try expect(.rightParen)
        return Expression(.extract(field: field, source), span: span(from: start))
    }

    /// substring: "SUBSTRING" "(" expression ( [ "FROM" expression ] [ "FOR" expression ] | { "," expression } ) ")".
    private mutating func parseSubstring(start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        try expect(.leftParen)
        let string = try parseExpression()
        var arguments = [string]
        var keywordForm = false
        if consume(.from) {
            keywordForm = true
            arguments.append(try parseExpression())
            if consume(.for) { arguments.append(try parseExpression()) }
        } else if consume(.for) {
            keywordForm = true
            let length = try parseExpression()
            arguments.append(Expression(.literal(.integer("1")), span: length.span))
            arguments.append(length)
        } else {
            while consume(.comma) { arguments.append(try parseExpression()) }
        }
        try expect(.rightParen)
        return Expression(.specialFunction(name: "substring", arguments: arguments, keywordForm: keywordForm),
                          span: span(from: start))
    }

    /// position: "POSITION" "(" expression "IN" expression ")" → position(haystack, needle).
    private mutating func parsePosition(start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        try expect(.leftParen)
        let needle = try parseSubexpression(.like)
        try expect(.in)
        let haystack = try parseSubexpression(.like)
        try expect(.rightParen)
        return Expression(.specialFunction(name: "position", arguments: [haystack, needle], keywordForm: true),
                          span: span(from: start))
    }

    /// trim: "TRIM" "(" [ "BOTH" | "LEADING" | "TRAILING" ] ( [ expression ] "FROM" expression | expression { "," expression } ) ")".
    private mutating func parseTrim(start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        try expect(.leftParen)
        var name = "btrim"
        if consume(.both) {
            name = "btrim"
        } else if consume(.leading) {
            name = "ltrim"
        } else if consume(.trailing) {
            name = "rtrim"
        }
        let arguments: [Expression]
        let keywordForm: Bool
        if consume(.from) {
            arguments = [try parseExpression()]
            keywordForm = true
        } else {
            let first = try parseExpression()
            if consume(.from) {
                arguments = [try parseExpression(), first]
                keywordForm = true
            } else {
                var list = [first]
                while consume(.comma) { list.append(try parseExpression()) }
                arguments = list
                keywordForm = false
            }
        }
        try expect(.rightParen)
        return Expression(.specialFunction(name: name, arguments: arguments, keywordForm: keywordForm),
                          span: span(from: start))
    }

    /// overlay: "OVERLAY" "(" expression ( "PLACING" expression "FROM" expression [ "FOR" expression ] | { "," expression } ) ")".
    private mutating func parseOverlay(start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        try expect(.leftParen)
        var arguments = [try parseExpression()]
        var keywordForm = false
        if consume(.placing) {
            keywordForm = true
            arguments.append(try parseExpression())
            try expect(.from)
            arguments.append(try parseExpression())
            if consume(.for) { arguments.append(try parseExpression()) }
        } else {
            while consume(.comma) { arguments.append(try parseExpression()) }
        }
        try expect(.rightParen)
        return Expression(.specialFunction(name: "overlay", arguments: arguments, keywordForm: keywordForm),
                          span: span(from: start))
    }

    /// floor_ceil: ( "FLOOR" | "CEIL" | "CEILING" ) "(" expression "TO" interval_unit ")";
    /// step: "STEP" "(" expression "BY" expression ")"; otherwise an ordinary call.
    private mutating func parseFloorCeilStep(name: ObjectName, start: SourceLocation) throws(SQLSyntaxError) -> Expression {
        // An ordinary call unless the first argument is followed by TO / BY;
        // decided after the first argument, without backtracking.
        if currentIs(.star, ahead: 1) || currentIs(.rightParen, ahead: 1) || isKeyword(.distinct, ahead: 1) || isKeyword(.all, ahead: 1) {
            let call = try parseFunctionArguments(name: name, start: start)
            return Expression(.function(call), span: span(from: start))
        }
        try expect(.leftParen)
        let first = try parseExpression()
        let word = name.parts[0].value
        if word == "step" {
            if consume(.by) {
                let width = try parseExpression()
                try expect(.rightParen)
                return Expression(.step(first, by: width), span: span(from: start))
            }
        } else if consume(.to) {
            guard let unit = intervalUnit(current) else {
                throw unexpected(expecting: "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")
            }
            advance()
            try expect(.rightParen)
            return Expression(.floorCeilTo(first, unit: unit, ceil: word != "floor"), span: span(from: start))
        }
        var call = FunctionCall(name: name, arguments: [first])
        while consume(.comma) { call.arguments.append(try parseExpression()) }
        try expect(.rightParen)
        try parseFunctionSuffix(&call)
        return Expression(.function(call), span: span(from: start))
    }
}
