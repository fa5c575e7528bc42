import FreshetCore

/// Rows of one window whose groups have been found but whose accumulators are not
/// updated yet. A window operator finds the groups of a run of rows first and updates
/// their accumulators afterwards, one aggregate call at a time: with thousands of
/// groups each update is a cache miss, and a loop of independent updates lets the CPU
/// overlap those misses instead of waiting for each behind the next row's lookup. Each
/// accumulator still sees its rows in arrival order (FIRST_VALUE/LAST_VALUE).
struct PendingUpdates {
    private(set) var rows: [Int] = []
    private(set) var groups: [Int] = []

    var isEmpty: Bool { rows.isEmpty }

    /// Forget rows left by a push that threw.
    mutating func clear() {
        rows.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func add(row: Int, group: Int) {
        rows.append(row)
        groups.append(group)
    }

    /// Update `states` (group g's call i at g * updates.count + i) with the pending rows
    /// of `input`, then forget them.
    mutating func apply(_ input: [Row], updates: [AggregateUpdate], to states: inout [Accumulator]) throws {
        let n = updates.count
        defer {
            rows.removeAll(keepingCapacity: true)
            groups.removeAll(keepingCapacity: true)
        }
        for i in 0..<n {
            let update = updates[i]
            if case .countStar = update {
                for j in groups.indices { states[groups[j] &* n &+ i].count += 1 }
                continue
            }
            for j in rows.indices { try update.apply(input[rows[j]], to: &states[groups[j] &* n &+ i]) }
        }
    }
}
