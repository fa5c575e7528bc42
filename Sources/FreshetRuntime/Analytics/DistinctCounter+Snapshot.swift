import FreshetCore

extension DistinctCounter {
    /// The exact set (in encoding order, so equal counters give equal bytes) or the
    /// HyperLogLog registers as they are.
    func snapshot(into w: inout StateWriter) {
        let values = Array(exact)
        w.u32(UInt32(values.count))
        for i in StateKeyOrder.sortedIndices(values.map { [$0] }) { w.value(values[i]) }
        w.blob(registers)
    }

    mutating func restore(from r: inout StateReader) throws {
        var set = Set<Value>()
        for _ in 0..<Int(try r.u32()) { set.insert(try r.value()) }
        exact = set
        registers = try r.blob()
        guard registers.isEmpty || registers.count == 1 << DistinctCounter.precision else { throw r.corrupt() }
    }
}
