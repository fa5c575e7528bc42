import FreshetCore
import Foundation

/// Answers the catalog queries psql 15 sends for its meta-commands (`\d`,
/// `\dt`, `\d NAME`, `\l`, `\dn`) from Freshet's catalog. The queries are
/// recognised by their shape (captured from psql 15 against PostgreSQL 15,
/// see Tests/EndToEndTests/PsqlMetaCommandTests.swift, which runs psql
/// itself): Freshet does not have PostgreSQL's pg_catalog tables, so it
/// answers what psql reads, with the columns psql indexes.
///
/// What this deliberately does not do: run arbitrary SQL over pg_catalog.
/// A query that merely mentions pg_catalog but has no known shape falls
/// through to the normal parser and gets an ordinary error.
enum PsqlCatalogQueries {
    struct Relation {
        var oid: UInt32
        var schema: String
        var name: String
        var columns: [Column]
    }

    struct Answer {
        var columns: [ResultColumn]
        var rows: [Row]
    }

    static func normalise(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count)
        var lastSpace = true
        for c in sql {
            if c == " " || c == "\n" || c == "\t" || c == "\r" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(c)
                lastSpace = false
            }
        }
        while out.last == " " || out.last == ";" { out.removeLast() }
        return out
    }

    static func text(_ n: String) -> ResultColumn { ResultColumn(name: n, type: .text) }

    /// The answer for a recognised psql query, or nil.
    static func answer(_ sql: String, relations: [Relation], user: String, database: String) -> Answer? {
        let q = normalise(sql)
        guard q.hasPrefix("SELECT "), q.contains("pg_catalog.") else { return nil }

        // \d, \dt, \dt PATTERN: the relation list.
        if q.contains("FROM pg_catalog.pg_class c") && q.contains("as \"Schema\"") && q.contains("as \"Type\"") {
            let kinds = relkinds(q)
            guard kinds.contains("r") else {
                return Answer(columns: [text("Schema"), text("Name"), text("Type"), text("Owner")], rows: [])
            }
            let pattern = namePattern(q)
            // Without a schema pattern psql lists what is visible on the search path (public);
            // `\dt sys.*` names the schema.
            let schemaPattern = schemaPatternOf(q)
            let rows: [Row] = relations.filter { r in
                (schemaPattern.map { matches(r.schema, $0) } ?? (r.schema == "public")) && (pattern.map { matches(r.name, $0) } ?? true)
            }
                .sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
                .map { [.string($0.schema), .string($0.name), .string("table"), .string(user)] }
            return Answer(columns: [text("Schema"), text("Name"), text("Type"), text("Owner")], rows: rows)
        }
        // \d NAME, step 1: find the relation.
        if q.hasPrefix("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c") {
            let pattern = namePattern(q)
            let schemaPattern = schemaPatternOf(q)
            let rows: [Row] = relations.filter { r in
                (pattern.map { matches(r.name, $0) } ?? true) && (schemaPattern.map { matches(r.schema, $0) } ?? (r.schema == "public"))
            }
            .sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
            .map { [.int(Int64($0.oid)), .string($0.schema), .string($0.name)] }
            return Answer(columns: [ResultColumn(name: "oid", type: .bigint), text("nspname"), text("relname")], rows: rows)
        }
        // \d NAME, step 2: relation properties.
        if q.hasPrefix("SELECT c.relchecks, c.relkind, c.relhasindex"), let oid = quotedOID(q) {
            guard relations.contains(where: { $0.oid == oid }) else { return Answer(columns: [], rows: []) }
            let names = ["relchecks", "relkind", "relhasindex", "relhasrules", "relhastriggers", "relrowsecurity",
                         "relforcerowsecurity", "relhasoids", "relispartition", "reloptions", "reltablespace", "reloftype",
                         "relpersistence", "relreplident", "amname"]
            let row: Row = [.int(0), .string("r"), .bool(false), .bool(false), .bool(false), .bool(false), .bool(false),
                            .bool(false), .bool(false), .string(""), .int(0), .string(""), .string("p"), .string("d"), .string("heap")]
            let types: [DataType] = [.smallint, .text, .boolean, .boolean, .boolean, .boolean, .boolean, .boolean, .boolean,
                                     .text, .bigint, .text, .text, .text, .text]
            return Answer(columns: zip(names, types).map { ResultColumn(name: $0, type: $1) }, rows: [row])
        }
        // \d NAME, step 3: the columns.
        if q.hasPrefix("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)"), let oid = quotedOID(q) {
            let cols = [text("attname"), text("format_type"), text("pg_get_expr"), ResultColumn(name: "attnotnull", type: .boolean),
                        text("attcollation"), text("attidentity"), text("attgenerated")]
            guard let r = relations.first(where: { $0.oid == oid }) else { return Answer(columns: cols, rows: []) }
            let rows: [Row] = r.columns.map { c in
                [.string(c.name), .string(c.type.sqlName), .null, .bool(!c.nullable), .null, .string(""), .string("")]
            }
            return Answer(columns: cols, rows: rows)
        }
        // \d NAME footers: policies, extended statistics, publications, inheritance — Freshet has none.
        if q.contains("FROM pg_catalog.pg_policy pol") { return empty(6) }
        if q.contains("FROM pg_catalog.pg_statistic_ext") { return empty(9) }
        if q.contains("FROM pg_catalog.pg_publication p") { return empty(3) }
        if q.contains("FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i") {
            return empty(q.contains("inhdetachpending") ? 4 : 1)
        }
        // \l
        if q.contains("FROM pg_catalog.pg_database d") && q.contains("as \"Name\"") {
            let names = ["Name", "Owner", "Encoding", "Collate", "Ctype", "ICU Locale", "Locale Provider", "Access privileges"]
            let row: Row = [.string(database), .string(user), .string("UTF8"), .string("C.UTF-8"), .string("C.UTF-8"), .null, .string("libc"), .null]
            return Answer(columns: names.map(text), rows: [row])
        }
        // \dn
        if q.contains("FROM pg_catalog.pg_namespace n") && q.contains("AS \"Name\"") {
            let rows: [Row] = ["public", "sys"].map { [.string($0), .string(user)] }
            return Answer(columns: [text("Name"), text("Owner")], rows: rows)
        }
        return nil
    }

    static func empty(_ n: Int) -> Answer {
        Answer(columns: (1...n).map { text("column\($0)") }, rows: [])
    }

    /// The kinds in `c.relkind IN ('r','p',…)`.
    static func relkinds(_ q: String) -> Set<String> {
        guard let r = q.range(of: "c.relkind IN (") else { return [] }
        let rest = q[r.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return [] }
        return Set(rest[..<close].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "' ")) })
    }

    /// The regular expression psql builds from a name pattern: `c.relname OPERATOR(pg_catalog.~) '^(clicks)$'`.
    static func namePattern(_ q: String) -> String? {
        pattern(after: "c.relname OPERATOR(pg_catalog.~) '", in: q)
    }
    static func schemaPatternOf(_ q: String) -> String? {
        pattern(after: "n.nspname OPERATOR(pg_catalog.~) '", in: q)
    }
    static func pattern(after marker: String, in q: String) -> String? {
        guard let r = q.range(of: marker) else { return nil }
        var out = ""
        var i = r.upperBound
        while i < q.endIndex {
            let c = q[i]
            if c == "'" {
                let n = q.index(after: i)
                if n < q.endIndex && q[n] == "'" { out.append("'"); i = q.index(after: n); continue }
                return out
            }
            out.append(c)
            i = q.index(after: i)
        }
        return nil
    }

    static func matches(_ name: String, _ regex: String) -> Bool {
        guard let re = try? NSRegularExpression(pattern: regex) else { return false }
        return re.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    /// The OID in `c.oid = '16384'` / `a.attrelid = '16384'`.
    static func quotedOID(_ q: String) -> UInt32? {
        for marker in ["c.oid = '", "a.attrelid = '"] {
            if let r = q.range(of: marker) {
                let digits = q[r.upperBound...].prefix { $0.isNumber }
                return UInt32(digits)
            }
        }
        return nil
    }
}
