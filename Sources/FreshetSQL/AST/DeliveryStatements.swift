/// `CREATE DELIVERY STREAM [IF NOT EXISTS] name source TO destination (options) [WITH (options)]`
/// (SQL.md, "Delivery streams (Firehose)").
public struct CreateDeliveryStream: Hashable, Sendable {
    /// Where the rows come from.
    public enum Source: Hashable, Sendable {
        /// `FROM clicks`: every row of a stream.
        case stream(ObjectName)
        /// `AS SELECT STREAM …`: a transformation in SQL.
        case query(Query)
        /// `(msg VARCHAR(200))`: direct put; rows arrive by `INSERT INTO name`.
        case direct([ColumnDefinition])
    }
    public var name: ObjectName
    public var ifNotExists: Bool
    public var source: Source
    public var destination: DeliveryDestination
    /// `WITH (buffer_size = '5 MB', buffer_interval = '60 seconds', format = 'jsonl', …)`.
    public var options: [OptionAssignment]
    public init(name: ObjectName, ifNotExists: Bool = false, source: Source, destination: DeliveryDestination,
                options: [OptionAssignment] = []) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.source = source
        self.destination = destination
        self.options = options
    }
}

/// `TO S3 (bucket = 'lake', prefix = '…')`, `TO POSTGRES (dsn = '…', table = '…')`, ….
public struct DeliveryDestination: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case s3 = "S3", postgres = "POSTGRES", elasticsearch = "ELASTICSEARCH", splunk = "SPLUNK", http = "HTTP"
    }
    public var kind: Kind
    /// The destination's settings, as written (empty when no list is given).
    public var options: [OptionAssignment]
    public var span: SourceSpan
    public init(kind: Kind, options: [OptionAssignment] = [], span: SourceSpan = .empty) {
        self.kind = kind
        self.options = options
        self.span = span
    }
}

/// `ALTER DELIVERY STREAM name SET (buffer_interval = '10 seconds', …)`.
public struct AlterDeliveryStream: Hashable, Sendable {
    public var name: ObjectName
    public var options: [OptionAssignment]
    public init(name: ObjectName, options: [OptionAssignment]) {
        self.name = name
        self.options = options
    }
}
