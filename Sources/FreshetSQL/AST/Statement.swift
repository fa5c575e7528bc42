/// One SQL statement with the span of its text.
public struct Statement: Hashable, Sendable {
    public var kind: StatementKind
    public var span: SourceSpan
    public init(_ kind: StatementKind, span: SourceSpan = .empty) {
        self.kind = kind
        self.span = span
    }
}

public indirect enum StatementKind: Hashable, Sendable {
    case query(Query)
    case createStream(CreateStream)
    case createTable(CreateTable)
    case drop(Drop)
    case insert(Insert)
    case copy(Copy)
    case set(SetVariable)
    case show(Show)
    case reset(Identifier?)            // RESET name | RESET ALL (nil)
    case transaction(TransactionStatement)
    case explain(Statement, analyze: Bool)
    case alterStream(AlterStream)
    case createPump(CreatePump)
    case alterPump(AlterPump)
    case update(Update)
    case delete(Delete)
    case createDeliveryStream(CreateDeliveryStream)
    case alterDeliveryStream(AlterDeliveryStream)
    case createVideoStream(CreateVideoStream)
    case declareCursor(DeclareCursor)
    case fetch(Fetch)
    /// `CLOSE name` | `CLOSE ALL` (nil).
    case closeCursor(Identifier?)
    case createFunction(CreateFunction)
}

/// A column definition in CREATE STREAM / CREATE TABLE.
public struct ColumnDefinition: Hashable, Sendable {
    public var name: Identifier
    public var type: DataTypeName
    public var notNull: Bool
    public init(name: Identifier, type: DataTypeName, notNull: Bool = false) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}

/// `key = value` in a WITH (…) option list. Values are literals or bare words.
public struct OptionAssignment: Hashable, Sendable {
    public var name: Identifier
    public var value: Expression?
    public init(name: Identifier, value: Expression?) {
        self.name = name
        self.value = value
    }
}

public struct Watermark: Hashable, Sendable {
    public var column: Identifier
    public var expression: Expression
    public init(column: Identifier, expression: Expression) {
        self.column = column
        self.expression = expression
    }
}

/// `CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name [(cols, WATERMARK …)] [WITH (…)] [DESCRIPTION '…']`.
public struct CreateStream: Hashable, Sendable {
    public var name: ObjectName
    public var orReplace: Bool
    public var ifNotExists: Bool
    public var columns: [ColumnDefinition]
    public var watermark: Watermark?
    public var options: [OptionAssignment]
    public var description: String?
    public init(name: ObjectName, orReplace: Bool = false, ifNotExists: Bool = false, columns: [ColumnDefinition],
                watermark: Watermark? = nil, options: [OptionAssignment] = [], description: String? = nil) {
        self.name = name
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.watermark = watermark
        self.options = options
        self.description = description
    }
}

/// `CREATE TABLE [IF NOT EXISTS] name (cols [, PRIMARY KEY (…)])`.
public struct CreateTable: Hashable, Sendable {
    public var name: ObjectName
    public var ifNotExists: Bool
    public var columns: [ColumnDefinition]
    public var primaryKey: [Identifier]
    public init(name: ObjectName, ifNotExists: Bool = false, columns: [ColumnDefinition], primaryKey: [Identifier] = []) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.primaryKey = primaryKey
    }
}

public enum ObjectKind: String, Hashable, Sendable {
    case stream = "STREAM", table = "TABLE", pump = "PUMP", deliveryStream = "DELIVERY STREAM", videoStream = "VIDEO STREAM"
    case function = "FUNCTION"
}

/// `DROP kind [IF EXISTS] name [, …]`.
public struct Drop: Hashable, Sendable {
    public var objectKind: ObjectKind
    public var ifExists: Bool
    public var names: [ObjectName]
    public init(objectKind: ObjectKind, ifExists: Bool = false, names: [ObjectName]) {
        self.objectKind = objectKind
        self.ifExists = ifExists
        self.names = names
    }
}

/// `INSERT INTO target [(cols)] VALUES … | SELECT … [RETURNING …]`.
public struct Insert: Hashable, Sendable {
    public var target: ObjectName
    public var columns: [Identifier]
    public var source: Query
    public var returning: [SelectItem]
    public init(target: ObjectName, columns: [Identifier] = [], source: Query, returning: [SelectItem] = []) {
        self.target = target
        self.columns = columns
        self.source = source
        self.returning = returning
    }
}

/// `COPY name [(cols)] FROM STDIN | 'file'`, `COPY name|(query) TO STDOUT | 'file'`, with options
/// in the modern `WITH (FORMAT csv, HEADER)` or legacy `CSV HEADER DELIMITER ','` forms
/// (both normalised into `options`).
public struct Copy: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case table(ObjectName, columns: [Identifier])
        case query(Query)
    }
    public enum Direction: String, Hashable, Sendable { case from = "FROM", to = "TO" }
    public enum Endpoint: Hashable, Sendable {
        case stdin
        case stdout
        case file(String)
    }
    public var source: Source
    public var direction: Direction
    public var endpoint: Endpoint
    public var options: [OptionAssignment]
    public init(source: Source, direction: Direction, endpoint: Endpoint, options: [OptionAssignment] = []) {
        self.source = source
        self.direction = direction
        self.endpoint = endpoint
        self.options = options
    }
}

/// `SET [SESSION|LOCAL] name {TO|=} value [, …]`, `SET TIME ZONE …`.
public struct SetVariable: Hashable, Sendable {
    public var name: Identifier
    public var values: [Expression]
    public var local: Bool
    /// `SET name TO DEFAULT`.
    public var isDefault: Bool
    public init(name: Identifier, values: [Expression], local: Bool = false, isDefault: Bool = false) {
        self.name = name
        self.values = values
        self.local = local
        self.isDefault = isDefault
    }
}

/// `SHOW name` / `SHOW ALL` (name nil).
public struct Show: Hashable, Sendable {
    public var name: Identifier?
    public init(name: Identifier?) { self.name = name }
}

public enum TransactionStatement: Hashable, Sendable {
    case begin
    case commit
    case rollback
}
