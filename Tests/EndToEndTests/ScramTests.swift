import Foundation
import FreshetTestSupport
import Testing

/// SCRAM-SHA-256 login with libpq's and psql's own implementation.
@Suite(.serialized) struct ScramTests {
    @Test func rightAndWrongPasswords() throws {
        let f = try ServerFixture(arguments: ["--auth", "scram"], environment: ["FRESHET_USERS": "alice:s3cret,bob:hunter2"])
        let c = try LibPQConnection(port: f.port, user: "alice", password: "s3cret")
        #expect(try c.exec("SELECT 1").rows == [["1"]])
        do {
            _ = try LibPQConnection(port: f.port, user: "alice", password: "wrong")
            Issue.record("a wrong password was accepted")
        } catch let e as LibPQConnection.Failure {
            #expect(e.message.contains("password authentication failed for user \"alice\""))
        }
        do {
            _ = try LibPQConnection(port: f.port, user: "mallory", password: "s3cret")
            Issue.record("an unknown user was accepted")
        } catch let e as LibPQConnection.Failure {
            #expect(e.message.contains("password authentication failed for user \"mallory\""))
        }
        let out = try Psql.run(port: f.port, ["-U", "bob", "-A", "-t", "-c", "SELECT 2"], environment: ["PGPASSWORD": "hunter2"])
        #expect(out.stdout.contains("2"), "\(out.stderr)")
    }
}
