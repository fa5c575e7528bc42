import FreshetCore
import Foundation

// Loading SCRAM users for `WireConfiguration.Authentication.scram`. Foundation
// is used here only, to read a file and the environment at start-up.

extension WireConfiguration.Authentication {
    /// Parses `name:password` entries separated by `separator` (newlines in a
    /// file, commas in FRESHET_USERS). Blank entries and lines starting with '#'
    /// are skipped; the password is everything after the first ':' (it may contain ':').
    public static func parseUsers(_ text: String, separator: Character = "\n") throws -> [String: String] {
        var users: [String: String] = [:]
                // "\r\n" is one Character in Swift, so lines are split on any newline.
        let entries = text.split(omittingEmptySubsequences: false) { separator == "\n" ? $0.isNewline : $0 == separator }
        for (index, raw) in entries.enumerated() {
            let entry = raw.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
                throw FreshetError(.invalidParameterValue, "invalid user entry \(index + 1): expected name:password")
            }
            users[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
        }
        return users
    }

    /// SCRAM users from a file of `name:password` lines.
    public static func scram(usersFile path: String) throws -> Self {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FreshetError(.ioError, "cannot read users file \"\(path)\": \(error.localizedDescription)")
        }
        return .scram(users: try parseUsers(text))
    }

    /// SCRAM users from an environment variable such as
    /// `FRESHET_USERS="alice:pw1,bob:pw2"`; nil when the variable is unset or empty.
    public static func scram(environmentVariable name: String = "FRESHET_USERS",
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return .scram(users: try parseUsers(value, separator: ","))
    }
}
