/// DROP STREAM | TABLE | PUMP | DELIVERY STREAM | VIDEO STREAM | FUNCTION.
extension Parser {
    /// drop: "DROP" object_kind [ "IF" "EXISTS" ] object_name { "," object_name }.
    mutating func parseDrop() throws(SQLSyntaxError) -> Drop {
        try expect(.drop)
        let kind: ObjectKind
        if consume(.stream) {
            kind = .stream
        } else if consume(.table) {
            kind = .table
        } else if consume(.pump) {
            kind = .pump
        } else if consume(.function) {
            kind = .function
        } else if consume(.delivery, .stream) {
            kind = .deliveryStream
        } else if consume(.video, .stream) {
            kind = .videoStream
        } else {
            throw unexpected(expecting: "DELIVERY STREAM", "VIDEO STREAM")
        }
        var ifExists = false
        // IF not followed by EXISTS is a name (`DROP STREAM if`).
        if isKeyword(.exists, ahead: 1) && consume(.if) {
            try expect(.exists)
            ifExists = true
        } else {
            noteExpected("IF")
        }
        var names = [try parseObjectName()]
        while consume(.comma) { names.append(try parseObjectName()) }
        return Drop(objectKind: kind, ifExists: ifExists, names: names)
    }
}
