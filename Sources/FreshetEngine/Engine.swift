import FreshetCore
import Logging

/// Configuration the `freshet serve` command passes to the Engine.
public struct EngineConfiguration: Sendable {
    public var dataDirectory: String
    public var clock: any Clock
    public init(dataDirectory: String, clock: any Clock = SystemClock()) {
        self.dataDirectory = dataDirectory
        self.clock = clock
    }
}

/// The database: catalog, streams and sessions over one data directory.
public final class Engine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let logger: Logger

    public init(configuration: EngineConfiguration, logger: Logger = Logger(label: "freshet.engine")) throws {
        self.configuration = configuration
        self.logger = logger
    }

    /// A new session for a connection. `user` and `database` come from the startup message.
    public func openSession(user: String, database: String) -> Session {
        Session(engine: self, user: user, database: database)
    }

    /// Stop accepting writes, finish in-flight ones and close files.
    public func shutdown() async {}
}
