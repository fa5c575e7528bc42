@testable import FreshetRuntime
import Testing

/// SlidingRing: FIFO/LIFO order across wrap-around, growth and shrinking.
@Suite struct SlidingRingTests {
    @Test func keepsOrderAcrossWrapAroundAndGrowth() {
        var ring = SlidingRing<Int>(filler: -1)
        var model: [Int] = []
        var next = 0
        // Interleave appends and removals so the head wraps many times while the ring grows and shrinks.
        for step in 0..<5_000 {
            let burst = step % 97 < 50 ? 3 : 0
            for _ in 0..<burst { ring.append(next); model.append(next); next += 1 }
            if !model.isEmpty && step % 3 != 0 { #expect(ring.removeFirst() == model.removeFirst()) }
            if !model.isEmpty && step % 11 == 0 { #expect(ring.removeLast() == model.removeLast()) }
            #expect(ring.count == model.count)
            if !model.isEmpty {
                #expect(ring.first == model.first!)
                #expect(ring.last == model.last!)
                #expect(ring[model.count / 2] == model[model.count / 2])
            }
        }
    }

    @Test func shrinksAfterABurst() {
        var ring = SlidingRing<Int>(filler: 0)
        for i in 0..<10_000 { ring.append(i) }
        let peak = ring.capacity
        #expect(peak >= 10_000)
        while ring.count > 10 { ring.removeFirst() }
        #expect(ring.capacity < peak / 100)
        #expect((0..<10).map { ring[$0] } == Array(9_990..<10_000))
    }
}
