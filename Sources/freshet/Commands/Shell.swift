import ArgumentParser
import FreshetCore
import FreshetEngine
import Foundation
import Logging

/// `freshet shell`: the engine in this process (no server, no psql), with
/// readline editing and history, statements ended by `;`, psql-style
/// aligned tables, and `\q`, `\d`, `\d name`, `\?`. Reads a script from
/// standard input when it is not a terminal: `freshet shell < script.sql`.
struct Shell: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run SQL in-process against a data directory (no server needed).",
        discussion: """
        Statements end with ';'. Backslash commands: \\q quit, \\d list streams, \\d NAME describe one, \\? help. \
        A data directory must not be open in a running server at the same time.
        """
    )

    @Option(name: .long, help: "Directory holding the catalog and the shard logs (created if missing).")
    var dataDir: String = "./freshet-data"

    @Option(name: .long, help: "Log level for engine messages on stderr.")
    var logLevel: String = "warning"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dataDir), logger: Logger(label: "freshet"))
        let session = engine.openSession(user: ProcessInfo.processInfo.environment["USER"] ?? "freshet", database: "freshet")
        let input = LineReader()
        var splitter = StatementSplitter()
        var failures = 0
        if input.interactive { print("freshet shell (data in \(dataDir)). Type \\? for help, \\q to quit.") }
        loop: while let line = input.readLine(prompt: splitter.isEmpty ? "freshet=> " : "freshet-> ") {
            if splitter.isEmpty, line.trimmingLeadingWhitespace().hasPrefix("\\") {
                let command = line.trimmingLeadingWhitespace()
                input.remember(command)
                if try await !backslash(command, session) { break loop }
                continue
            }
            for statement in splitter.feed(line) {
                input.remember(statement)
                if !(await run(statement, session)) { failures += 1 }
            }
        }
        if let rest = splitter.flush() {
            if !(await run(rest, session)) { failures += 1 }
        }
        input.close()
        await engine.shutdown()
        // A script's failures make the exit status non-zero (as psql -v ON_ERROR_STOP would, minus the stop).
        if !input.interactive && failures > 0 { throw ExitCode(3) }
    }

    /// Runs one statement (or several separated by `;`), printing results like psql; false if it failed.
    func run(_ sql: String, _ session: Session) async -> Bool {
        do {
            for st in try session.parse(sql) {
                let prepared = try session.prepare(st, parameterTypes: [])
                switch try await session.execute(prepared, parameters: []) {
                case .rows(let stream):
                    var rows: [[String?]] = []
                    while let batch = try await stream.next(maxRows: 1024) {
                        for r in batch {
                            rows.append(zip(r, stream.columns).map { v, c in v.isNull ? nil : v.pgText(as: c.type) })
                        }
                    }
                    print(TableFormatter.format(columns: stream.columns.map { ($0.name, $0.type) }, rows: rows))
                case .command(let tag):
                    print(tag)
                case .empty:
                    break
                case .copyIn(let h):
                    h.abort(reason: "COPY FROM STDIN is not available in the shell")
                    throw FreshetError(.featureNotSupported, "COPY FROM STDIN is not available in the shell; use INSERT, or psql's \\copy against `freshet serve`")
                case .copyOut(let c):
                    while let chunk = try await c.next() { FileHandle.standardOutput.write(Data(chunk)) }
                }
            }
            return true
        } catch let e as FreshetError {
            session.statementFailed()
            var text = "ERROR:  \(e.message)\n"
            if let d = e.detail { text += "DETAIL:  \(d)\n" }
            if let h = e.hint { text += "HINT:  \(h)\n" }
            Shell.printError(text)
            return false
        } catch {
            session.statementFailed()
            Shell.printError("ERROR:  \(error)\n")
            return false
        }
    }

    /// A backslash command; false to quit.
    func backslash(_ command: String, _ session: Session) async throws -> Bool {
        let parts = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts.first {
        case "\\q", "\\quit":
            return false
        case "\\d", "\\dt":
            if parts.count > 1 {
                await describe(parts[1], session)
            } else {
                _ = await run("SELECT name AS \"Name\", 'stream' AS \"Type\", open_shards AS \"Shards\", retention_hours AS \"Retention (h)\" FROM sys.streams ORDER BY name;", session)
            }
        case "\\copy":
            await copy(String(command.dropFirst(5)), session)
        case "\\?", "\\h", "\\help":
            print("""
            \\q          quit
            \\d          list streams
            \\d NAME     describe a stream's columns
            \\copy NAME FROM 'file' [WITH (FORMAT csv)]   load a file (COPY … FROM STDIN)
            \\?          this help
            SQL statements end with ';' and may span lines.

            """)
        default:
            Shell.printError(("invalid command \(parts.first ?? "")\nTry \\? for help.\n"))
        }
        return true
    }

    /// `\d name`: the columns and types a query over the relation would return.
    func describe(_ name: String, _ session: Session) async {
        do {
            let st = try session.parse("SELECT * FROM \(name)")
            let prepared = try session.prepare(st[0], parameterTypes: [])
            let columns = prepared.resultColumns ?? []
            print("Stream \"\(name.contains(".") ? name : "public." + name)\"")
            print(TableFormatter.format(columns: [("Column", .text), ("Type", .text)],
                                        rows: columns.map { [$0.name, $0.type.sqlName] }, footer: false))
        } catch let e as FreshetError {
            session.statementFailed()
            Shell.printError("Did not find any relation named \"\(name)\". (\(e.message))\n")
        } catch {
            Shell.printError("\(error)\n")
        }
    }

    /// `\copy name [(cols)] FROM 'file' [WITH (…)]`: the file's bytes fed to COPY … FROM STDIN, as psql does.
    func copy(_ rest: String, _ session: Session) async {
        let words = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard let fromIndex = words.firstIndex(where: { $0.lowercased() == "from" }), fromIndex + 1 < words.count else {
            Shell.printError("\\copy: only \\copy NAME FROM 'file' [WITH (…)] is supported\n")
            return
        }
        var file = String(words[fromIndex + 1])
        if file.hasPrefix("'") && file.hasSuffix("'") && file.count >= 2 { file = String(file.dropFirst().dropLast()) }
        guard let data = FileManager.default.contents(atPath: file) else {
            Shell.printError("\(file): No such file or directory\n")
            return
        }
        var sqlWords = words.map(String.init)
        sqlWords[fromIndex + 1] = "STDIN"
        do {
            let st = try session.parse("COPY " + sqlWords.joined(separator: " "))
            let prepared = try session.prepare(st[0], parameterTypes: [])
            guard case .copyIn(let h) = try await session.execute(prepared, parameters: []) else {
                throw FreshetError(.featureNotSupported, "\\copy needs a COPY … FROM STDIN")
            }
            do {
                try data.withUnsafeBytes { try h.receive($0) }
                print(try await h.finish())
            } catch {
                h.abort(reason: "\(error)")
                throw error
            }
        } catch let e as FreshetError {
            session.statementFailed()
            Shell.printError("ERROR:  \(e.message)\n")
        } catch {
            session.statementFailed()
            Shell.printError("ERROR:  \(error)\n")
        }
    }

    /// Errors go to stderr after whatever stdout holds, so a script's output reads in order.
    static func printError(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data(text.utf8))
    }
}
