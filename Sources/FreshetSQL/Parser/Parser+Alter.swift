/// ALTER STREAM | PUMP | DELIVERY STREAM (SQL.md: shards, pumps, delivery streams).
extension Parser {
    /// alter: "ALTER" ( alter_stream | alter_pump | alter_delivery_stream ).
    mutating func parseAlter() throws(SQLSyntaxError) -> StatementKind {
        try expect(.alter)
        if isKeyword(.stream) { return .alterStream(try parseAlterStream()) }
        if isKeyword(.pump) { return .alterPump(try parseAlterPump()) }
        if isKeyword(.delivery) { return .alterDeliveryStream(try parseAlterDeliveryStream()) }
        throw unexpected(expecting: "STREAM", "PUMP", "DELIVERY")
    }

    /// alter_stream: "STREAM" object_name ( "SET" option_list
    ///   | "SPLIT" "SHARD" string "AT" ( string | integer )
    ///   | "MERGE" "SHARDS" string "," string ). Called after ALTER.
    mutating func parseAlterStream() throws(SQLSyntaxError) -> AlterStream {
        try expect(.stream)
        let name = try parseObjectName()
        if consume(.set) {
            return AlterStream(name: name, action: .setOptions(try parseOptionList()))
        }
        if consume(.split) {
            try expect(.shard)
            let shard = try parseStringLiteral()
            try expect(.at)
            let hashKey: String
            if case .integer(let digits) = current.kind {
                advance()
                hashKey = digits
            } else {
                hashKey = try parseStringLiteral()
            }
            return AlterStream(name: name, action: .splitShard(shard: shard, newStartingHashKey: hashKey))
        }
        if consume(.merge) {
            try expect(.shards)
            let first = try parseStringLiteral()
            try expect(.comma)
            let second = try parseStringLiteral()
            return AlterStream(name: name, action: .mergeShards(first, second))
        }
        throw unexpected(expecting: "SET", "SPLIT", "MERGE")
    }
}
