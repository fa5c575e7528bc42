import FreshetCore

extension SpaceSavingCounter {
    /// The slots as they are (items, counts, errors, arrival stamps), the heap and its
    /// position index, and the row total; the item → slot map is rebuilt on restore.
    func snapshot(into w: inout StateWriter) {
        w.values(items)
        w.int64s(counts)
        w.int64s(errors)
        w.int64s(since)
        w.int32s(heap)
        w.int32s(position)
        w.i64(total)
    }

    mutating func restore(from r: inout StateReader) throws {
        items = try r.values()
        counts = try r.int64s()
        errors = try r.int64s()
        since = try r.int64s()
        heap = try r.int32s()
        position = try r.int32s()
        total = try r.i64()
        let n = items.count
        guard n <= capacity, counts.count == n, errors.count == n, since.count == n, heap.count == n, position.count == n,
              heap.allSatisfy({ $0 >= 0 && Int($0) < n }) else { throw r.corrupt() }
        slotOf = [:]
        for (s, item) in items.enumerated() { slotOf[item] = Int32(s) }
    }
}
