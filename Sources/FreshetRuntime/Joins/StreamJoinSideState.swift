import FreshetCore

/// The retained rows of one side of a stream–stream join, in ROWTIME order
/// (rows are added in time order, so the oldest is always first and eviction
/// is a moving head). With equi-keys a hash index maps a key to the absolute
/// positions of its rows, oldest first; an evicted row is the first of its bucket.
struct StreamJoinSideState {
    private(set) var rows: [Row] = []
    private(set) var times: [Int64] = []
    private(set) var matched: [Bool] = []
    private var keys: [[Value]?] = []
    /// Absolute position of `rows[0]` (positions stay valid across compaction).
    private var base = 0
    /// Index into the arrays of the oldest retained row.
    private(set) var head = 0
    private var index: [[Value]: [Int]] = [:]
    let indexed: Bool
    /// Estimated bytes of the retained rows.
    private(set) var bytes = 0

    init(indexed: Bool) { self.indexed = indexed }

    var count: Int { rows.count - head }
    var isEmpty: Bool { head == rows.count }
    var oldestTime: Int64? { isEmpty ? nil : times[head] }

    /// Add a row (its time not older than any retained row's).
    mutating func append(_ row: Row, time: Int64, key: [Value]?, matched m: Bool) {
        let position = base + rows.count
        rows.append(row)
        times.append(time)
        matched.append(m)
        keys.append(key)
        if indexed, let key { index[key, default: []].append(position) }
        bytes += StreamJoinRow.estimatedBytes(row) + (key.map { $0.count * MemoryLayout<Value>.stride + 48 } ?? 0)
    }

    /// The retained rows with this key: absolute positions (array index = position - base).
    func candidates(_ key: [Value]) -> (positions: [Int], base: Int)? {
        guard let positions = index[key] else { return nil }
        return (positions, base)
    }

    mutating func markMatched(_ i: Int) { matched[i] = true }

    /// Drop the oldest row; returns it with its time and whether it ever matched.
    mutating func removeOldest() -> (row: Row, time: Int64, matched: Bool) {
        let i = head
        let out = (rows[i], times[i], matched[i])
        if indexed, let key = keys[i] {
            if var bucket = index.removeValue(forKey: key) {
                bucket.removeFirst()
                if !bucket.isEmpty { index[key] = bucket }
            }
        }
        bytes -= StreamJoinRow.estimatedBytes(rows[i]) + (keys[i].map { $0.count * MemoryLayout<Value>.stride + 48 } ?? 0)
        rows[i] = []
        keys[i] = nil
        head += 1
        if head >= 1024 && head * 2 >= rows.count { compact() }
        return out
    }

    private mutating func compact() {
        rows.removeFirst(head)
        times.removeFirst(head)
        matched.removeFirst(head)
        keys.removeFirst(head)
        base += head
        head = 0
    }
}
