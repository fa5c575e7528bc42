import FreshetCore
@testable import FreshetRuntime
import Testing

/// Drives an operator through a script of pushes and watermark advances, once
/// uninterrupted and once "crashing" at each of several cut points — snapshot,
/// restore into a fresh operator, go on with the fresh one — and checks that the
/// interrupted run's output equals the uninterrupted run's exactly (doubles bit for
/// bit), that a restored operator snapshots to the same bytes, and that the late
/// rows reported are the same.
struct SnapshotHarness {
    enum Event {
        case push([Row])
        case advance(Int64)
    }

    /// One operator under test, as closures over it.
    struct Instance {
        var push: ([Row]) throws -> Void
        var advance: (Int64) throws -> Void
        var snapshot: () -> [UInt8]
        var restore: ([UInt8]) throws -> Void
        var sink: CollectingSink
    }

    /// Builds a fresh instance; late rows it reports go to the given collector.
    let make: (LateRows) throws -> Instance

    final class LateRows {
        var rows: [String] = []
        var handler: LateRowHandler { { [unowned self] r, w, reason in self.rows.append("\(r) @\(w): \(reason)") } }
    }

    /// Runs `events` without a cut and with restarts at each of `cuts` (event indices,
    /// ascending); returns the uninterrupted output (for further checks) and the largest snapshot.
    @discardableResult
    func check(_ events: [Event], cuts: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws -> (output: [Row], maxStateBytes: Int) {
        let lateA = LateRows()
        let a = try make(lateA)
        var expected: [Row] = []
        for e in events {
            try apply(e, a)
            expected.append(contentsOf: a.sink.take())
        }

        let lateB = LateRows()
        var b = try make(lateB)
        var got: [Row] = []
        var maxBytes = 0
        for (i, e) in events.enumerated() {
            if cuts.contains(i) {
                let bytes = b.snapshot()
                maxBytes = max(maxBytes, bytes.count)
                b = try make(lateB)
                try b.restore(bytes)
                let same = b.snapshot() == bytes
                #expect(same, "restored state snapshots to other bytes (cut \(i))", sourceLocation: sourceLocation)
                // A snapshot is also refused when cut short.
                let c = try make(LateRows())
                #expect(throws: FreshetError.self, sourceLocation: sourceLocation) { try c.restore(Array(bytes.dropLast())) }
            }
            try apply(e, b)
            got.append(contentsOf: b.sink.take())
        }
        #expect(got.count == expected.count, "output rows: \(got.count) vs \(expected.count)", sourceLocation: sourceLocation)
        for (i, (x, y)) in zip(got, expected).enumerated() where !Self.identical(x, y) {
            Issue.record("output row \(i) differs after restore: \(x) vs \(y)", sourceLocation: sourceLocation)
            break
        }
        #expect(lateB.rows == lateA.rows, sourceLocation: sourceLocation)
        return (expected, maxBytes)
    }

    private func apply(_ e: Event, _ i: Instance) throws {
        switch e {
        case .push(let rows): try i.push(rows)
        case .advance(let w): try i.advance(w)
        }
    }

    /// Equal rows, doubles compared by bit pattern.
    static func identical(_ a: Row, _ b: Row) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            if case .double(let p) = x, case .double(let q) = y {
                if p.bitPattern != q.bitPattern { return false }
            } else if x != y { return false }
        }
        return true
    }

    /// Snapshot/restore closures for an operator with `snapshot(into:)`/`restore(from:)`.
    static func bytes(_ write: (inout StateWriter) -> Void) -> [UInt8] {
        var w = StateWriter()
        write(&w)
        return w.bytes
    }

    static func read(_ bytes: [UInt8], _ body: (inout StateReader) throws -> Void) throws {
        var r = StateReader(bytes)
        try body(&r)
        guard r.isAtEnd else { throw r.corrupt() }
    }

    /// Evenly spread cut points over `count` events (never the first).
    static func cuts(_ count: Int, _ n: Int = 5) -> [Int] {
        Array(Set((1...n).map { max(1, $0 * count / (n + 1)) })).sorted()
    }
}
