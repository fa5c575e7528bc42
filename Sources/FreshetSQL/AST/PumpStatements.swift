/// `CREATE [OR REPLACE] PUMP name [STOPPED] AS INSERT INTO s [(cols)] SELECT STREAM …`
/// (SQL.md, "Pumps: continuous INSERT … SELECT").
///
/// `insert` is the pump's INSERT … SELECT; its `returning` is always empty (the
/// parser refuses RETURNING in a pump). `stopped` creates the pump without
/// starting it (`ALTER PUMP … START` starts it).
public struct CreatePump: Hashable, Sendable {
    public var name: ObjectName
    public var orReplace: Bool
    public var stopped: Bool
    public var insert: Insert
    public init(name: ObjectName, orReplace: Bool = false, stopped: Bool = false, insert: Insert) {
        self.name = name
        self.orReplace = orReplace
        self.stopped = stopped
        self.insert = insert
    }
}

/// `ALTER PUMP name START | STOP`.
public struct AlterPump: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case start = "START", stop = "STOP" }
    public var name: ObjectName
    public var action: Action
    public init(name: ObjectName, action: Action) {
        self.name = name
        self.action = action
    }
}
