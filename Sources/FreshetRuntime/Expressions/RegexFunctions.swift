import FreshetCore
import FreshetPlanner

/// REGEX_REPLACE (Kinesis Data Analytics: Java's `String.replaceAll` with a
/// start position and an occurrence) and SIMILAR TO, on Swift's `Regex`
/// (the _StringProcessing engine, no Foundation). A literal pattern is
/// compiled once per query; a computed one is compiled when it changes.
enum RegexFunctions {
    /// One compiled pattern, remembered with the text it came from.
    final class PatternCache {
        private var source: String?
        private var regex: Regex<AnyRegexOutput>?
        let translate: (String) throws -> String
        init(translate: @escaping (String) throws -> String = { $0 }) { self.translate = translate }
        func regex(for pattern: String) throws -> Regex<AnyRegexOutput> {
            if let regex, source == pattern { return regex }
            let r: Regex<AnyRegexOutput>
            do { r = try Regex(try translate(pattern)) } catch let e as FreshetError { throw e } catch {
                throw FreshetError(.invalidRegularExpression, "invalid regular expression: \(pattern)", detail: "\(error)")
            }
            source = pattern
            regex = r
            return r
        }
    }

    static func compile(_ f: ScalarFunction, _ args: [CompiledExpression], constants: [Value?]) throws -> CompiledExpression {
        switch f {
        case .regexReplace:
            let s = args[0], p = args[1], r = args[2], start = args[3], occurrence = args[4]
            let cache = PatternCache()
            if case .string(let literal)? = constants[1] { _ = try cache.regex(for: literal) }
            return { row in
                guard case .string(let str) = try s(row), case .string(let pattern) = try p(row),
                      case .string(let replacement) = try r(row), case .int(let from) = try start(row),
                      case .int(let nth) = try occurrence(row) else { return .null }
                if from < 1 { throw FreshetError(.invalidParameterValue, "REGEX_REPLACE start position must be at least 1, not \(from)") }
                if nth < 0 { throw FreshetError(.invalidParameterValue, "REGEX_REPLACE occurrence must be 0 (all) or positive, not \(nth)") }
                return .string(try replace(in: str, regex: try cache.regex(for: pattern), replacement: replacement, from: from, occurrence: nth))
            }
        case .similarTo:
            let s = args[0], p = args[1], e = args.count > 2 ? args[2] : nil
            // One cache per escape character seen (almost always a literal, so one).
            var caches: [String: PatternCache] = [:]
            return { row in
                guard case .string(let str) = try s(row), case .string(let pattern) = try p(row) else { return .null }
                var escape: Character? = "\\"
                if let e {
                    guard case .string(let es) = try e(row) else { return .null }
                    if es.count > 1 { throw FreshetError(.invalidEscapeSequence, "invalid escape string", hint: "Escape string must be empty or one character.") }
                    escape = es.first
                }
                let key = escape.map(String.init) ?? ""
                let cache = caches[key] ?? { let c = PatternCache(translate: { try similarToRegex($0, escape: escape) }); caches[key] = c; return c }()
                return .bool(try str.wholeMatch(of: cache.regex(for: pattern)) != nil)
            }
        default:
            preconditionFailure("not a regex function: \(f)")
        }
    }

    /// Java's replaceAll from character position `from` (1-based): occurrence 0 replaces every
    /// match at or after it, n > 0 only the n-th. `$n`/`${name}` insert groups, `\c` is c.
    static func replace(in str: String, regex: Regex<AnyRegexOutput>, replacement: String, from: Int64, occurrence: Int64) throws -> String {
        guard from <= Int64(str.count) else { return str }
        let startIndex = str.index(str.startIndex, offsetBy: Int(from - 1))
        var out = String(str[..<startIndex])
        var cursor = startIndex
        var n: Int64 = 0
        for m in str[startIndex...].matches(of: regex) {
            n += 1
            if occurrence != 0 && n != occurrence { continue }
            out += str[cursor..<m.range.lowerBound]
            try appendReplacement(replacement, match: m, to: &out)
            cursor = m.range.upperBound
            if occurrence != 0 { break }
        }
        out += str[cursor...]
        return out
    }

    static func appendReplacement(_ r: String, match m: Regex<AnyRegexOutput>.Match, to out: inout String) throws {
        var i = r.startIndex
        while i < r.endIndex {
            let c = r[i]
            if c == "\\" {
                i = r.index(after: i)
                guard i < r.endIndex else { throw FreshetError(.invalidParameterValue, "character to be escaped is missing at the end of the replacement") }
                out.append(r[i])
                i = r.index(after: i)
            } else if c == "$" {
                i = r.index(after: i)
                guard i < r.endIndex else { throw FreshetError(.invalidParameterValue, "illegal group reference: \"$\" at the end of the replacement") }
                if r[i] == "{" {
                    guard let close = r[i...].firstIndex(of: "}") else { throw FreshetError(.invalidParameterValue, "named group reference is missing its }") }
                    let name = String(r[r.index(after: i)..<close])
                    guard let g = m.output[name] else { throw FreshetError(.invalidParameterValue, "no group with name {\(name)}") }
                    if let sub = g.substring { out += sub }
                    i = r.index(after: close)
                } else if let d = r[i].wholeNumberValue {
                    // Java reads as many digits as still name an existing group.
                    var group = d
                    i = r.index(after: i)
                    while i < r.endIndex, let next = r[i].wholeNumberValue, group * 10 + next < m.output.count {
                        group = group * 10 + next
                        i = r.index(after: i)
                    }
                    guard group < m.output.count else { throw FreshetError(.invalidParameterValue, "no group \(group) in the regular expression") }
                    if let sub = m.output[group].substring { out += sub }
                } else {
                    throw FreshetError(.invalidParameterValue, "illegal group reference in the replacement: \"$\(r[i])\"")
                }
            } else {
                out.append(c)
                i = r.index(after: i)
            }
        }
    }

    /// SQL's SIMILAR TO pattern as a regular expression (matched whole): `%` is `.*`, `_` is `.`,
    /// `|*+?{}()[]` keep their regex meaning, every other character is literal.
    static func similarToRegex(_ p: String, escape: Character?) throws -> String {
        var out = "(?s:"
        var inBracket = false
        var it = p.makeIterator()
        while let c = it.next() {
            if let escape, c == escape {
                guard let n = it.next() else { throw FreshetError(.invalidEscapeSequence, "SIMILAR TO pattern ends with its escape character") }
                out += regexLiteral(n)
                continue
            }
            if inBracket {
                if c == "]" { inBracket = false }
                out.append(c)
                continue
            }
            switch c {
            case "%": out += ".*"
            case "_": out += "."
            case "[": inBracket = true; out.append(c)
            case "|", "*", "+", "?", "{", "}", "(", ")": out.append(c)
            default: out += regexLiteral(c)
            }
        }
        return out + ")"
    }

    static func regexLiteral(_ c: Character) -> String {
        "\\^$.|?*+()[]{}/-".contains(c) ? "\\" + String(c) : String(c)
    }
}
