extension DistinctCounter {
    /// Folds another counter in, as if its values had been added here (for
    /// APPROX_COUNT_DISTINCT in windows that merge): exact values are re-added;
    /// two sketches combine register by register (HyperLogLog's union).
    mutating func merge(_ other: DistinctCounter) {
        if other.registers.isEmpty {
            for v in other.exact { add(v) }
            return
        }
        if registers.isEmpty {
            let mine = exact
            self = other
            for v in mine { add(v) }
            return
        }
        for i in registers.indices where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }
}
