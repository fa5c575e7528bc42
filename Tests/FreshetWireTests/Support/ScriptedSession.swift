import Foundation
import FreshetCore
import FreshetEngine
import Synchronization
@testable import FreshetWire

/// A scripted stand-in for the Engine session, so the connection logic can be
/// tested before the Engine runs SQL. Statements are separated by ';'; the
/// first word picks the behaviour:
///
/// - `rows N`: a result of N rows (n integer, s text), tag "SELECT N"
/// - `endless`: rows forever until the cancel handle fires (57014)
/// - `fail`: execute throws 42P01 with position 1
/// - `badsyntax`: parse throws 42601 at position 5
/// - `copyin`: COPY FROM STDIN; data with "BAD" makes receive throw 22P04
/// - `copyout`: COPY TO STDOUT of three lines
/// - `echo`: one row holding the parameters, typed as the statement's parameters
/// - `begin` / `commit`: transaction status T / I
/// - `set`: reports a ParameterStatus change
/// - anything else: a command whose tag is the word upper-cased
final class ScriptedSession: WireSession {
    struct Prepared {
        var statement: ParsedStatement
        var parameterTypes: [DataType]
        var columns: [ResultColumn]?
    }

    let cancelHandle = CancelHandle()
    var transactionStatus: TransactionStatus = .idle
    var initialParameterStatus: [(String, String)] { [("server_version", "15.0"), ("application_name", "")] }
    var pendingChanges: [(String, String)] = []
    let log: ScriptedProvider.Log

    init(log: ScriptedProvider.Log) { self.log = log }

    func takeParameterStatusChanges() -> [(String, String)] {
        defer { pendingChanges = [] }
        return pendingChanges
    }

    func parse(_ sql: String) throws -> [ParsedStatement] {
        try sql.split(separator: ";").compactMap { piece in
            let text = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return nil }
            if text.hasPrefix("badsyntax") { throw FreshetError(.syntaxError, "syntax error at or near \"x\"", position: 5) }
            let word = String(text.split(separator: " ").first ?? "")
            return ParsedStatement(text: text, source: sql, commandWord: word.uppercased(), payload: nil)
        }
    }

    func prepare(_ statement: ParsedStatement, parameterTypes: [DataType?]) throws -> Prepared {
        let words = statement.text.split(separator: " ")
        switch words.first {
        case "rows", "endless":
            return Prepared(statement: statement, parameterTypes: [], columns: ScriptedRows.columns)
        case "echo":
            let types = parameterTypes.map { $0 ?? .integer }
            return Prepared(statement: statement, parameterTypes: types,
                            columns: types.enumerated().map { ResultColumn(name: "p\($0.offset + 1)", type: $0.element) })
        default:
            return Prepared(statement: statement, parameterTypes: [], columns: nil)
        }
    }

    func parameterTypes(of prepared: Prepared) -> [DataType] { prepared.parameterTypes }
    func resultColumns(of prepared: Prepared) -> [ResultColumn]? { prepared.columns }

    func execute(_ prepared: Prepared, parameters: [Value]) async throws -> ExecutionResult {
        cancelHandle.reset()
        log.append("execute \(prepared.statement.text)")
        var words = prepared.statement.text.split(separator: " ")
        let lower = prepared.statement.text.lowercased()
        if lower.hasPrefix("copy "), lower.hasSuffix("from stdin") { words = ["copyin"] } // what psql's \copy sends
        switch words.first {
        case "rows":
            return .rows(ScriptedRows(count: Int(words[1])!, cancel: nil))
        case "endless":
            return .rows(ScriptedRows(count: nil, cancel: cancelHandle))
        case "fail":
            throw FreshetError(.undefinedTable, "stream \"nowhere\" does not exist", hint: "Create it first.", position: 1)
        case "copyin":
            return .copyIn(ScriptedCopyIn(log: log))
        case "copyout":
            return .copyOut(ScriptedCopyOut())
        case "echo":
            return .rows(ScriptedRows(columns: prepared.columns!, rows: [parameters]))
        case "begin":
            transactionStatus = .inTransaction
            return .command("BEGIN")
        case "commit":
            transactionStatus = .idle
            return .command("COMMIT")
        case "set":
            pendingChanges.append(("application_name", "changed"))
            return .command("SET")
        default:
            return .command(prepared.statement.commandWord)
        }
    }

    func statementFailed() {
        log.append("statementFailed")
        if transactionStatus == .inTransaction { transactionStatus = .failed }
    }

    func close() { log.append("close") }
}

final class ScriptedRows: RowStream {
    static let columns = [ResultColumn(name: "n", type: .integer), ResultColumn(name: "s", type: .text)]
    let columns: [ResultColumn]
    private var remaining: Int?
    private var produced = 0
    private let cancel: CancelHandle?
    private var fixed: [Row]?
    var pulls = 0

    init(count: Int?, cancel: CancelHandle?) {
        self.columns = Self.columns
        self.remaining = count
        self.cancel = cancel
    }

    init(columns: [ResultColumn], rows: [Row]) {
        self.columns = columns
        self.fixed = rows
        self.remaining = rows.count
        self.cancel = nil
    }

    func next(maxRows: Int) async throws -> [Row]? {
        pulls += 1
        if let fixed {
            self.fixed = []
            produced += fixed.count
            return fixed.isEmpty ? nil : fixed
        }
        if let cancel {
            try await Task.sleep(for: .milliseconds(2))
            if cancel.isCancelled { throw FreshetError(.queryCanceled, "canceling statement due to user request") }
        }
        let n = remaining.map { min($0, maxRows) } ?? maxRows
        if n == 0 { return nil }
        remaining = remaining.map { $0 - n }
        defer { produced += n }
        return (0..<n).map { i in [.int(Int64(produced + i)), .string("row \(produced + i)")] }
    }

    var commandTag: String { "SELECT \(produced)" }
    func close() {}
}

final class ScriptedCopyIn: CopyInHandler {
    let log: ScriptedProvider.Log
    var bytes = 0
    var lines = 0
    var chunks = 0
    init(log: ScriptedProvider.Log) { self.log = log }
    var columnCount: Int { 2 }
    var isBinary: Bool { false }
    func receive(_ data: UnsafeRawBufferPointer) throws {
        chunks += 1
        bytes += data.count
        lines += data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        if String(decoding: data, as: UTF8.self).contains("BAD") {
            throw FreshetError(.badCopyFileFormat, "bad COPY data", detail: "line \(lines)")
        }
    }
    func finish() async throws -> String {
        log.append("copy finished: \(lines) lines, \(bytes) bytes, \(chunks) chunks")
        return "COPY \(lines)"
    }
    func abort(reason: String) { log.append("copy aborted: \(reason)") }
}

final class ScriptedCopyOut: CopyOutStream {
    private var chunks = ["1\ta\n", "2\tb\n", "3\tc\n"]
    var columnCount: Int { 2 }
    var isBinary: Bool { false }
    func next() async throws -> [UInt8]? { chunks.isEmpty ? nil : Array(chunks.removeFirst().utf8) }
    var commandTag: String { "COPY 3" }
    func close() {}
}

/// Opens `ScriptedSession`s and records what they did, for assertions.
final class ScriptedProvider: WireSessionProvider {
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func append(_ s: String) { entries.withLock { $0.append(s) } }
        var all: [String] { entries.withLock { $0 } }
    }
    let log = Log()
    func openWireSession(user: String, database: String, applicationName: String) -> any WireSession {
        log.append("open \(user) \(database)")
        return ScriptedSession(log: log)
    }
}
