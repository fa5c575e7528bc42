import FreshetCore

extension SlidingAggregate {
    /// The running state (not the call, which the plan gives back): totals, the MIN/MAX
    /// deque, EXP_AVG's weighted sums and reference time. Doubles are written by bit
    /// pattern, so a restored window subtracts exactly what the original would have.
    func snapshot(into w: inout StateWriter) {
        w.i64(count)
        w.i128(intSum)
        w.double(doubleSum)
        w.decimal(decimalSum)
        w.interval(intervalSum)
        w.u32(UInt32(extremes.count))
        for i in 0..<extremes.count {
            w.value(extremes[i])
            w.i64(extremeSequences[i])
        }
        w.double(weightedSum)
        w.double(weightSum)
        w.i64(reference)
    }

    /// Read back what `snapshot` wrote into an aggregate made for the same call.
    mutating func restore(from r: inout StateReader) throws {
        count = try r.i64()
        intSum = try r.i128()
        doubleSum = try r.double()
        decimalSum = try r.decimal()
        intervalSum = try r.interval()
        extremes.removeAll()
        extremeSequences.removeAll()
        for _ in 0..<Int(try r.u32()) {
            extremes.append(try r.value())
            extremeSequences.append(try r.i64())
        }
        weightedSum = try r.double()
        weightSum = try r.double()
        reference = try r.i64()
    }
}
