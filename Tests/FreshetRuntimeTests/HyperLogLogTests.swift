import FreshetCore
import Testing
@testable import FreshetRuntime

@Suite struct HyperLogLogTests {
    func estimate(_ values: some Sequence<Value>) -> Int64 {
        var h = HyperLogLog()
        for v in values { h.add(hash: HyperLogLog.hash(v)) }
        return h.estimate
    }

    @Test func smallCountsAreExactOrNearly() {
        #expect(estimate([]) == 0)
        #expect(estimate([Value.int(1), .int(1), .int(1)]) == 1)
        #expect(estimate((0..<100).map { Value.string("user-\($0)") }) == 100)
    }

    @Test(arguments: [10_000, 100_000, 1_000_000])
    func largeCountsWithinThreeStandardErrors(_ n: Int) {
        // Duplicates must not count: every value twice.
        let e = estimate((0..<(2 * n)).map { Value.int(Int64($0 % n) * 7919) })
        let error = abs(Double(e) - Double(n)) / Double(n)
        #expect(error < 3 * 0.0081, "estimate \(e) for \(n) distinct values")
    }
}
