import Foundation

/// The outcome of running one statement, however it was run.
public enum SLTOutcome: Sendable {
    /// Rows as text (NULL as nil), possibly none.
    case rows([[String?]])
    case error(sqlState: String, message: String)
}

/// Runs SQL for the runner: in process through the Engine, or over the wire with libpq.
public protocol SLTExecutor {
    func run(_ sql: String) async -> SLTOutcome
}

/// Runs .slt files and reports mismatches. With FRESHET_SLT_REWRITE=1 it
/// rewrites the expected rows of `query` records from what the server
/// returned (review the diff before committing).
public struct SLTRunner {
    public struct Failure: CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public init() {}

    /// Format a row the way .slt files write it: values separated by one space, NULL as
    /// `NULL`, the empty string as `(empty)`.
    public static func format(_ row: [String?]) -> String {
        row.map { v in
            guard let v else { return "NULL" }
            return v.isEmpty ? "(empty)" : v
        }.joined(separator: " ")
    }

    /// Run one file; returns failures (empty when all records pass).
    /// Whether a file moves the clock (`clock advance`): such files run only in process,
    /// where the engine's clock is a ManualClock.
    public static func needsManualClock(_ path: String) -> Bool {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("\nclock advance ")
    }

    public func run(file path: String, executor: SLTExecutor, advanceClock: ((Int64) -> Void)? = nil) async throws -> [Failure] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let records = try SLTParser.parse(text)
        var failures: [Failure] = []
        var rewritten: [Int: [String]] = [:]
        let name = (path as NSString).lastPathComponent
        for r in records {
            if case .clockAdvance(let micros) = r.kind {
                guard let advanceClock else {
                    failures.append(Failure(file: name, line: r.line, message: "clock advance needs an in-process run with a ManualClock"))
                    return failures
                }
                advanceClock(micros)
                continue
            }
            let outcome = await executor.run(r.sql)
            switch (r.kind, outcome) {
            case (.statementOK, .rows):
                break
            case let (.statementOK, .error(state, message)):
                failures.append(Failure(file: name, line: r.line, message: "expected success, got \(state): \(message)\n  SQL: \(r.sql)"))
            case let (.statementError(wantState, wantMessage), .error(state, message)):
                if let wantState, wantState != state {
                    failures.append(Failure(file: name, line: r.line, message: "expected SQLSTATE \(wantState), got \(state): \(message)"))
                } else if let wantMessage, !message.contains(wantMessage) {
                    failures.append(Failure(file: name, line: r.line, message: "expected an error containing '\(wantMessage)', got \(state): \(message)"))
                }
            case (.statementError, .rows):
                failures.append(Failure(file: name, line: r.line, message: "expected an error, but the statement succeeded\n  SQL: \(r.sql)"))
            case let (.query(_, rowsort, expected), .rows(rows)):
                var got = rows.map(SLTRunner.format)
                var want = expected
                if rowsort { got.sort(); want.sort() }
                if got != want {
                    rewritten[r.line] = rowsort ? got : rows.map(SLTRunner.format)
                    failures.append(Failure(file: name, line: r.line,
                        message: "query result differs\n  SQL: \(r.sql)\n  expected:\n    \(want.joined(separator: "\n    "))\n  got:\n    \(got.joined(separator: "\n    "))"))
                }
            case let (.query, .error(state, message)):
                failures.append(Failure(file: name, line: r.line, message: "query failed with \(state): \(message)\n  SQL: \(r.sql)"))
            case (.clockAdvance, _):
                break
            }
        }
        if ProcessInfo.processInfo.environment["FRESHET_SLT_REWRITE"] == "1" && !rewritten.isEmpty {
            try rewrite(path: path, text: text, results: rewritten)
        }
        return failures
    }

    /// Replace the expected rows of the given query records (keyed by their header line).
    func rewrite(path: String, text: String, results: [Int: [String]]) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for start in results.keys.sorted(by: >) {
            var i = start
            while i < lines.count && lines[i] != "----" && !lines[i].isEmpty { i += 1 }
            var end = i
            if i < lines.count && lines[i] == "----" {
                end = i + 1
                while end < lines.count && !lines[end].isEmpty { end += 1 }
                lines.replaceSubrange((i + 1)..<end, with: results[start]!)
            } else {
                lines.insert(contentsOf: ["----"] + results[start]!, at: i)
            }
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
