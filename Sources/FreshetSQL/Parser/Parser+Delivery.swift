/// Delivery streams (SQL.md, "Delivery streams (Firehose)").
extension Parser {
    /// create_delivery_stream: "DELIVERY" "STREAM" [ if_not_exists ] object_name
    ///   ( "FROM" object_name | "AS" query | "(" column_definition { "," column_definition } ")" )
    ///   "TO" delivery_destination [ "WITH" option_list ].
    /// Called after CREATE.
    mutating func parseCreateDeliveryStream() throws(SQLSyntaxError) -> CreateDeliveryStream {
        try expect(.delivery)
        try expect(.stream)
        let ifNotExists = try parseIfNotExists()
        let name = try parseObjectName()
        let source: CreateDeliveryStream.Source
        if consume(.from) {
            source = .stream(try parseObjectName())
        } else if consume(.as) {
            source = .query(try parseQuery())
        } else if consume(.leftParen) {
            var columns = [try parseColumnDefinition()]
            while consume(.comma) { columns.append(try parseColumnDefinition()) }
            try expect(.rightParen)
            source = .direct(columns)
        } else {
            throw unexpected()
        }
        try expect(.to)
        let destination = try parseDeliveryDestination()
        var options: [OptionAssignment] = []
        if consume(.with) { options = try parseOptionList() }
        return CreateDeliveryStream(name: name, ifNotExists: ifNotExists, source: source, destination: destination,
                                    options: options)
    }

    /// delivery_destination: ( "S3" | "POSTGRES" | "ELASTICSEARCH" | "SPLUNK" | "HTTP" ) [ option_list ].
    /// The destination words are matched by spelling (they are not keywords).
    mutating func parseDeliveryDestination() throws(SQLSyntaxError) -> DeliveryDestination {
        let start = current.span.start
        var kind: DeliveryDestination.Kind?
        if case .word(let text, _) = current.kind {
            kind = DeliveryDestination.Kind(rawValue: text.uppercased())
        }
        guard let kind else {
            throw unexpected(expecting: "S3", "POSTGRES", "ELASTICSEARCH", "SPLUNK", "HTTP")
        }
        advance()
        var options: [OptionAssignment] = []
        if currentIs(.leftParen) { options = try parseOptionList() }
        return DeliveryDestination(kind: kind, options: options, span: span(from: start))
    }

    /// alter_delivery_stream: "DELIVERY" "STREAM" object_name "SET" option_list. Called after ALTER.
    mutating func parseAlterDeliveryStream() throws(SQLSyntaxError) -> AlterDeliveryStream {
        try expect(.delivery)
        try expect(.stream)
        let name = try parseObjectName()
        try expect(.set)
        return AlterDeliveryStream(name: name, options: try parseOptionList())
    }
}
