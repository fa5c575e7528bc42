import FreshetCore

// The surface the protocol front ends (FreshetWire, later FreshetHTTP) use.
// They turn bytes into these calls and results back into bytes; everything
// else about a statement happens below this line.

/// One statement split out of a query string, parsed but not yet bound.
public struct ParsedStatement: @unchecked Sendable {
    /// The statement's own text.
    public let text: String
    /// The whole query string the statement came from (positions in errors count from its start).
    public let source: String
    /// The first keyword, upper case ("SELECT", "INSERT", …), for logging and tags.
    public let commandWord: String
    /// The AST, opaque outside the Engine.
    let payload: AnyObject?
    public init(text: String, source: String, commandWord: String, payload: AnyObject?) {
        self.text = text
        self.source = source
        self.commandWord = commandWord
        self.payload = payload
    }
}

/// A bound statement: parameter types are known and so is the shape of its result.
public final class PreparedStatement: @unchecked Sendable {
    public let statement: ParsedStatement
    /// One type per `$n` parameter, given by the client or inferred.
    public let parameterTypes: [DataType]
    /// The columns a row-returning statement produces; nil when it returns no rows (NoData).
    public let resultColumns: [ResultColumn]?
    /// The plan, opaque outside the Engine.
    let plan: AnyObject?
    init(statement: ParsedStatement, parameterTypes: [DataType], resultColumns: [ResultColumn]?, plan: AnyObject?) {
        self.statement = statement
        self.parameterTypes = parameterTypes
        self.resultColumns = resultColumns
        self.plan = plan
    }
}
