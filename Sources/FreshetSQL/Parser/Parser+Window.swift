/// Windows: `OVER (PARTITION BY … ORDER BY … RANGE INTERVAL '1' MINUTE PRECEDING)`,
/// `OVER w`, `WINDOW w AS (…)` (SQL.md, "Windows").
extension Parser {
    /// named_window: identifier "AS" window_specification.
    mutating func parseNamedWindow() throws(SQLSyntaxError) -> NamedWindow {
        let name = try parseIdentifier()
        try expect(.as)
        return NamedWindow(name: name, specification: try parseWindowSpecification())
    }

    /// window_reference: identifier | window_specification (after OVER).
    mutating func parseWindowReference() throws(SQLSyntaxError) -> WindowReference {
        if currentIs(.leftParen) { return .inline(try parseWindowSpecification()) }
        return .named(try parseIdentifier())
    }

    /// window_specification: "(" [ identifier ] [ "PARTITION" "BY" expression { "," expression } ]
    ///   [ "ORDER" "BY" order_by_item { "," order_by_item } ] [ window_frame ] ")".
    mutating func parseWindowSpecification() throws(SQLSyntaxError) -> WindowSpecification {
        let start = current.span.start
        try expect(.leftParen)
        var specification = WindowSpecification()
        if currentIsIdentifier && !isKeyword(.partition) && !isKeyword(.rows) && !isKeyword(.range) {
            specification.baseWindow = try parseIdentifier()
        }
        if consume(.partition) {
            try expect(.by)
            specification.partitionBy = [try parseExpression()]
            while consume(.comma) { specification.partitionBy.append(try parseExpression()) }
        }
        if consume(.order) {
            try expect(.by)
            specification.orderBy = try parseOrderByItems()
        }
        if isKeyword(.rows) || isKeyword(.range) {
            specification.frame = try parseWindowFrame()
        }
        try expect(.rightParen)
        specification.span = span(from: start)
        return specification
    }

    /// window_frame: ( "ROWS" | "RANGE" ) ( frame_bound | "BETWEEN" frame_bound "AND" frame_bound ).
    mutating func parseWindowFrame() throws(SQLSyntaxError) -> WindowFrame {
        let units: WindowFrame.Units
        if consume(.rows) {
            units = .rows
        } else {
            try expect(.range)
            units = .range
        }
        if consume(.between) {
            let start = try parseFrameBound()
            try expect(.and)
            return WindowFrame(units: units, start: start, end: try parseFrameBound())
        }
        return WindowFrame(units: units, start: try parseFrameBound())
    }

    /// frame_bound: "UNBOUNDED" ( "PRECEDING" | "FOLLOWING" ) | "CURRENT" "ROW"
    ///            | expression ( "PRECEDING" | "FOLLOWING" ).
    mutating func parseFrameBound() throws(SQLSyntaxError) -> WindowFrame.Bound {
        if consume(.unbounded) {
            if consume(.preceding) { return .unboundedPreceding }
            try expect(.following)
            return .unboundedFollowing
        }
        if consume(.current) {
            try expect(.row)
            return .currentRow
        }
        // The bound is parsed above AND so that BETWEEN … AND … splits correctly.
        let value = try parseSubexpression(.and)
        if consume(.preceding) { return .preceding(value) }
        try expect(.following)
        return .following(value)
    }
}
