import FreshetCore

/// `json_value(text, path)`: the scalar a small JSONPath subset points at,
/// as text, read straight from the UTF-8 bytes (no document tree is built).
///
/// Path grammar: `$` then any number of `.name`, `."quoted name"`,
/// `['name']`, `["name"]` or `[n]` (0-based array index). The result is the
/// string's unescaped content, a number or `true`/`false` as written; JSON
/// null, a missing member, an object, an array or malformed JSON give SQL
/// NULL (SQL/JSON's default NULL ON EMPTY / NULL ON ERROR). A malformed
/// *path* is an error.
struct JSONPath {
    enum Step: Equatable { case member([UInt8]), index(Int) }
    let steps: [Step]

    init(_ path: String) throws {
        let p = Array(path.utf8)
        func fail(_ why: String) -> FreshetError {
            FreshetError(.invalidParameterValue, "invalid JSON path \"\(path)\": \(why)",
                         hint: "Supported: $, .name, .\"name\", ['name'], [0].")
        }
        var i = 0
        while i < p.count && p[i] == UInt8(ascii: " ") { i += 1 }
        guard i < p.count, p[i] == UInt8(ascii: "$") else { throw fail("it must start with $") }
        i += 1
        var steps: [Step] = []
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "."):
                i += 1
                if i < p.count && p[i] == UInt8(ascii: "\"") {
                    guard let close = p[(i + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { throw fail("unterminated quoted name") }
                    steps.append(.member(Array(p[(i + 1)..<close])))
                    i = close + 1
                } else {
                    let start = i
                    while i < p.count && p[i] != UInt8(ascii: ".") && p[i] != UInt8(ascii: "[") { i += 1 }
                    guard i > start else { throw fail("empty member name") }
                    steps.append(.member(Array(p[start..<i])))
                }
            case UInt8(ascii: "["):
                i += 1
                if i < p.count && (p[i] == UInt8(ascii: "'") || p[i] == UInt8(ascii: "\"")) {
                    let q = p[i]
                    guard let close = p[(i + 1)...].firstIndex(of: q) else { throw fail("unterminated quoted name") }
                    steps.append(.member(Array(p[(i + 1)..<close])))
                    i = close + 1
                } else {
                    var n = 0, digits = 0
                    while i < p.count, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9"), digits < 9 {
                        n = n * 10 + Int(p[i] - UInt8(ascii: "0")); i += 1; digits += 1
                    }
                    guard digits > 0 else { throw fail("an array index must be a number") }
                    steps.append(.index(n))
                }
                guard i < p.count, p[i] == UInt8(ascii: "]") else { throw fail("missing ]") }
                i += 1
            case UInt8(ascii: " "):
                i += 1
            default:
                throw fail("unexpected character at position \(i + 1)")
            }
        }
        self.steps = steps
    }

    static func compileJSONValue(_ args: [CompiledExpression], constants: [Value?]) throws -> CompiledExpression {
        let doc = args[0], pathArg = args[1]
        var cache: (String, JSONPath)?
        if case .string(let literal)? = constants[1] { cache = (literal, try JSONPath(literal)) }
        return { row in
            guard case .string(let text) = try doc(row), case .string(let p) = try pathArg(row) else { return .null }
            let path: JSONPath
            if let c = cache, c.0 == p { path = c.1 } else {
                path = try JSONPath(p)
                cache = (p, path)
            }
            var t = text
            return t.withUTF8 { path.value(in: $0) }
        }
    }

    /// The scalar at this path in `json`, or NULL.
    func value(in json: UnsafeBufferPointer<UInt8>) -> Value {
        var r = JSONReader(bytes: json)
        for step in steps {
            r.skipSpace()
            switch step {
            case .member(let name):
                guard r.found(in: r.peek == UInt8(ascii: "{"), name: name) else { return .null }
            case .index(let n):
                guard r.foundIndex(n) else { return .null }
            }
        }
        return r.scalar() ?? .null
    }
}

/// A forward-only reader over JSON bytes that can skip values it does not need.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var peek: UInt8 { i < bytes.count ? bytes[i] : 0 }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    /// Positions the reader at the value of member `name` of the object here.
    mutating func found(in isObject: Bool, name: [UInt8]) -> Bool {
        guard isObject else { return false }
        i += 1
        while true {
            skipSpace()
            if peek == UInt8(ascii: "}") { return false }
            guard peek == UInt8(ascii: "\""), let key = string() else { return false }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace()
            if key == name { return true }
            guard skipValue() else { return false }
            skipSpace()
            if peek == UInt8(ascii: ",") { i += 1; continue }
            return false
        }
    }

    /// Positions the reader at element `n` of the array here.
    mutating func foundIndex(_ n: Int) -> Bool {
        guard peek == UInt8(ascii: "[") else { return false }
        i += 1
        var k = 0
        while true {
            skipSpace()
            if peek == UInt8(ascii: "]") { return false }
            if k == n { return true }
            guard skipValue() else { return false }
            skipSpace()
            if peek == UInt8(ascii: ",") { i += 1; k += 1; continue }
            return false
        }
    }

    /// A string's unescaped bytes (the reader is on its opening quote).
    mutating func string() -> [UInt8]? {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return out }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { return nil }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(i + 1) else { return nil }
                    i += 4
                    // A surrogate pair spells one scalar beyond the BMP.
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"),
                       bytes[i + 2] == UInt8(ascii: "u"), let low = hex4(i + 3), low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(bytes[i])
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return nil
    }

    private func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard let d = Character(Unicode.Scalar(bytes[k])).hexDigitValue else { return nil }
            v = v * 16 + UInt32(d)
        }
        return v
    }

    /// Skips one value; false when the JSON is malformed.
    mutating func skipValue() -> Bool {
        skipSpace()
        switch peek {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { guard string() != nil else { return false }; continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return true }
                }
                i += 1
            }
            return false
        default:
            let start = i
            while i < bytes.count, !",}] \n\r\t".utf8.contains(bytes[i]) { i += 1 }
            return i > start
        }
    }

    /// The scalar here as SQL text; nil for null, objects, arrays and malformed input.
    mutating func scalar() -> Value? {
        skipSpace()
        switch peek {
        case UInt8(ascii: "\""):
            guard let s = string() else { return nil }
            return .string(String(decoding: s, as: UTF8.self))
        case UInt8(ascii: "{"), UInt8(ascii: "["), 0: return nil
        default:
            let start = i
            guard skipValue() else { return nil }
            let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if token == "null" { return nil }
            if token == "true" || token == "false" { return .string(token) }
            guard let first = token.first, first == "-" || first.isNumber else { return nil }
            return .string(token)
        }
    }
}
