import Foundation
import FreshetTestSupport

/// A started `freshet serve` with its own temporary data directory.
final class ServerFixture {
    let directory: TemporaryDirectory
    let server: ServerProcess
    var port: Int { server.port }

    init(arguments: [String] = [], environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "freshet-e2e")
        server = ServerProcess(dataDirectory: directory.path + "/data", extraArguments: arguments, environment: environment)
        try server.start()
    }

    func psql(_ args: [String], input: String? = nil, workingDirectory: String? = nil) throws -> Psql.Output {
        try Psql.run(port: port, args, input: input, workingDirectory: workingDirectory)
    }

    /// psql -c for each command in order, in one session; returns stdout, fails on any error.
    func psqlCommands(_ commands: [String], extra: [String] = []) throws -> String {
        var args = extra + ["-v", "ON_ERROR_STOP=1"]
        for c in commands { args += ["-c", c] }
        let out = try psql(args)
        guard out.status == 0 else { throw E2EError("psql failed (\(out.status)): \(out.stderr)\n\(out.stdout)") }
        return out.stdout
    }

    deinit { server.stop() }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
