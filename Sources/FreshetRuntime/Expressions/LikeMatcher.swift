/// SQL LIKE matching: `%` any sequence, `_` one character, `\` escapes the next.
enum LikeMatcher {
    static func matches(_ s: String, _ pattern: String) -> Bool {
        let t = Array(s.unicodeScalars), p = Array(pattern.unicodeScalars)
        var ti = 0, pi = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count {
                let c = p[pi]
                if c == "%" { starP = pi; starT = ti; pi += 1; continue }
                if c == "\\" && pi + 1 < p.count {
                    if p[pi + 1] == t[ti] { pi += 2; ti += 1; continue }
                } else if c == "_" || c == t[ti] { pi += 1; ti += 1; continue }
            }
            if starP >= 0 {
                starT += 1
                ti = starT
                pi = starP + 1
                continue
            }
            return false
        }
        while pi < p.count && p[pi] == "%" { pi += 1 }
        return pi == p.count
    }
}
