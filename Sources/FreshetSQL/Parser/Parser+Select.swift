/// Queries: WITH, set operations, SELECT, VALUES, FROM and joins, ORDER BY,
/// LIMIT/OFFSET/FETCH, and Freshet's `SELECT STREAM` and `START AT`.
extension Parser {
    /// Whether the current token starts a query (used after "(").
    func startsQuery(ahead: Int = 0) -> Bool {
        switch peek(ahead).kind.keyword {
        case .select?, .values?, .with?: return true
        default: return false
        }
    }

    /// query: [ "WITH" cte { "," cte } ] query_body [ order_by ] { limit | offset | fetch }.
    mutating func parseQuery() throws(SQLSyntaxError) -> Query {
        try enterNesting()
        defer { leaveNesting() }
        let start = current.span.start
        var ctes: [CommonTableExpression] = []
        if consume(.with) {
            repeat { ctes.append(try parseCommonTableExpression()) } while consume(.comma)
        }
        let body = try parseQueryBody()
        var query = Query(with: ctes, body: body)
        if consume(.order) {
            try expect(.by)
            query.orderBy = try parseOrderByItems()
        }
        while true {
            if consume(.limit) {
                if consume(.all) {
                    query.limit = nil
                } else {
                    query.limit = try parseExpression()
                }
            } else if consume(.offset) {
                query.offset = try parseExpression()
                if consume(.row) || consume(.rows) {}
            } else if consume(.fetch) {
                if !consume(.first) && !consume(.next) { throw unexpected() }
                if isKeyword(.row) || isKeyword(.rows) {
                    query.limit = Expression(.literal(.integer("1")), span: current.span)
                } else {
                    query.limit = try parseSubexpression(.additive)
                }
                if !consume(.row) && !consume(.rows) { throw unexpected() }
                try expect(.only)
            } else {
                break
            }
        }
        query.span = span(from: start)
        return query
    }

    /// cte: identifier [ "(" identifier { "," identifier } ")" ] "AS" "(" query ")".
    mutating func parseCommonTableExpression() throws(SQLSyntaxError) -> CommonTableExpression {
        let name = try parseIdentifier()
        var columns: [Identifier] = []
        if currentIs(.leftParen) { columns = try parseParenthesizedIdentifiers() }
        try expect(.as)
        try expect(.leftParen)
        let query = try parseQuery()
        try expect(.rightParen)
        return CommonTableExpression(name: name, columns: columns, query: query)
    }

    /// The binding power of set operators: INTERSECT binds tighter than UNION and EXCEPT.
    private func setOperatorPrecedence() -> (SetOperator, Int)? {
        switch current.kind.keyword {
        case .union?: return (.union, 1)
        case .except?: return (.except, 1)
        case .intersect?: return (.intersect, 2)
        default: return nil
        }
    }

    /// query_body: query_primary { ( "UNION" | "EXCEPT" | "INTERSECT" ) [ "ALL" | "DISTINCT" ] query_primary }.
    mutating func parseQueryBody() throws(SQLSyntaxError) -> QueryBody {
        try parseSetOperation(minimumBindingPower: 0)
    }

    private mutating func parseSetOperation(minimumBindingPower: Int) throws(SQLSyntaxError) -> QueryBody {
        var left = try parseQueryPrimary()
        while true {
            noteExpected("UNION")
            noteExpected("INTERSECT")
            noteExpected("EXCEPT")
            guard let (op, power) = setOperatorPrecedence(), power > minimumBindingPower else { break }
            advance()
            let all = consume(.all)
            if !all { _ = consume(.distinct) }
            try enterNesting()
            let right = try parseSetOperation(minimumBindingPower: power)
            leaveNesting()
            left = .setOperation(op, all: all, left, right)
        }
        return left
    }

    /// query_primary: select | values | "(" query ")".
    mutating func parseQueryPrimary() throws(SQLSyntaxError) -> QueryBody {
        if isKeyword(.select) { return .select(try parseSelect()) }
        if isKeyword(.values) { return try parseValues() }
        if consume(.leftParen) {
            let query = try parseQuery()
            try expect(.rightParen)
            return .nested(query)
        }
        throw unexpected(expecting: "SELECT", "VALUES", "\"(\"")
    }

    /// value_or_default: "DEFAULT" | expression — in VALUES rows and UPDATE … SET.
    mutating func parseValueOrDefault() throws(SQLSyntaxError) -> Expression {
        if isKeyword(.default) {
            let token = current
            advance()
            return Expression(.defaultValue, span: token.span)
        }
        return try parseExpression()
    }

    /// values: "VALUES" "(" [ value_or_default { "," value_or_default } ] ")" { "," "(" … ")" }.
    mutating func parseValues() throws(SQLSyntaxError) -> QueryBody {
        try expect(.values)
        var rows: [[Expression]] = []
        repeat {
            try expect(.leftParen)
            var row: [Expression] = []
            if !currentIs(.rightParen) {
                row.append(try parseValueOrDefault())
                while consume(.comma) { row.append(try parseValueOrDefault()) }
            }
            try expect(.rightParen)
            rows.append(row)
        } while consume(.comma)
        return .values(rows)
    }

    /// select: "SELECT" [ "STREAM" ] [ "ALL" | "DISTINCT" [ "ON" "(" expression { "," expression } ")" ] ]
    ///   select_item { "," select_item }
    ///   [ "FROM" table_reference { "," table_reference } ] [ start_at ] [ "WHERE" expression ] [ stagger_window ]
    ///   [ "GROUP" "BY" expression { "," expression } ] [ "HAVING" expression ]
    ///   [ "WINDOW" named_window { "," named_window } ] [ start_at ].
    /// START AT is printed after FROM; it is also accepted at the end.
    mutating func parseSelect() throws(SQLSyntaxError) -> Select {
        let start = current.span.start
        try expect(.select)
        var select = Select(items: [])
        select.isStream = consume(.stream)
        if consume(.distinct) {
            if consume(.on) {
                try expect(.leftParen)
                select.distinctOn = try parseExpressionList()
                try expect(.rightParen)
            } else {
                select.distinct = true
            }
        } else if consume(.all) {
            select.distinct = false
        }
        select.items = try parseSelectItems()
        if consume(.from) {
            select.from = [try parseTableReference()]
            while consume(.comma) { select.from.append(try parseTableReference()) }
        }
        select.startAt = try parseOptionalStartAt()
        if consume(.where) { select.whereClause = try parseExpression() }
        if isKeyword(.windowed) { select.stagger = try parseStaggerWindow() }
        if consume(.group) {
            try expect(.by)
            select.groupBy = [try parseExpression()]
            while consume(.comma) { select.groupBy.append(try parseExpression()) }
        }
        if consume(.having) { select.having = try parseExpression() }
        if consume(.window) {
            repeat { select.windows.append(try parseNamedWindow()) } while consume(.comma)
        }
        if select.startAt == nil { select.startAt = try parseOptionalStartAt() }
        select.span = span(from: start)
        return select
    }

    /// stagger_window: "WINDOWED" "BY" "STAGGER" "(" "PARTITION" "BY" expression { "," expression }
    ///   "RANGE" expression ")" — Kinesis Data Analytics stagger windows.
    mutating func parseStaggerWindow() throws(SQLSyntaxError) -> StaggerWindow {
        let start = current.span.start
        try expect(.windowed)
        try expect(.by)
        try expect(.stagger)
        try expect(.leftParen)
        try expect(.partition)
        try expect(.by)
        let partitionBy = try parseExpressionList()
        try expect(.range)
        let range = try parseExpression()
        try expect(.rightParen)
        return StaggerWindow(partitionBy: partitionBy, range: range, span: span(from: start))
    }

    /// start_at: "START" "AT" ( "TRIM_HORIZON" | "LATEST" | [ "AFTER" ] "SEQUENCE" string | expression ).
    /// The expression form is a timestamp (`TIMESTAMP '2026-01-01 00:00:00'`).
    mutating func parseOptionalStartAt() throws(SQLSyntaxError) -> StartPosition? {
        guard consume(.start) else { return nil }
        try expect(.at)
        if consume(.trimHorizon) { return .trimHorizon }
        if consume(.latest) { return .latest }
        if consume(.sequence) { return .atSequence(try parseStringLiteral()) }
        if consume(.after) {
            try expect(.sequence)
            return .afterSequence(try parseStringLiteral())
        }
        noteExpected("TIMESTAMP")
        return .timestamp(try parseExpression())
    }

    /// select_item { "," select_item }.
    mutating func parseSelectItems() throws(SQLSyntaxError) -> [SelectItem] {
        var items = [try parseSelectItem()]
        while consume(.comma) { items.append(try parseSelectItem()) }
        return items
    }

    /// select_item: "*" | object_name "." "*" | expression [ alias ].
    mutating func parseSelectItem() throws(SQLSyntaxError) -> SelectItem {
        let start = current.span.start
        if consume(.star) {
            return .wildcard(qualifier: nil, span: span(from: start))
        }
        if let qualifier = qualifiedWildcardLength() {
            var parts = [try parseIdentifier()]
            for _ in 1..<qualifier {
                advance()
                parts.append(try parseLabel())
            }
            try expect(.dot)
            try expect(.star)
            return .wildcard(qualifier: ObjectName(parts), span: span(from: start))
        }
        let expression = try parseExpression()
        return .expression(expression, alias: try parseOptionalAlias())
    }

    /// If the tokens ahead read `name { . name } . *`, the number of names.
    private func qualifiedWildcardLength() -> Int? {
        guard currentIsIdentifier else { return nil }
        var names = 1
        var ahead = 1
        while currentIs(.dot, ahead: ahead) {
            if currentIs(.star, ahead: ahead + 1) { return names }
            switch peek(ahead + 1).kind {
            case .word, .quotedIdentifier: break
            default: return nil
            }
            names += 1
            ahead += 2
        }
        return nil
    }

    /// order_by_item { "," order_by_item }.
    mutating func parseOrderByItems() throws(SQLSyntaxError) -> [OrderByItem] {
        var items = [try parseOrderByItem()]
        while consume(.comma) { items.append(try parseOrderByItem()) }
        return items
    }

    /// order_by_item: expression [ "ASC" | "DESC" ] [ "NULLS" ( "FIRST" | "LAST" ) ].
    mutating func parseOrderByItem() throws(SQLSyntaxError) -> OrderByItem {
        var item = OrderByItem(expression: try parseExpression())
        if consume(.asc) {
            item.ascending = true
        } else if consume(.desc) {
            item.ascending = false
        }
        if consume(.nulls) {
            if consume(.first) {
                item.nullsFirst = true
            } else if consume(.last) {
                item.nullsFirst = false
            } else {
                throw unexpected()
            }
        }
        return item
    }

    // MARK: - FROM

    /// table_reference: table_factor { join }.
    /// join: [ "NATURAL" ] [ "INNER" | ( "LEFT" | "RIGHT" | "FULL" ) [ "OUTER" ] ] "JOIN" table_factor [ join_constraint ]
    ///     | "CROSS" "JOIN" table_factor.
    /// join_constraint: "ON" expression | "USING" "(" identifier { "," identifier } ")".
    mutating func parseTableReference() throws(SQLSyntaxError) -> TableReference {
        var left = try parseTableFactor()
        while true {
            let natural = consume(.natural)
            let kind: Join.Kind
            if consume(.cross) {
                if natural { throw unexpected() }
                try expect(.join)
                kind = .cross
            } else if consume(.join) {
                kind = .inner
            } else if consume(.inner) {
                try expect(.join)
                kind = .inner
            } else if consume(.left) {
                _ = consume(.outer)
                try expect(.join)
                kind = .left
            } else if consume(.right) {
                _ = consume(.outer)
                try expect(.join)
                kind = .right
            } else if consume(.full) {
                _ = consume(.outer)
                try expect(.join)
                kind = .full
            } else {
                if natural { throw unexpected(expecting: "JOIN") }
                break
            }
            let right = try parseTableFactor()
            let constraint: Join.Constraint
            if natural {
                constraint = .natural
            } else if kind == .cross {
                constraint = .none
            } else if consume(.on) {
                constraint = .on(try parseExpression())
            } else if consume(.using) {
                constraint = .using(try parseParenthesizedIdentifiers())
            } else {
                throw unexpected()
            }
            left = .join(Join(kind: kind, left: left, right: right, constraint: constraint))
        }
        return left
    }

    /// table_factor: object_name ( [ "OVER" window_specification ] [ table_alias ] | table_alias "OVER" window_specification )
    ///             | [ "LATERAL" ] "(" query ")" [ table_alias ]
    ///             | "(" table_reference ")"
    ///             | [ "TABLE" "(" ] function_call [ ")" ] [ table_alias ].
    mutating func parseTableFactor() throws(SQLSyntaxError) -> TableReference {
        try enterNesting()
        defer { leaveNesting() }
        let lateral = consume(.lateral)
        if currentIs(.leftParen) {
            if lateral || startsQuery(ahead: 1) {
                try expect(.leftParen)
                let query = try parseQuery()
                try expect(.rightParen)
                return .subquery(query, alias: try parseOptionalTableAlias(), lateral: lateral)
            }
            // "((…" may open a parenthesised query or a parenthesised join. A
            // failed attempt is remembered by token index: without that, nested
            // runs of "(" re-parse the same text once per enclosing attempt,
            // which is exponential (found by the fuzzer). A failure on the
            // nesting limit is not remembered, as it depends on the depth.
            if currentIs(.leftParen, ahead: 1) && !failedParenthesizedQueries.contains(index) {
                let attemptIndex = index
                let attemptDepth = depth
                var query: Query?
                do throws(SQLSyntaxError) {
                    try expect(.leftParen)
                    let parsed = try parseQuery()
                    try expect(.rightParen)
                    query = parsed
                } catch {
                    if !error.message.hasPrefix("statement is nested too deeply") {
                        failedParenthesizedQueries.insert(attemptIndex)
                    }
                    index = attemptIndex
                    depth = attemptDepth
                }
                if let query { return .subquery(query, alias: try parseOptionalTableAlias(), lateral: false) }
            }
            try expect(.leftParen)
            let inner = try parseTableReference()
            try expect(.rightParen)
            return inner
        }
        if lateral { throw unexpected(expecting: "\"(\"") }
        if consume(.table) {
            try expect(.leftParen)
            let call = try parseTableFunctionCall()
            try expect(.rightParen)
            return .function(call, alias: try parseOptionalTableAlias())
        }
        let name = try parseObjectName()
        if currentIs(.leftParen) {
            let call = try parseFunctionArguments(name: name, start: name.span.start)
            return .function(call, alias: try parseOptionalTableAlias())
        }
        // The window may come before the alias (`s OVER (…) AS x`, as printed)
        // or after it (`s AS x OVER (…)`).
        var window: WindowSpecification?
        if consume(.over) { window = try parseWindowSpecification() }
        let alias = try parseOptionalTableAlias()
        if window == nil && alias != nil && consume(.over) { window = try parseWindowSpecification() }
        return .named(name, alias: alias, window: window)
    }

    /// function_call inside TABLE( … ).
    private mutating func parseTableFunctionCall() throws(SQLSyntaxError) -> FunctionCall {
        let name = try parseObjectName()
        return try parseFunctionArguments(name: name, start: name.span.start)
    }
}
