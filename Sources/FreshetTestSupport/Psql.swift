import Foundation

/// Runs the real `psql` against a server, the way a user would.
public enum Psql {
    public struct Output {
        public var stdout: String
        public var stderr: String
        public var status: Int32
    }

    /// `psql -X -h 127.0.0.1 -p PORT [args]`, with optional standard input.
    public static func run(port: Int, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                           workingDirectory: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-X", "-h", "127.0.0.1", "-p", String(port), "-U", "freshet", "-d", "freshet"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PGCONNECT_TIMEOUT"] = "10"
        env["PAGER"] = ""
        env["PSQL_PAGER"] = ""
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let workingDirectory { p.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot block psql.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box(), errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        let outData = outBox.data, errData = errBox.data
        p.waitUntilExit()
        return Output(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                      status: p.terminationStatus)
    }
}
