import FreshetCore

/// Session settings for SET/SHOW/RESET. Only UTF8 encodings are accepted;
/// the rest are remembered and shown back, as PostgreSQL does for settings
/// that do not change Freshet's behaviour.
struct Settings {
    static let defaults: [(String, String)] = [
        ("application_name", ""),
        ("client_encoding", "UTF8"),
        ("datestyle", "ISO, MDY"),
        ("intervalstyle", "postgres"),
        ("timezone", "UTC"),
        ("search_path", "\"$user\", public"),
        ("standard_conforming_strings", "on"),
        ("integer_datetimes", "on"),
        ("server_version", "15.0 (Freshet 0.1)"),
        ("server_version_num", "150000"),
        ("server_encoding", "UTF8"),
        ("extra_float_digits", "1"),
        ("statement_timeout", "0"),
        ("lock_timeout", "0"),
        ("idle_in_transaction_session_timeout", "0"),
        ("transaction_isolation", "read committed"),
        ("default_transaction_isolation", "read committed"),
        ("max_identifier_length", "63"),
        ("is_superuser", "on"),
    ]
    /// Settings PostgreSQL reports with ParameterStatus when they change (and their display names).
    static let reported: [String: String] = [
        "application_name": "application_name", "client_encoding": "client_encoding", "datestyle": "DateStyle",
        "intervalstyle": "IntervalStyle", "timezone": "TimeZone", "standard_conforming_strings": "standard_conforming_strings",
        "is_superuser": "is_superuser", "integer_datetimes": "integer_datetimes",
    ]
    static let readOnly: Set<String> = ["server_version", "server_version_num", "server_encoding", "integer_datetimes",
                                        "max_identifier_length", "is_superuser"]

    var values: [String: String]
    var changes: [(String, String)] = []

    init() {
        values = Dictionary(uniqueKeysWithValues: Settings.defaults)
    }

    func get(_ name: String) -> String? { values[name.lowercased()] }

    mutating func set(_ rawName: String, _ value: String?) throws {
        let name = rawName.lowercased()
        if Settings.readOnly.contains(name) {
            throw FreshetError(.invalidParameterValue, "parameter \"\(name)\" cannot be changed")
        }
        var v = value ?? Settings.defaults.first(where: { $0.0 == name })?.1 ?? ""
        switch name {
        case "client_encoding":
            let u = v.uppercased().replacingOccurrences(of: "-", with: "")
            guard u == "UTF8" || u == "UNICODE" else {
                throw FreshetError(.featureNotSupported, "Freshet supports only the UTF8 client encoding, not \"\(v)\"")
            }
            v = "UTF8"
        case "timezone":
            let u = v.uppercased()
            guard ["UTC", "GMT", "ETC/UTC", "Z", "ZULU", "UCT", "+00", "00:00", "0"].contains(u) else {
                throw FreshetError(.featureNotSupported, "Freshet runs in UTC; time zone \"\(v)\" is not supported",
                                   hint: "Timestamps are stored and shown in UTC.")
            }
            v = "UTC"
        case "datestyle":
            guard v.uppercased().contains("ISO") else {
                throw FreshetError(.featureNotSupported, "only the ISO DateStyle is supported, not \"\(v)\"")
            }
            v = "ISO, MDY"
        default: break
        }
        values[name] = v
        if let display = Settings.reported[name] { changes.append((display, v)) }
    }
}

import Foundation
