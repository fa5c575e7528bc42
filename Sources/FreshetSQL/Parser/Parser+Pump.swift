/// Pumps: continuous INSERT … SELECT (SQL.md, "Pumps").
extension Parser {
    /// create_pump: "PUMP" object_name [ "STOPPED" ] "AS" insert_without_returning.
    /// Called after CREATE [OR REPLACE].
    mutating func parseCreatePump(orReplace: Bool) throws(SQLSyntaxError) -> CreatePump {
        try expect(.pump)
        let name = try parseObjectName()
        let stopped = consume(.stopped)
        try expect(.as)
        let insert = try parseInsert(allowReturning: false)
        return CreatePump(name: name, orReplace: orReplace, stopped: stopped, insert: insert)
    }

    /// alter_pump: "PUMP" object_name ( "START" | "STOP" ). Called after ALTER.
    mutating func parseAlterPump() throws(SQLSyntaxError) -> AlterPump {
        try expect(.pump)
        let name = try parseObjectName()
        if consume(.start) { return AlterPump(name: name, action: .start) }
        if consume(.stop) { return AlterPump(name: name, action: .stop) }
        throw unexpected()
    }
}
