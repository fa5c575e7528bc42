/// `CREATE VIDEO STREAM [IF NOT EXISTS] name [WITH (retention = '24 hours', media_type = 'video/h264')]`
/// (SQL.md, "Video streams"). Dropped with `DROP VIDEO STREAM` (`Drop`, kind `.videoStream`).
public struct CreateVideoStream: Hashable, Sendable {
    public var name: ObjectName
    public var ifNotExists: Bool
    public var options: [OptionAssignment]
    public init(name: ObjectName, ifNotExists: Bool = false, options: [OptionAssignment] = []) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.options = options
    }
}
