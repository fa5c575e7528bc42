import Foundation

/// A real `freshet serve` process on a free loopback port with its own data
/// directory, for end-to-end tests. `kill()` sends SIGKILL (crash tests);
/// `stop()` sends SIGTERM and waits.
public final class ServerProcess {
    public let dataDirectory: String
    public let binary: String
    public private(set) var port: Int = 0
    /// The HTTP listener's port (`/metrics`), also a free one unless `--http-port` is in extraArguments.
    public private(set) var httpPort: Int = 0
    private var process: Process?
    private var logPath: String
    public var extraArguments: [String]
    public var environment: [String: String]

    /// The freshet binary built next to the test bundle (.build/debug/freshet).
    public static func defaultBinary() -> String {
        if let p = ProcessInfo.processInfo.environment["FRESHET_BINARY"] { return p }
        // The xctest bundle lives in .build/<triple>/debug/; the executable beside it.
        let bundle = Bundle.main.bundlePath
        var dir = URL(fileURLWithPath: bundle).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("freshet").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let cwd = FileManager.default.currentDirectoryPath
        return cwd + "/.build/debug/freshet"
    }

    public init(dataDirectory: String, binary: String = ServerProcess.defaultBinary(), extraArguments: [String] = [],
                environment: [String: String] = [:]) {
        self.dataDirectory = dataDirectory
        self.binary = binary
        self.extraArguments = extraArguments
        self.environment = environment
        logPath = dataDirectory + ".log"
    }

    /// Start and wait until it listens. Returns the port.
    @discardableResult
    public func start(timeout: TimeInterval = 60) throws -> Int {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        let http = extraArguments.contains("--http-port") ? [] : ["--http-port", "0"]
        p.arguments = ["serve", "--data-dir", dataDirectory, "--port", "0", "--log-level", "info"] + http + extraArguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardError = log
        p.standardOutput = log
        let before = (try? String(contentsOfFile: logPath, encoding: .utf8))?.count ?? 0
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: logPath, encoding: .utf8) {
                let fresh = String(text.dropFirst(before))
                if let r = fresh.range(of: #"/metrics on [0-9.]+:([0-9]+)"#, options: .regularExpression) {
                    httpPort = Int(fresh[r].split(separator: ":").last.map(String.init) ?? "") ?? 0
                }
                if let r = fresh.range(of: #"listening on [0-9.]+:([0-9]+)"#, options: .regularExpression) {
                    let digits = fresh[r].split(separator: ":").last.map(String.init) ?? ""
                    port = Int(digits) ?? 0
                    if port != 0 { return port }
                }
            }
            if !p.isRunning { throw ServerError.exited(log: serverLog) }
            usleep(20_000)
        }
        throw ServerError.timeout(log: serverLog)
    }

    public var serverLog: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public var processIdentifier: Int32 { process?.processIdentifier ?? 0 }

    /// SIGKILL: no chance to flush or close anything.
    public func kill() {
        guard let p = process, p.isRunning else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// SIGTERM and wait for a graceful exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        guard let p = process else { return 0 }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        process = nil
        return p.terminationStatus
    }

    deinit { kill() }

    public enum ServerError: Error, CustomStringConvertible {
        case exited(log: String)
        case timeout(log: String)
        public var description: String {
            switch self {
            case .exited(let log): return "freshet serve exited early:\n\(log)"
            case .timeout(let log): return "freshet serve did not start listening:\n\(log)"
            }
        }
    }
}
