/// The words the grammar gives a meaning to (grammar/keywords.txt is the
/// reference; `KeywordTests` checks this enum against it).
///
/// The lexer never decides whether a word is a keyword or a name: it hands the
/// parser a `.word(text, keyword)` token and the parser reads an unreserved
/// keyword as a name wherever a name is expected. Reserved keywords are names
/// only when quoted (PostgreSQL's rule), except as a column label after `AS`,
/// an option name, or a name part after a dot.
enum Keyword: String, CaseIterable, Hashable, Sendable {
    case abort = "ABORT"
    case after = "AFTER"
    case all = "ALL"
    case alter = "ALTER"
    case analyze = "ANALYZE"
    case and = "AND"
    case any = "ANY"
    case array = "ARRAY"
    case `as` = "AS"
    case asc = "ASC"
    case at = "AT"
    case begin = "BEGIN"
    case between = "BETWEEN"
    case binary = "BINARY"
    case both = "BOTH"
    case by = "BY"
    case `case` = "CASE"
    case cast = "CAST"
    case close = "CLOSE"
    case collate = "COLLATE"
    case commit = "COMMIT"
    case copy = "COPY"
    case create = "CREATE"
    case cross = "CROSS"
    case csv = "CSV"
    case current = "CURRENT"
    case currentCatalog = "CURRENT_CATALOG"
    case currentDate = "CURRENT_DATE"
    case currentRole = "CURRENT_ROLE"
    case currentRowTimestamp = "CURRENT_ROW_TIMESTAMP"
    case currentSchema = "CURRENT_SCHEMA"
    case currentTime = "CURRENT_TIME"
    case currentTimestamp = "CURRENT_TIMESTAMP"
    case currentUser = "CURRENT_USER"
    case cursor = "CURSOR"
    case day = "DAY"
    case declare = "DECLARE"
    case `default` = "DEFAULT"
    case delete = "DELETE"
    case delimiter = "DELIMITER"
    case delivery = "DELIVERY"
    case desc = "DESC"
    case description = "DESCRIPTION"
    case distinct = "DISTINCT"
    case drop = "DROP"
    case `else` = "ELSE"
    case encoding = "ENCODING"
    case end = "END"
    case escape = "ESCAPE"
    case except = "EXCEPT"
    case exists = "EXISTS"
    case explain = "EXPLAIN"
    case `false` = "FALSE"
    case fetch = "FETCH"
    case filter = "FILTER"
    case first = "FIRST"
    case following = "FOLLOWING"
    case `for` = "FOR"
    case format = "FORMAT"
    case forward = "FORWARD"
    case from = "FROM"
    case full = "FULL"
    case function = "FUNCTION"
    case group = "GROUP"
    case having = "HAVING"
    case header = "HEADER"
    case hold = "HOLD"
    case hour = "HOUR"
    case `if` = "IF"
    case ilike = "ILIKE"
    case `in` = "IN"
    case inner = "INNER"
    case insert = "INSERT"
    case intersect = "INTERSECT"
    case interval = "INTERVAL"
    case into = "INTO"
    case `is` = "IS"
    case isnull = "ISNULL"
    case isolation = "ISOLATION"
    case join = "JOIN"
    case key = "KEY"
    case last = "LAST"
    case lateral = "LATERAL"
    case latest = "LATEST"
    case leading = "LEADING"
    case left = "LEFT"
    case level = "LEVEL"
    case like = "LIKE"
    case limit = "LIMIT"
    case local = "LOCAL"
    case localtime = "LOCALTIME"
    case localtimestamp = "LOCALTIMESTAMP"
    case merge = "MERGE"
    case minute = "MINUTE"
    case month = "MONTH"
    case natural = "NATURAL"
    case next = "NEXT"
    case no = "NO"
    case not = "NOT"
    case notnull = "NOTNULL"
    case null = "NULL"
    case nulls = "NULLS"
    case offset = "OFFSET"
    case on = "ON"
    case only = "ONLY"
    case `operator` = "OPERATOR"
    case or = "OR"
    case order = "ORDER"
    case outer = "OUTER"
    case over = "OVER"
    case partition = "PARTITION"
    case placing = "PLACING"
    case preceding = "PRECEDING"
    case primary = "PRIMARY"
    case pump = "PUMP"
    case quote = "QUOTE"
    case range = "RANGE"
    case read = "READ"
    case replace = "REPLACE"
    case reset = "RESET"
    case `return` = "RETURN"
    case returning = "RETURNING"
    case returns = "RETURNS"
    case right = "RIGHT"
    case rollback = "ROLLBACK"
    case row = "ROW"
    case rows = "ROWS"
    case scroll = "SCROLL"
    case second = "SECOND"
    case select = "SELECT"
    case sequence = "SEQUENCE"
    case session = "SESSION"
    case sessionUser = "SESSION_USER"
    case set = "SET"
    case shard = "SHARD"
    case shards = "SHARDS"
    case show = "SHOW"
    case similar = "SIMILAR"
    case some = "SOME"
    case split = "SPLIT"
    case stagger = "STAGGER"
    case start = "START"
    case stdin = "STDIN"
    case stdout = "STDOUT"
    case stop = "STOP"
    case stopped = "STOPPED"
    case stream = "STREAM"
    case table = "TABLE"
    case then = "THEN"
    case time = "TIME"
    case to = "TO"
    case trailing = "TRAILING"
    case transaction = "TRANSACTION"
    case trimHorizon = "TRIM_HORIZON"
    case `true` = "TRUE"
    case unbounded = "UNBOUNDED"
    case union = "UNION"
    case unknown = "UNKNOWN"
    case update = "UPDATE"
    case user = "USER"
    case using = "USING"
    case values = "VALUES"
    case verbose = "VERBOSE"
    case video = "VIDEO"
    case watermark = "WATERMARK"
    case when = "WHEN"
    case `where` = "WHERE"
    case window = "WINDOW"
    case windowed = "WINDOWED"
    case with = "WITH"
    case work = "WORK"
    case write = "WRITE"
    case year = "YEAR"
    case zone = "ZONE"

    /// Whether the word is reserved (grammar/keywords.txt, second column).
    var isReserved: Bool {
        switch self {
        case .all, .and, .array, .`as`, .asc, .between,
              .both, .`case`, .cast, .collate, .create, .cross,
              .currentCatalog, .currentDate, .currentRole, .currentRowTimestamp, .currentSchema, .currentTime,
              .currentTimestamp, .currentUser, .`default`, .desc, .distinct, .`else`,
              .end, .except, .exists, .`false`, .fetch, .`for`,
              .from, .full, .group, .having, .ilike, .`in`,
              .inner, .intersect, .into, .`is`, .isnull, .join,
              .lateral, .leading, .left, .like, .limit, .localtime,
              .localtimestamp, .natural, .not, .notnull, .null, .offset,
              .on, .or, .order, .outer, .placing, .primary,
              .returning, .right, .select, .sessionUser, .similar, .stream,
              .table, .then, .to, .trailing, .`true`, .union,
              .user, .using, .values, .when, .`where`, .window,
              .with:
            return true
        default:
            return false
        }
    }

    /// Lower-case spelling → keyword, built once.
    private static let byLowercaseSpelling: [String: Keyword] = {
        var table: [String: Keyword] = [:]
        table.reserveCapacity(allCases.count)
        for keyword in allCases { table[keyword.rawValue.lowercased()] = keyword }
        return table
    }()

    /// The longest keyword, so the lexer can skip the lookup for longer words.
    static let maximumLength: Int = allCases.reduce(0) { max($0, $1.rawValue.utf8.count) }

    /// The keyword spelled `lowercased` (already folded to lower case), if any.
    init?(lowercased: String) {
        guard let keyword = Keyword.byLowercaseSpelling[lowercased] else { return nil }
        self = keyword
    }
}
