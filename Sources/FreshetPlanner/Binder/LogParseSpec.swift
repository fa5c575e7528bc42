import FreshetCore
import FreshetSQL

/// A row-valued log-parsing call of Kinesis Data Analytics (SQL reference, "Log Parsing
/// Functions"): which function, its constant arguments, and the fields of the row it
/// returns. Made once by the binder (to type `alias.row.FIELD`) and again by the runtime
/// from the same constants (to build the parser). Fields are COLUMN1…COLUMNn unless the
/// call names them (a column list), lower-cased as unquoted SQL names are.
public struct LogParseSpec: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var type: DataType
        /// FIXED_COLUMN_LOG_PARSE: 0-based start and optional width.
        public var start: Int = 0
        public var width: Int?
    }
    /// One piece of a W3C line: a bare token, a `[bracketed]` one or a `"quoted"` one.
    public enum W3CToken: Sendable { case plain, bracketed, quoted }
    public enum Kind: Sendable {
        case w3c([W3CToken])
        /// REGEX_LOG_PARSE (`fast` false) and FAST_REGEX_LOG_PARSE: the whole line must match.
        case regex(String, fast: Bool)
        case variable(delimiter: String, escape: Character?, quoteOpen: Character?, quoteClose: Character?)
        case fixed
        case syslog
    }
    public var function: String
    /// The constant arguments after the input, as text.
    public var arguments: [String]
    public var kind: Kind
    public var fields: [Field]

    public static let functionNames: Set<String> = ["w3c_log_parse", "regex_log_parse", "fast_regex_log_parse",
                                                    "variable_column_log_parse", "fixed_column_log_parse", "sys_log_parse"]

    /// Whether `e` is a call of a row-valued function.
    static func isRowValued(_ e: Expression) -> Bool {
        if case .function(let f) = e.kind, f.over == nil, functionNames.contains(f.name.last.value.lowercased()) { return true }
        return false
    }

    /// The spec of a row-valued call written in SQL: its arguments after the input must be constants.
    static func resolve(_ e: Expression) throws -> LogParseSpec {
        guard case .function(let f) = e.kind else { preconditionFailure("not a call") }
        let name = f.name.last.value.lowercased()
        guard let first = f.arguments.first else {
            throw PlanError.error(.undefinedFunction, "\(name.uppercased()) needs the text to parse as its first argument", e.span)
        }
        _ = first
        var constants: [String] = []
        for a in f.arguments.dropFirst() {
            switch a.kind {
            case .literal(.string(let s)), .literal(.integer(let s)): constants.append(s)
            default:
                throw PlanError.error(.featureNotSupported, "the arguments of \(name.uppercased()) after the first must be constants", a.span)
            }
        }
        do {
            return try make(function: name, arguments: constants)
        } catch var error as FreshetError {
            if error.position == nil { error.position = e.span.start.offset + 1 }
            throw error
        }
    }

    /// The spec of `function` with these constant arguments (after the input).
    public static func make(function: String, arguments: [String]) throws -> LogParseSpec {
        func arity(_ r: ClosedRange<Int>) throws {
            guard r.contains(arguments.count + 1) else {
                throw FreshetError(.undefinedFunction, "\(function.uppercased()) takes \(r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound) to \(r.upperBound)") arguments, not \(arguments.count + 1)")
            }
        }
        func numbered(_ n: Int, _ t: DataType) -> [Field] { (1...max(n, 1)).map { Field(name: "column\($0)", type: t) } }
        let text1024 = DataType.varchar(1024)
        switch function {
        case "w3c_log_parse":
            try arity(2...2)
            let common: [(W3CToken, DataType)] = [(.plain, .text), (.plain, .text), (.plain, .text), (.bracketed, .text),
                                                  (.quoted, .text), (.plain, .integer), (.plain, .bigint)]
            let tokens: [(W3CToken, DataType)]
            switch arguments[0].uppercased().split(separator: " ").joined(separator: " ") {
            case "COMMON": tokens = common
            case "COMMON WITH VHOST": tokens = [(.plain, .text)] + common
            case "NCSA EXTENDED": tokens = common + [(.quoted, .text), (.quoted, .text)]
            default:
                throw FreshetError(.featureNotSupported, "W3C_LOG_PARSE format '\(arguments[0])' is not supported",
                                   hint: "Supported formats: 'COMMON', 'COMMON WITH VHOST', 'NCSA EXTENDED'; for other layouts use REGEX_LOG_PARSE.")
            }
            var fields: [Field] = []
            for (i, t) in tokens.enumerated() { fields.append(Field(name: "column\(i + 1)", type: t.1)) }
            return LogParseSpec(function: function, arguments: arguments, kind: .w3c(tokens.map(\.0)), fields: fields)
        case "regex_log_parse", "fast_regex_log_parse":
            try arity(2...3)
            let groups = captureGroupCount(arguments[0])
            guard groups > 0 else {
                throw FreshetError(.invalidParameterValue, "\(function.uppercased()) needs a pattern with at least one group (…), one for each column")
            }
            var fields = numbered(groups, text1024)
            if arguments.count == 2 {
                let named = try columnList(arguments[1], keyword: nil)
                guard named.count == groups else {
                    throw FreshetError(.invalidParameterValue, "the column list names \(named.count) columns but the pattern has \(groups) groups")
                }
                fields = named
            }
            return LogParseSpec(function: function, arguments: arguments, kind: .regex(arguments[0], fast: function.hasPrefix("fast")), fields: fields)
        case "variable_column_log_parse":
            try arity(3...5)
            let fields: [Field]
            if let n = Int(arguments[0].trimmingSpaces) {
                guard n >= 1 && n <= 1000 else { throw FreshetError(.invalidParameterValue, "VARIABLE_COLUMN_LOG_PARSE needs 1 to 1000 columns, not \(n)") }
                fields = numbered(n, text1024)
            } else {
                fields = try columnList(arguments[0], keyword: "TYPE")
            }
            guard !arguments[1].isEmpty else { throw FreshetError(.invalidParameterValue, "VARIABLE_COLUMN_LOG_PARSE needs a non-empty delimiter") }
            let escape = arguments.count > 2 ? arguments[2].first : nil
            let quote = arguments.count > 3 ? Array(arguments[3]) : []
            return LogParseSpec(function: function, arguments: arguments,
                                kind: .variable(delimiter: arguments[1], escape: escape, quoteOpen: quote.first, quoteClose: quote.last),
                                fields: fields)
        case "fixed_column_log_parse":
            try arity(2...2)
            return LogParseSpec(function: function, arguments: arguments, kind: .fixed, fields: try fixedColumns(arguments[0]))
        case "sys_log_parse":
            try arity(1...1)
            return LogParseSpec(function: function, arguments: arguments, kind: .syslog,
                                fields: [Field(name: "column1", type: .timestamp), Field(name: "column2", type: .text)])
        default:
            throw FreshetError(.undefinedFunction, "function \(function) does not exist")
        }
    }

    /// Groups `( … )` of a Java pattern that capture (not `(?:`, `(?=` …; `(?<name>` does).
    static func captureGroupCount(_ pattern: String) -> Int {
        var n = 0, escaped = false, inClass = false
        let cs = Array(pattern)
        for (i, c) in cs.enumerated() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass:
                if i + 1 < cs.count, cs[i + 1] == "?" {
                    if i + 2 < cs.count, cs[i + 2] == "<", i + 3 < cs.count, cs[i + 3] != "=", cs[i + 3] != "!" { n += 1 }
                } else {
                    n += 1
                }
            default: break
            }
        }
        return n
    }

    /// `name [TYPE] type [NOT NULL], …` (REGEX_LOG_PARSE without TYPE, VARIABLE_COLUMN_LOG_PARSE with it).
    static func columnList(_ text: String, keyword: String?) throws -> [Field] {
        var fields: [Field] = []
        for part in splitTopLevel(text) {
            var words = part.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !words.isEmpty else { continue }
            let name = unquote(words.removeFirst())
            if let keyword, words.first?.uppercased() == keyword { words.removeFirst() }
            if words.count >= 2, words[words.count - 2].uppercased() == "NOT", words.last?.uppercased() == "NULL" { words.removeLast(2) }
            let type = words.isEmpty ? DataType.varchar(1024) : try resolveType(words.joined(separator: " "))
            fields.append(Field(name: name, type: type))
        }
        guard !fields.isEmpty else { throw FreshetError(.invalidParameterValue, "the column list '\(text)' names no columns") }
        return fields
    }

    /// `name TYPE type START n [FOR m], …`.
    static func fixedColumns(_ text: String) throws -> [Field] {
        var fields: [Field] = []
        for part in splitTopLevel(text) {
            var words = part.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2 else { continue }
            let name = unquote(words.removeFirst())
            if words.first?.uppercased() == "TYPE" { words.removeFirst() }
            guard let s = words.firstIndex(where: { $0.uppercased() == "START" }), s + 1 < words.count, let start = Int(words[s + 1]), start >= 0 else {
                throw FreshetError(.invalidParameterValue, "FIXED_COLUMN_LOG_PARSE column \"\(name)\" needs START n (0-based)",
                                   hint: "Example: 'ip TYPE VARCHAR(15) START 0 FOR 15, code TYPE INTEGER START 16 FOR 3'")
            }
            var width: Int?
            if s + 2 < words.count, words[s + 2].uppercased() == "FOR" {
                guard s + 3 < words.count, let w = Int(words[s + 3]), w > 0 else {
                    throw FreshetError(.invalidParameterValue, "FIXED_COLUMN_LOG_PARSE column \"\(name)\": FOR needs a positive width")
                }
                width = w
            }
            let typeWords = words[..<s].filter { $0.uppercased() != "NOT" && $0.uppercased() != "NULL" }
            guard !typeWords.isEmpty else { throw FreshetError(.invalidParameterValue, "FIXED_COLUMN_LOG_PARSE column \"\(name)\" needs a type") }
            fields.append(Field(name: name, type: try resolveType(typeWords.joined(separator: " ")), start: start, width: width))
        }
        guard !fields.isEmpty else { throw FreshetError(.invalidParameterValue, "the column list '\(text)' names no columns") }
        return fields
    }

    static func resolveType(_ text: String) throws -> DataType {
        do {
            return try TypeNames.resolve(try Parser.parseDataType(text))
        } catch {
            throw FreshetError(.invalidParameterValue, "unknown type \"\(text)\" in a log-parsing column list")
        }
    }

    /// Split on commas outside parentheses (`DECIMAL(8, 2)` stays whole).
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = [], cur = "", depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == "," && depth == 0 { parts.append(cur); cur = "" } else { cur.append(c) }
        }
        parts.append(cur)
        return parts
    }

    static func unquote(_ name: String) -> String {
        if name.count >= 2, name.first == "\"", name.last == "\"" { return String(name.dropFirst().dropLast()) }
        return name.lowercased()
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
