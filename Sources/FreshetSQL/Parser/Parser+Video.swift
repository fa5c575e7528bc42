/// Video streams (SQL.md, "Video streams").
extension Parser {
    /// create_video_stream: "VIDEO" "STREAM" [ if_not_exists ] object_name [ "WITH" option_list ].
    /// Called after CREATE.
    mutating func parseCreateVideoStream() throws(SQLSyntaxError) -> CreateVideoStream {
        try expect(.video)
        try expect(.stream)
        let ifNotExists = try parseIfNotExists()
        let name = try parseObjectName()
        var options: [OptionAssignment] = []
        if consume(.with) { options = try parseOptionList() }
        return CreateVideoStream(name: name, ifNotExists: ifNotExists, options: options)
    }
}
