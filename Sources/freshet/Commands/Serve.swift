import ArgumentParser
import FreshetCore
import FreshetEngine
import FreshetHTTP
import FreshetWire
import Foundation
import Logging

/// `freshet serve`: open the data directory and serve the PostgreSQL protocol
/// until SIGTERM or SIGINT, which stop it gracefully (in-flight writes finish,
/// files are closed). SIGKILL loses nothing acknowledged: every acknowledged
/// write was fdatasync'ed first.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Freshet server.",
        discussion: """
        Data lives in --data-dir (created if missing). The server listens for PostgreSQL \
        clients (psql, libpq, psycopg, JDBC) on --host:--port. Log lines go to stderr.
        """
    )

    @Option(name: .long, help: "Directory holding the catalog and the shard logs (created if missing).")
    var dataDir: String = "./freshet-data"

    @Option(name: .long, help: "Address to listen on. The default accepts only local connections.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port for the PostgreSQL protocol (0 picks a free port and logs it).")
    var port: Int = 5488

    @Option(name: .long, help: "Port for the HTTP listener: Prometheus metrics at /metrics now, the AWS-compatible APIs later (0 picks a free port and logs it).")
    var httpPort: Int = 8488

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Client authentication: 'trust' (anyone, any user name) or 'scram' (SCRAM-SHA-256 passwords).")
    var auth: String = "trust"

    @Option(name: .long, help: "With --auth scram: a file of 'user:password' lines. Without it, users come from FRESHET_USERS='alice:pw1,bob:pw2'.")
    var usersFile: String?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port), (0...65535).contains(httpPort) else {
            throw ValidationError("ports must be between 0 and 65535")
        }
        guard auth == "trust" || auth == "scram" else { throw ValidationError("--auth must be 'trust' or 'scram'") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "freshet")
        let authentication: WireConfiguration.Authentication
        if auth == "scram" {
            let a: WireConfiguration.Authentication
            if let usersFile { a = try WireConfiguration.Authentication.scram(usersFile: usersFile) }
            else if let fromEnv = try WireConfiguration.Authentication.scram(environmentVariable: "FRESHET_USERS") { a = fromEnv }
            else {
                throw ValidationError("--auth scram needs users: --users-file FILE or FRESHET_USERS='alice:pw1,bob:pw2'")
            }
            authentication = a
        } else {
            authentication = .trust
        }
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dataDir), logger: logger)
        let server = WireServer(engine: engine, configuration: WireConfiguration(host: host, port: port, authentication: authentication),
                                logger: logger)
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT])
        try await server.start()
        let http = HTTPServer(engine: engine, configuration: HTTPConfiguration(host: host, port: httpPort), logger: logger)
        let boundHTTPPort = try await http.start()
        logger.notice("HTTP: Prometheus metrics at /metrics on \(host):\(boundHTTPPort)")
        let runTask = Task { try await server.run() }
        // Announce the bound port (tests and scripts read this line).
        logger.notice("listening on \(host):\(server.localPort) (PostgreSQL protocol), data in \(dataDir)")
        let sig = await signals.next()
        logger.notice("received signal \(sig), shutting down")
        await http.stop()
        await server.shutdown()
        runTask.cancel()
        _ = try? await runTask.value
        await engine.shutdown()
        logger.notice("stopped")
    }
}

/// Turns SIGTERM/SIGINT into an awaitable event.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Int32, Never>?
    private var fired: Int32?
    private let lock = NSLock()

    init(signals: [Int32]) {
        for s in signals {
            signal(s, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: s, queue: .global())
            src.setEventHandler { [weak self] in self?.fire(s) }
            src.resume()
            sources.append(src)
        }
    }

    private func fire(_ s: Int32) {
        let c: CheckedContinuation<Int32, Never>? = lock.withLock {
            if fired == nil { fired = s }
            defer { continuation = nil }
            return continuation
        }
        c?.resume(returning: s)
    }

    func next() async -> Int32 {
        await withCheckedContinuation { c in
            let already: Int32? = lock.withLock {
                if let f = fired { return f }
                continuation = c
                return nil
            }
            if let already { c.resume(returning: already) }
        }
    }
}
