import Foundation
import FreshetPlanner

/// HOTSPOTS' model (Kinesis Data Analytics SQL reference, "HOTSPOTS"): the last
/// `windowSize` points (numeric columns of a row), and for each new row the dense
/// regions among them.
///
/// `scanRadius` is, as in KDA, the typical distance between a hotspot's point and its
/// nearest neighbour (DBSCAN's ε): space is cut into a grid of cells `scanRadius` wide
/// (cell = ⌊x / scanRadius⌋ per dimension; the counts per cell are kept as points enter
/// and leave the window). A cell's expected count is what it would hold if the window's
/// points were spread evenly over their bounding box; a cell holding at least
/// `minimumDensity` times that (and at least 2 points: a hotspot's point has a
/// neighbour) is dense, and dense cells that share a face form one hotspot. A hotspot
/// reports its `density` — its points over its cells' expected count, i.e. how many
/// times denser than the window's average it is, so never below `minimumDensity` —
/// and the bounds of its points per dimension (`minValues`, `maxValues`). Densest first.
///
/// Per row the cost is O(windowSize × d) plus a hash lookup per point; the state is
/// the window (the cell counts are derived from it).
struct HotspotDetector: Sendable {
    let parameters: HotspotsParameters
    let dimensions: Int
    /// Ring buffer of the last points.
    var window: [Double]
    var count = 0
    var next = 0
    /// Points per grid cell, over the points in the window.
    private(set) var cells: [[Int64]: Int32] = [:]
    private var scratch: [Int64]

    struct Hotspot: Equatable {
        var density: Double
        var minValues: [Double]
        var maxValues: [Double]
        var points: Int
    }

    init(parameters: HotspotsParameters, dimensions: Int) {
        self.parameters = parameters
        self.dimensions = dimensions
        window = [Double](repeating: 0, count: parameters.windowSize * dimensions)
        scratch = [Int64](repeating: 0, count: dimensions)
    }

    /// The grid cell of the window's point `i`, into `scratch`.
    @inline(__always)
    private func cell(ofPoint i: Int, into key: inout [Int64]) {
        let r = parameters.scanRadius
        for d in 0..<dimensions {
            let c = (window[i * dimensions + d] / r).rounded(.down)
            key[d] = c >= 4.0e18 ? 4_000_000_000_000_000_000 : c <= -4.0e18 ? -4_000_000_000_000_000_000 : Int64(c)
        }
    }

    /// Add one point (`dimensions` values) to the window and return the hotspots of the window, densest first.
    mutating func process(_ p: UnsafeBufferPointer<Double>) -> [Hotspot] {
        var key = scratch
        if count == parameters.windowSize {
            // The oldest point leaves the window (and its cell).
            cell(ofPoint: next, into: &key)
            if let c = cells[key] {
                if c <= 1 { cells.removeValue(forKey: key) } else { cells[key] = c - 1 }
            }
        }
        let base = next * dimensions
        for d in 0..<dimensions { window[base + d] = p[d] }
        cell(ofPoint: next, into: &key)
        cells[key, default: 0] += 1
        scratch = key
        next = (next + 1) % parameters.windowSize
        count = min(count + 1, parameters.windowSize)
        return hotspots()
    }

    /// Rebuild the cell counts from the window (after a restore).
    mutating func recount() {
        cells = [:]
        var key = scratch
        for i in 0..<count {
            cell(ofPoint: i, into: &key)
            cells[key, default: 0] += 1
        }
    }

    func hotspots() -> [Hotspot] {
        let n = count, dims = dimensions
        guard n >= 2 else { return [] }
        var low = [Double](repeating: .infinity, count: dims), high = [Double](repeating: -.infinity, count: dims)
        for i in 0..<n {
            for d in 0..<dims {
                let x = window[i * dims + d]
                if x < low[d] { low[d] = x }
                if x > high[d] { high[d] = x }
            }
        }
        // A cell's share of the bounding box (dimensions with no extent do not count; a cell
        // wider than the box in a dimension covers all of it there).
        var expected = Double(n)
        for d in 0..<dims where high[d] > low[d] {
            expected *= min(parameters.scanRadius, high[d] - low[d]) / (high[d] - low[d])
        }
        let threshold = max(2, parameters.minimumDensity * expected)
        // Dense cells in a fixed order (the dictionary's order differs between processes).
        var dense = cells.filter { Double($0.value) >= threshold }.map(\.key)
        guard !dense.isEmpty else { return [] }
        dense.sort { $0.lexicographicallyPrecedes($1) }
        var region: [[Int64]: Int] = [:]
        var regionCells: [Int] = []
        for seed in dense where region[seed] == nil {
            let id = regionCells.count
            region[seed] = id
            var queue = [seed], head = 0
            while head < queue.count {
                var c = queue[head]
                head += 1
                for d in 0..<dims {
                    for step: Int64 in [-1, 1] {
                        c[d] &+= step
                        if region[c] == nil, let k = cells[c], Double(k) >= threshold {
                            region[c] = id
                            queue.append(c)
                        }
                        c[d] &-= step
                    }
                }
            }
            regionCells.append(queue.count)
        }
        var found = regionCells.map { _ in
            Hotspot(density: 0, minValues: [Double](repeating: .infinity, count: dims),
                    maxValues: [Double](repeating: -.infinity, count: dims), points: 0)
        }
        var key = scratch
        for i in 0..<n {
            cell(ofPoint: i, into: &key)
            guard let id = region[key] else { continue }
            found[id].points += 1
            for d in 0..<dims {
                let x = window[i * dims + d]
                if x < found[id].minValues[d] { found[id].minValues[d] = x }
                if x > found[id].maxValues[d] { found[id].maxValues[d] = x }
            }
        }
        for id in found.indices { found[id].density = Double(found[id].points) / (Double(regionCells[id]) * expected) }
        found.sort {
            if $0.density != $1.density { return $0.density > $1.density }
            if $0.points != $1.points { return $0.points > $1.points }
            return $0.minValues.lexicographicallyPrecedes($1.minValues)
        }
        return found
    }

    /// HOTSPOTS_RESULT: `{"hotspots":[{"density":…,"minValues":[…],"maxValues":[…]},…]}`.
    static func json(_ hotspots: [Hotspot]) -> String {
        var out = "{\"hotspots\":["
        for (i, h) in hotspots.enumerated() {
            if i > 0 { out += "," }
            out += "{\"density\":"
            AnalyticText.appendFixed4(h.density, to: &out)
            out += ",\"minValues\":["
            for (j, x) in h.minValues.enumerated() { if j > 0 { out += "," }; AnalyticText.appendFixed4(x, to: &out) }
            out += "],\"maxValues\":["
            for (j, x) in h.maxValues.enumerated() { if j > 0 { out += "," }; AnalyticText.appendFixed4(x, to: &out) }
            out += "]}"
        }
        out += "]}"
        return out
    }
}
