import FreshetCore
import FreshetEngine
import Foundation
import Hummingbird
import Logging

/// Where the HTTP listener binds.
public struct HTTPConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (see `HTTPServer.start()`'s result).
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8488) {
        self.host = host
        self.port = port
    }
}

/// Freshet's HTTP listener, on Hummingbird 2. It serves `GET /metrics` (Prometheus
/// text, `PrometheusExposition`) now; the AWS-compatible JSON APIs (Kinesis Data
/// Streams, Firehose, Video Streams) will be routes on the same listener. Like
/// FreshetWire it only turns requests into Engine calls and results into bytes.
public final class HTTPServer: Sendable {
    let engine: Engine
    let configuration: HTTPConfiguration
    let logger: Logger
    private let state = LockedTask()

    /// Hummingbird's own start-up line ("Server started and listening on host:port") is
    /// kept out of the log below warning level: scripts and tests find the PostgreSQL
    /// port by the text "listening on", and `freshet serve` announces this listener itself.
    public init(engine: Engine, configuration: HTTPConfiguration, logger: Logger) {
        self.engine = engine
        self.configuration = configuration
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        self.logger = quiet
    }

    /// The routes, separate from the listener so tests can check them.
    static func router(engine: Engine) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = PrometheusExposition.render(engine.metricsSnapshot())
            return Response(status: .ok, headers: [.contentType: PrometheusExposition.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// Bind and start serving in the background; returns the bound port once the
    /// listener accepts connections, or throws if it cannot bind.
    public func start() async throws -> Int {
        let bound = BoundPort()
        let app = Application(router: HTTPServer.router(engine: engine),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: "freshet"),
                              onServerRunning: { channel in bound.set(.success(channel.localAddress?.port ?? 0)) },
                              logger: logger)
        let task = Task {
            do { try await app.run() } catch { bound.set(.failure(error)) }
        }
        state.set(task)
        return try await bound.value()
    }

    /// Stop listening (requests in progress are cut).
    public func stop() async {
        if let t = state.take() {
            t.cancel()
            _ = await t.result
        }
    }
}

/// The background task running the listener.
private final class LockedTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    func set(_ t: Task<Void, Never>) { lock.withLock { task = t } }
    func take() -> Task<Void, Never>? { lock.withLock { defer { task = nil }; return task } }
}

/// A one-shot result: the bound port or the bind error, whichever comes first.
private final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, Error>?
    private var waiter: CheckedContinuation<Int, Error>?

    func set(_ r: Result<Int, Error>) {
        let w: CheckedContinuation<Int, Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = r
            defer { waiter = nil }
            return waiter
        }
        w?.resume(with: r)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let ready: Result<Int, Error>? = lock.withLock {
                if let result { return result }
                waiter = c
                return nil
            }
            if let ready { c.resume(with: ready) }
        }
    }
}
