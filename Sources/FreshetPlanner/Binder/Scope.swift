import FreshetCore

/// The columns visible to expressions of one query level: each with the
/// qualifier it can be reached by (table name or alias), its name, its
/// position in the input row and its type.
struct Scope {
    struct Entry {
        var qualifier: String?
        var name: String
        var index: Int
        var type: DataType
        var hidden: Bool       // system columns: not expanded by *
        var tableOID: UInt32
        var columnNumber: Int16
        /// Reachable only with its qualifier (`a.id` after `a JOIN b USING (id)`,
        /// where unqualified `id` is the merged column); not expanded by a bare `*`.
        var qualifiedOnly = false
    }
    var entries: [Entry] = []

    enum Lookup {
        case found(Entry)
        case ambiguous
        case notFound
    }

    func lookup(qualifier: String?, name: String) -> Lookup {
        let matches = entries.filter { e in
            e.name == name && (qualifier == nil ? !e.qualifiedOnly : e.qualifier == qualifier)
        }
        if matches.count == 1 { return .found(matches[0]) }
        if matches.isEmpty {
            // ROWTIME and friends are case-insensitive system names.
            let lower = name.lowercased()
            if lower != name { return lookup(qualifier: qualifier, name: lower) }
            return .notFound
        }
        return .ambiguous
    }

    /// The qualifiers (table names and aliases) this scope has.
    var qualifiers: Set<String> { Set(entries.compactMap(\.qualifier)) }

    /// This scope's entries with their row positions moved by `offset` (the right side of a join).
    func shifted(by offset: Int) -> Scope {
        var s = self
        for i in s.entries.indices { s.entries[i].index += offset }
        return s
    }

    /// The closest visible name, for "did you mean" hints.
    func suggestion(for name: String) -> String? {
        var best: (String, Int)?
        for e in entries {
            let d = editDistance(e.name, name)
            if d <= max(2, name.count / 3), best == nil || d < best!.1 { best = (e.name, d) }
        }
        return best?.0
    }
}

/// Levenshtein distance, for suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
