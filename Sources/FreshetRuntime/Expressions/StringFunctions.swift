import FreshetCore
import FreshetPlanner

/// String functions with PostgreSQL semantics (KDA does not define them
/// differently): positions and lengths count characters, NULL in gives NULL out.
enum StringFunctions {
    /// Longest string REPEAT/LPAD/RPAD build, so a typo cannot exhaust memory (PostgreSQL allows 1 GB).
    static let maxLength = 1 << 28

    static func compile(_ f: ScalarFunction, _ args: [CompiledExpression]) -> CompiledExpression {
        let a0 = args[0]
        let a1 = args.count > 1 ? args[1] : nil
        let a2 = args.count > 2 ? args[2] : nil
        let a3 = args.count > 3 ? args[3] : nil
        switch f {
        case .initcap:
            return { row in
                guard case .string(let s) = try a0(row) else { return .null }
                return .string(initcap(s))
            }
        case .reverse:
            return { row in
                guard case .string(let s) = try a0(row) else { return .null }
                return .string(String(s.reversed()))
            }
        case .overlay:
            // OVERLAY(s PLACING r FROM start [FOR count]) = left(s, start-1) || r || substr(s, start+count)
            return { row in
                guard case .string(let s) = try a0(row), case .string(let r) = try a1!(row), case .int(let start) = try a2!(row) else { return .null }
                var count = Int64(r.count)
                if let a3 {
                    guard case .int(let n) = try a3(row) else { return .null }
                    count = n
                }
                if start < 1 { throw FreshetError(.substringError, "OVERLAY start position must be at least 1, not \(start)") }
                if count < 0 { throw FreshetError(.substringError, "negative substring length not allowed") }
                let chars = Array(s)
                let head = chars.prefix(Int(min(start - 1, Int64(chars.count))))
                let (tailStart, overflow) = (start - 1).addingReportingOverflow(count)
                let tail = overflow || tailStart >= Int64(chars.count) ? [] : chars[Int(tailStart)...]
                return .string(String(head) + r + String(tail))
            }
        case .left, .right:
            let isLeft = f == .left
            return { row in
                guard case .string(let s) = try a0(row), case .int(let n) = try a1!(row) else { return .null }
                let count = s.count
                // A negative n means "all but |n|" (PostgreSQL).
                let take = n >= 0 ? min(Int(clamping: n), count) : max(count - Int(clamping: n.magnitude), 0)
                return .string(isLeft ? String(s.prefix(take)) : String(s.suffix(take)))
            }
        case .repeatText:
            return { row in
                guard case .string(let s) = try a0(row), case .int(let n) = try a1!(row) else { return .null }
                if n <= 0 || s.isEmpty { return .string("") }
                guard Int64(s.utf8.count).multipliedReportingOverflow(by: n).partialValue <= maxLength, n <= maxLength else {
                    throw FreshetError(.programLimitExceeded, "REPEAT would build a string longer than \(maxLength) bytes")
                }
                return .string(String(repeating: s, count: Int(n)))
            }
        case .lpad, .rpad:
            let isLeft = f == .lpad
            return { row in
                guard case .string(let s) = try a0(row), case .int(let n) = try a1!(row) else { return .null }
                var fill = " "
                if let a2 {
                    guard case .string(let x) = try a2(row) else { return .null }
                    fill = x
                }
                if n <= 0 { return .string("") }
                guard n <= maxLength else { throw FreshetError(.programLimitExceeded, "requested length too large") }
                let want = Int(n)
                let chars = Array(s)
                if chars.count >= want || fill.isEmpty { return .string(String(chars.prefix(want))) }
                let fillChars = Array(fill)
                var pad: [Character] = []
                pad.reserveCapacity(want - chars.count)
                while pad.count < want - chars.count { pad.append(fillChars[pad.count % fillChars.count]) }
                return .string(isLeft ? String(pad) + s : s + String(pad))
            }
        case .splitPart:
            return { row in
                guard case .string(let s) = try a0(row), case .string(let d) = try a1!(row), case .int(let n) = try a2!(row) else { return .null }
                if n == 0 { throw FreshetError(.invalidParameterValue, "field position must not be zero") }
                let parts: [Substring] = d.isEmpty ? [Substring(s)] : s.split(separator: d, omittingEmptySubsequences: false)
                let i = n > 0 ? Int(clamping: n) - 1 : parts.count - Int(clamping: n.magnitude)
                return .string(i >= 0 && i < parts.count ? String(parts[i]) : "")
            }
        default:
            preconditionFailure("not a string function: \(f)")
        }
    }

    /// PostgreSQL's initcap: the first letter of each run of letters and digits upper case, the rest lower.
    static func initcap(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var inWord = false
        for c in s {
            let alnum = c.isLetter || c.isNumber
            out += inWord ? c.lowercased() : c.uppercased()
            inWord = alnum
        }
        return out
    }
}
