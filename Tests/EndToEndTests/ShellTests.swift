import Foundation
import FreshetTestSupport
import Testing

/// `freshet shell` with a script on standard input: the engine runs in the
/// shell's process, output is psql-style aligned tables, errors go to stderr.
@Suite struct ShellTests {
    /// Runs `freshet shell --data-dir DIR` with `script` as stdin; returns (stdout, stderr, status).
    func shell(_ script: String, dataDir: String, cwd: String? = nil) throws -> (String, String, Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ServerProcess.defaultBinary())
        p.arguments = ["shell", "--data-dir", dataDir]
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), p.terminationStatus)
    }

    @Test func scriptFromStandardInput() throws {
        let dir = try TemporaryDirectory()
        let script = """
        CREATE STREAM t (name VARCHAR(10), n INTEGER) WITH (shards = 1);
        INSERT INTO t VALUES ('alpha', 1),
                             ('b', 22);   -- a statement over two lines
        SELECT name, n, upper(name) AS shout FROM t ORDER BY n;
        \\d t
        SELECT 'semi;colon' AS s, $$dollar;quoted$$ AS d;
        SELECT nope FROM t;
        SELECT count(*) FROM t
        """
        let (out, err, status) = try shell(script, dataDir: dir.path + "/data")
        let expected = """
        CREATE STREAM
        INSERT 0 2
         name  | n  | shout 
        -------+----+-------
         alpha |  1 | ALPHA
         b     | 22 | B
        (2 rows)

        Stream "public.t"
         Column |         Type          
        --------+-----------------------
         name   | character varying(10)
         n      | integer

             s      |       d       
        ------------+---------------
         semi;colon | dollar;quoted
        (1 row)

         count 
        -------
             2
        (1 row)


        """
        #expect(out == expected)
        #expect(err.contains("ERROR:  column \"nope\" does not exist"))
        #expect(status == 3, "a script with a failed statement exits non-zero")
    }

    @Test func dataPersistsAcrossShellRuns() throws {
        let dir = try TemporaryDirectory()
        _ = try shell("CREATE STREAM s (x INTEGER);\nINSERT INTO s VALUES (7);\nCREATE FUNCTION dbl(v INTEGER) RETURNS INTEGER RETURN v * 2;\n", dataDir: dir.path + "/data")
        let (out, err, status) = try shell("SELECT dbl(x) AS y FROM s;\n\\q\nSELECT 1;\n", dataDir: dir.path + "/data")
        #expect(err == "")
        #expect(status == 0)
        #expect(out == " y  \n----\n 14\n(1 row)\n\n", "\\q stops before the last statement")
    }
}
