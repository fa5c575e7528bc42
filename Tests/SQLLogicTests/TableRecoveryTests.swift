import Foundation
import FreshetCore
import FreshetEngine
import FreshetTestSupport
import Testing

/// Reference tables across engine restarts: the change log is replayed, a torn
/// last frame (an unacknowledged statement) is cut off, and errors carry the
/// position of the offending name (psql draws its caret there).
@Suite struct TableRecoveryTests {
    func run(_ session: Session, _ sql: String) async throws -> [[String?]] {
        switch await EngineExecutor(session: session).run(sql) {
        case .rows(let r): return r
        case let .error(state, message): throw FreshetError(SQLState(state), message)
        }
    }

    func engine(_ dir: TemporaryDirectory) throws -> Engine {
        try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data"))
    }

    @Test func changesSurviveARestartAndATornTailIsCutOff() async throws {
        let dir = try TemporaryDirectory()
        var e = try engine(dir)
        var s = e.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE TABLE ref (k INTEGER PRIMARY KEY, v TEXT)")
        _ = try await run(s, "INSERT INTO ref VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        _ = try await run(s, "UPDATE ref SET v = 'B' WHERE k = 2")
        _ = try await run(s, "DELETE FROM ref WHERE k = 1")
        await e.shutdown()

        // A crash in the middle of appending a frame leaves a partial frame behind.
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/data/tables").filter { $0.hasSuffix(".log") }
        #expect(logs.count == 1)
        let log = dir.path + "/data/tables/" + logs[0]
        let sizeBefore = try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        let h = FileHandle(forWritingAtPath: log)!
        h.seekToEndOfFile()
        h.write(Data([200, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9]))   // a length of 200 with only 3 payload bytes
        h.closeFile()

        e = try engine(dir)
        s = e.openSession(user: "t", database: "t")
        #expect(try await run(s, "SELECT k, v FROM ref ORDER BY k") == [["2", "B"], ["3", "c"]])
        let sizeAfter = try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        #expect(sizeAfter == sizeBefore, "the torn tail is truncated away")
        // The key constraint holds over the replayed rows, and new writes append after them.
        await #expect(throws: FreshetError.self) { try await run(s, "INSERT INTO ref VALUES (3, 'dup')") }
        _ = try await run(s, "INSERT INTO ref VALUES (4, 'd')")
        await e.shutdown()

        e = try engine(dir)
        s = e.openSession(user: "t", database: "t")
        #expect(try await run(s, "SELECT count(*), max(k) FROM ref") == [["3", "4"]])
        _ = try await run(s, "DROP TABLE ref")
        #expect(!FileManager.default.fileExists(atPath: log), "DROP TABLE deletes the log")
        await e.shutdown()
    }

    @Test func manyChangesAreCompactedAtStart() async throws {
        let dir = try TemporaryDirectory()
        var e = try engine(dir)
        var s = e.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE TABLE c (k INTEGER PRIMARY KEY, n INTEGER)")
        _ = try await run(s, "INSERT INTO c VALUES (1, 0), (2, 0)")
        for _ in 0..<600 { _ = try await run(s, "UPDATE c SET n = n + 1") }   // 2,400 log entries for 2 rows
        await e.shutdown()
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/data/tables").filter { $0.hasSuffix(".log") }
        let log = dir.path + "/data/tables/" + logs[0]
        let before = try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        e = try engine(dir)
        s = e.openSession(user: "t", database: "t")
        let after = try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        #expect(after < before / 100, "compacted from \(before) to \(after) bytes")
        #expect(try await run(s, "SELECT k, n FROM c ORDER BY k") == [["1", "600"], ["2", "600"]])
        await e.shutdown()
    }

    /// The 1-based character position an error points at.
    func position(_ s: Session, _ sql: String) throws -> (String, Int?) {
        do {
            for st in try s.parse(sql) { _ = try s.prepare(st, parameterTypes: []) }
        } catch let e as FreshetError {
            s.statementFailed()
            return (e.state.code, e.position)
        }
        return ("00000", nil)
    }

    @Test func errorsPointAtTheOffendingName() async throws {
        let dir = try TemporaryDirectory()
        let e = try engine(dir)
        let s = e.openSession(user: "t", database: "t")
        _ = try await run(s, "CREATE TABLE a (id INTEGER, x INTEGER)")
        _ = try await run(s, "CREATE TABLE b (id INTEGER, y INTEGER)")
        let ambiguous = "SELECT x, id FROM a JOIN b ON a.id = b.id"
        #expect(try position(s, ambiguous) == ("42702", 11))
        let using = "SELECT * FROM a JOIN b USING (id, nope)"
        #expect(try position(s, using) == ("42703", 35))
        let correlated = "SELECT x FROM a WHERE EXISTS (SELECT 1 FROM (SELECT * FROM b WHERE b.id = a.id) AS c)"
        #expect(try position(s, correlated) == ("0A000", 75))
        let twice = "SELECT * FROM a, a"
        #expect(try position(s, twice).0 == "42712")
        let setop = "SELECT x FROM a UNION SELECT id, y FROM b"
        let setopResult = try position(s, setop)
        #expect(setopResult.0 == "42601", "\(setopResult)")
        let update = "UPDATE a SET nope = 1"
        #expect(try position(s, update) == ("42703", 14))
        await e.shutdown()
    }
}
