import FreshetCore

extension Accumulator {
    /// Write the running state (not the function, which the plan gives back on restore).
    func snapshot(into w: inout StateWriter) {
        w.i64(count)
        w.i128(intSum)
        w.double(doubleSum)
        w.bool(decimalSum != nil)
        if let d = decimalSum { w.decimal(d) }
        w.interval(intervalSum)
        w.value(extreme)
        w.double(mean)
        w.double(m2)
        w.bool(seen != nil)
        if let seen {
            // Sorted so equal states give equal bytes.
            w.values(seen.sorted { Value.sortCompare($0, $1) < 0 })
        }
        // APPROX_COUNT_DISTINCT only (other accumulators' bytes are unchanged).
        sketch?.snapshot(into: &w)
        // APPROX_PERCENTILE's values follow (only for it: other aggregates' bytes are unchanged).
        if let samples { w.values(samples.map(Value.double)) }
    }

    /// Read back what `snapshot` wrote into an accumulator made for the same call.
    mutating func restore(from r: inout StateReader) throws {
        count = try r.i64()
        intSum = try r.i128()
        doubleSum = try r.double()
        decimalSum = try r.bool() ? try r.decimal() : nil
        intervalSum = try r.interval()
        extreme = try r.value()
        mean = try r.double()
        m2 = try r.double()
        seen = try r.bool() ? Set(try r.values()) : nil
        if sketch != nil { try sketch!.restore(from: &r) }
        if function == .approxPercentile {
            samples = try r.values().map { if case .double(let d) = $0 { return d }; return 0 }
        }
    }
}
