import Foundation
import Testing
@testable import FreshetWire

/// psql (libpq) against the real server: startup, SCRAM and error reporting
/// with the reference client.
@Suite("psql against WireServer")
struct PsqlTests {
    struct Result {
        var status: Int32
        var output: String
    }

    func psql(port: Int, user: String = "alice", password: String? = nil, _ arguments: [String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", "freshet", "-X", "-w"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = "10"
        environment["PGSSLMODE"] = "prefer"
        environment.removeValue(forKey: "PGPASSWORD")
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        // Block a Dispatch thread, not the (small) Swift concurrency pool the server runs on.
        let data: Data = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: data)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    @Test func psqlConnectsAndPrintsTheEnginesError() async throws {
        try await withTestServer { server in
            let result = try await psql(port: server.localPort, ["-c", "select * from nosuch"])
            // psql connected (SSL refused, startup, trust) and shows the Engine's error.
            #expect(result.output.contains("ERROR:  relation \"nosuch\" does not exist"), "\(result.output)")
            #expect(!result.output.contains("connection to server"), "\(result.output)")
            #expect(result.status == 1)
        }
    }

    @Test func psqlRunsScriptedQueriesAndCopy() async throws {
        try await withTestServer(provider: ScriptedProvider()) { server in
            let rows = try await psql(port: server.localPort, ["-A", "-t", "-c", "rows 3"])
            #expect(rows.status == 0, "\(rows.output)")
            #expect(rows.output == "0|row 0\n1|row 1\n2|row 2\n")

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-psql-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("data.tsv")
            let lines = (0..<100_000).map { "\($0)\tvalue \($0)\n" }.joined()
            try lines.write(to: file, atomically: true, encoding: .utf8)
            let copy = try await psql(port: server.localPort, ["-c", "\\copy copyin from '\(file.path)'"])
            #expect(copy.status == 0, "\(copy.output)")
            #expect(copy.output.contains("COPY 100000"), "\(copy.output)")
        }
    }

    @Test func psqlWithSCRAM() async throws {
        try await withTestServer(authentication: .scram(users: ["alice": "s3cret:pw", "bob": "other"])) { server in
            let good = try await psql(port: server.localPort, password: "s3cret:pw", ["-A", "-t", "-c", "select 41 + 1"])
            // Authenticated: the Engine answers.
            #expect(good.output == "42\n", "\(good.output)")
            #expect(!good.output.contains("password authentication failed"), "\(good.output)")

            let bad = try await psql(port: server.localPort, password: "wrong", ["-c", "select 1"])
            #expect(bad.status == 2, "\(bad.output)")
            #expect(bad.output.contains("password authentication failed for user \"alice\""), "\(bad.output)")

            let unknown = try await psql(port: server.localPort, user: "mallory", password: "x", ["-c", "select 1"])
            #expect(unknown.status == 2, "\(unknown.output)")
            #expect(unknown.output.contains("password authentication failed for user \"mallory\""), "\(unknown.output)")
        }
    }
}
