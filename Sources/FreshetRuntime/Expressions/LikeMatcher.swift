import FreshetCore

/// SQL LIKE matching: `%` any sequence, `_` one character, the escape
/// character (default `\`, none with `ESCAPE ''`) makes the next one literal.
enum LikeMatcher {
    /// A compiled LIKE: the pattern prepared once when it is a literal, else when it changes.
    static func compile(_ x: @escaping CompiledExpression, _ pattern: @escaping CompiledExpression, literal: Value?,
                        caseInsensitive: Bool, negated: Bool) throws -> CompiledExpression {
        if case .string(let p)? = literal {
            let compiled = try LikePattern(caseInsensitive ? p.lowercased() : p, escape: "\\")
            return { row in
                guard case .string(let s) = try x(row) else { return .null }
                return .bool(compiled.matches(caseInsensitive ? s.lowercased() : s) != negated)
            }
        }
        var cache: (String, LikePattern)?
        return { row in
            guard case .string(let s) = try x(row), case .string(let p) = try pattern(row) else { return .null }
            let compiled: LikePattern
            if let c = cache, c.0 == p { compiled = c.1 } else {
                compiled = try LikePattern(caseInsensitive ? p.lowercased() : p, escape: "\\")
                cache = (p, compiled)
            }
            return .bool(compiled.matches(caseInsensitive ? s.lowercased() : s) != negated)
        }
    }

    /// `s LIKE p ESCAPE e` (args s, p, e).
    static func compileWithEscape(_ args: [CompiledExpression], constants: [Value?], caseInsensitive: Bool) throws -> CompiledExpression {
        let x = args[0], p = args[1], e = args[2]
        var cache: (String, String, LikePattern)?
        return { row in
            guard case .string(let s) = try x(row), case .string(let pattern) = try p(row), case .string(let esc) = try e(row) else { return .null }
            let compiled: LikePattern
            if let c = cache, c.0 == pattern, c.1 == esc { compiled = c.2 } else {
                guard esc.unicodeScalars.count <= 1 else {
                    throw FreshetError(.invalidEscapeSequence, "invalid escape string", hint: "Escape string must be empty or one character.")
                }
                compiled = try LikePattern(caseInsensitive ? pattern.lowercased() : pattern, escape: esc.unicodeScalars.first)
                cache = (pattern, esc, compiled)
            }
            return .bool(compiled.matches(caseInsensitive ? s.lowercased() : s))
        }
    }
}

/// A LIKE pattern as tokens over UTF-8 bytes. Common shapes (`abc`, `abc%`,
/// `%abc`, `%abc%`) take a direct byte comparison; others a backtracking
/// match that never allocates.
struct LikePattern {
    enum Token { case literal([UInt8]), one, many }
    enum Shape { case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8]), general }
    let tokens: [Token]
    let shape: Shape

    init(_ pattern: String, escape: Unicode.Scalar?) throws {
        var tokens: [Token] = []
        var lit: [UInt8] = []
        func flush() { if !lit.isEmpty { tokens.append(.literal(lit)); lit = [] } }
        var it = pattern.unicodeScalars.makeIterator()
        while let c = it.next() {
            if let escape, c == escape {
                guard let n = it.next() else {
                    throw FreshetError(.invalidEscapeSequence, "LIKE pattern must not end with escape character")
                }
                lit.append(contentsOf: String(n).utf8)
            } else if c == "%" {
                flush()
                if case .many? = tokens.last {} else { tokens.append(.many) }
            } else if c == "_" {
                flush()
                tokens.append(.one)
            } else {
                lit.append(contentsOf: String(c).utf8)
            }
        }
        flush()
        self.tokens = tokens
        switch tokens.count {
        case 0: shape = .exact([])
        case 1: if case .literal(let l) = tokens[0] { shape = .exact(l) } else { shape = .general }
        case 2:
            if case .literal(let l) = tokens[0], case .many = tokens[1] { shape = .prefix(l) }
            else if case .many = tokens[0], case .literal(let l) = tokens[1] { shape = .suffix(l) }
            else { shape = .general }
        case 3:
            if case .many = tokens[0], case .literal(let l) = tokens[1], case .many = tokens[2] { shape = .contains(l) } else { shape = .general }
        default: shape = .general
        }
    }

    func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches(bytes: $0) }
    }

    func matches(bytes t: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .exact(let l): return t.count == l.count && LikePattern.equal(t, 0, l)
        case .prefix(let l): return t.count >= l.count && LikePattern.equal(t, 0, l)
        case .suffix(let l): return t.count >= l.count && LikePattern.equal(t, t.count - l.count, l)
        case .contains(let l):
            if l.count > t.count { return false }
            if l.isEmpty { return true }
            var i = 0
            let first = l[0]
            while i + l.count <= t.count {
                if t[i] == first && LikePattern.equal(t, i, l) { return true }
                i += 1
            }
            return false
        case .general: return general(t)
        }
    }

    private static func equal(_ t: UnsafeBufferPointer<UInt8>, _ at: Int, _ l: [UInt8]) -> Bool {
        if at + l.count > t.count { return false }
        var j = 0
        while j < l.count {
            if t[at + j] != l[j] { return false }
            j += 1
        }
        return true
    }

    /// The byte index of the character after the one starting at `i`.
    private static func nextScalar(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var j = i + 1
        while j < t.count && t[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }

    private func general(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        var ti = 0, pi = 0, starP = -1, starT = 0
        while true {
            if pi < tokens.count {
                switch tokens[pi] {
                case .many:
                    starP = pi; starT = ti; pi += 1
                    continue
                case .one:
                    if ti < n { ti = LikePattern.nextScalar(t, ti); pi += 1; continue }
                case .literal(let l):
                    if LikePattern.equal(t, ti, l) { ti += l.count; pi += 1; continue }
                }
            } else if ti == n {
                return true
            }
            if starP >= 0 && starT < n {
                starT = LikePattern.nextScalar(t, starT)
                ti = starT
                pi = starP + 1
                continue
            }
            return false
        }
    }
}
