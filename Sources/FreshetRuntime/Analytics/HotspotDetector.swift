import Foundation
import FreshetPlanner

/// HOTSPOTS' model: the last `windowSize` points (numeric columns of a row), and for each
/// new row the dense regions among them.
///
/// A grid scan that zooms in. The points' bounding box is divided into c cells per
/// dimension, c = ⌊(n / 8)^(1/d)⌋, so that a cell expects about 8 of the n points if they
/// were spread evenly (4 when zooming into a region). A cell is dense when it holds at least `scanThreshold` times that
/// expectation (and at least 2 points). Touching dense cells (one step apart in one
/// dimension) merge into one region when their counts differ by at most `maxMergeRatio`,
/// growing from the densest cell. Each region is then scanned the same way, over the
/// box of its cells and with its own points: if it holds denser sub-regions, those
/// replace it (so a small dense cluster inside a coarse cell is reported with its own
/// bounds, taking in the points within half a cell around it, as a cluster's edges
/// rarely fill whole cells); otherwise it is a hotspot. A hotspot reports its density — its share of the
/// window's points over its share of the window's volume, i.e. how many times denser
/// than the window's average it is — and the bounds of its points per dimension.
/// Hotspots whose bounds overlap (one cluster cut along cell borders while zooming) are
/// merged: the points within the joint bounds over the sum of their volumes.
/// Per row the cost is O(windowSize × d + cells); the state is the window.
struct HotspotDetector: Sendable {
    let parameters: HotspotsParameters
    let dimensions: Int
    /// Ring buffer of the last points.
    var window: [Double]
    var count = 0
    var next = 0
    /// Expected points per cell of a grid.
    static let pointsPerCell = 8.0
    static let maxDepth = 6

    struct Hotspot: Equatable {
        var density: Double
        var minValues: [Double]
        var maxValues: [Double]
        var points: Int
        /// The hotspot's share of the window's volume.
        var share: Double
    }

    init(parameters: HotspotsParameters, dimensions: Int) {
        self.parameters = parameters
        self.dimensions = dimensions
        window = [Double](repeating: 0, count: parameters.windowSize * dimensions)
    }

    /// Add one point (`dimensions` values) to the window and return the hotspots of the window, densest first.
    mutating func process(_ p: UnsafeBufferPointer<Double>) -> [Hotspot] {
        let base = next * dimensions
        for d in 0..<dimensions { window[base + d] = p[d] }
        next = (next + 1) % parameters.windowSize
        count = min(count + 1, parameters.windowSize)
        return hotspots()
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
        // Dimensions with no extent do not count towards volumes.
        var volume = 1.0
        for d in 0..<dims where high[d] > low[d] { volume *= high[d] - low[d] }
        var found: [Hotspot] = []
        scan(Array(0..<Int32(n)), low: low, high: high, depth: 0, windowPoints: Double(n), windowVolume: volume, into: &found)
        // Zooming can cut one cluster along cell borders: hotspots whose bounds overlap are one.
        var merged = true
        while merged {
            merged = false
            outer: for a in found.indices {
                for b in found.indices where b > a {
                    guard (0..<dims).allSatisfy({ found[a].minValues[$0] <= found[b].maxValues[$0] && found[b].minValues[$0] <= found[a].maxValues[$0] })
                    else { continue }
                    var u = found[a]
                    for d in 0..<dims {
                        u.minValues[d] = min(u.minValues[d], found[b].minValues[d])
                        u.maxValues[d] = max(u.maxValues[d], found[b].maxValues[d])
                    }
                    u.points = 0
                    for i in 0..<n where (0..<dims).allSatisfy({ window[i * dims + $0] >= u.minValues[$0] && window[i * dims + $0] <= u.maxValues[$0] }) {
                        u.points += 1
                    }
                    u.share = found[a].share + found[b].share
                    u.density = u.share > 0 ? (Double(u.points) / Double(n)) / u.share : Double(u.points)
                    found[a] = u
                    found.remove(at: b)
                    merged = true
                    break outer
                }
            }
        }
        found.sort { $0.density != $1.density ? $0.density > $1.density : $0.points > $1.points }
        return found
    }

    /// Find the dense regions among `members` (indices into the window) in the box [low, high].
    private func scan(_ members: [Int32], low: [Double], high: [Double], depth: Int, windowPoints: Double, windowVolume: Double,
                      into found: inout [Hotspot]) {
        let dims = dimensions, n = members.count
        let perCell = depth == 0 ? HotspotDetector.pointsPerCell : HotspotDetector.pointsPerCell / 2
        var perDim = max(1, Int(pow(Double(n) / perCell, 1 / Double(dims))))
        while perDim > 1 && pow(Double(perDim), Double(dims)) > Double(n) * 4 { perDim -= 1 }
        guard perDim >= 2 else { return }
        var cells = 1
        for _ in 0..<dims { cells *= perDim }
        var cellCount = [Int32](repeating: 0, count: cells)
        var cellOf = [Int32](repeating: 0, count: n)
        for (j, i) in members.enumerated() {
            var cell = 0
            for d in 0..<dims {
                let range = high[d] - low[d]
                var k = range > 0 ? Int((window[Int(i) * dims + d] - low[d]) / range * Double(perDim)) : 0
                if k >= perDim { k = perDim - 1 }
                if k < 0 { k = 0 }
                cell = cell * perDim + k
            }
            cellOf[j] = Int32(cell)
            cellCount[cell] += 1
        }
        let expected = Double(n) / Double(cells)
        let threshold = max(2, parameters.scanThreshold * expected)
        var dense = (0..<cells).filter { Double(cellCount[$0]) >= threshold }
        guard !dense.isEmpty else { return }
        dense.sort { cellCount[$0] != cellCount[$1] ? cellCount[$0] > cellCount[$1] : $0 < $1 }
        // Grow regions from the densest cells.
        var region = [Int32](repeating: -1, count: cells)
        var regionCells: [[Int]] = []
        for seed in dense where region[seed] < 0 {
            let id = Int32(regionCells.count)
            region[seed] = id
            var queue = [seed]
            var head = 0
            while head < queue.count {
                let c = queue[head]; head += 1
                var step = 1
                for _ in 0..<dims {
                    let k = (c / step) % perDim
                    for side in 0..<2 {
                        let neighbour = side == 0 ? (k > 0 ? c - step : -1) : (k < perDim - 1 ? c + step : -1)
                        guard neighbour >= 0, region[neighbour] < 0, Double(cellCount[neighbour]) >= threshold else { continue }
                        let a = Double(cellCount[c]), b = Double(cellCount[neighbour])
                        guard max(a, b) / min(a, b) <= parameters.maxMergeRatio else { continue }
                        region[neighbour] = id
                        queue.append(neighbour)
                    }
                    step *= perDim
                }
            }
            regionCells.append(queue)
        }
        var cellVolume = 1.0
        for d in 0..<dims where high[d] > low[d] { cellVolume *= (high[d] - low[d]) / Double(perDim) }
        for (id, cellsOfRegion) in regionCells.enumerated() {
            let inRegion = members.indices.filter { region[Int(cellOf[$0])] == Int32(id) }.map { members[$0] }
            // The box of the region's cells.
            var boxLow = [Double](repeating: .infinity, count: dims), boxHigh = [Double](repeating: -.infinity, count: dims)
            for c in cellsOfRegion {
                var rest = c
                for d in stride(from: dims - 1, through: 0, by: -1) {
                    let k = rest % perDim
                    rest /= perDim
                    let width = (high[d] - low[d]) / Double(perDim)
                    boxLow[d] = min(boxLow[d], low[d] + Double(k) * width)
                    boxHigh[d] = max(boxHigh[d], low[d] + Double(k + 1) * width)
                }
            }
            // Zoom in: denser sub-regions replace this one.
            if depth < HotspotDetector.maxDepth && cellsOfRegion.count < cells {
                let before = found.count
                scan(inRegion, low: boxLow, high: boxHigh, depth: depth + 1, windowPoints: windowPoints, windowVolume: windowVolume, into: &found)
                if found.count > before { continue }
            }
            // A zoomed-in region also takes in the enclosing region's points within half a cell
            // of its cells (a cluster's edges rarely fill whole cells).
            var points = inRegion
            var share = Double(cellsOfRegion.count) * cellVolume / windowVolume
            if depth > 0 {
                var volume = 1.0
                for d in 0..<dims {
                    let width = (high[d] - low[d]) / Double(perDim) / 2
                    boxLow[d] = max(low[d], boxLow[d] - width)
                    boxHigh[d] = min(high[d], boxHigh[d] + width)
                    if high[d] > low[d] { volume *= boxHigh[d] - boxLow[d] }
                }
                points = members.filter { i in
                    (0..<dims).allSatisfy { d in
                        let x = window[Int(i) * dims + d]
                        return x >= boxLow[d] && x <= boxHigh[d]
                    }
                }
                share = volume / windowVolume
            }
            var h = Hotspot(density: 0, minValues: [Double](repeating: .infinity, count: dims),
                            maxValues: [Double](repeating: -.infinity, count: dims), points: points.count, share: share)
            for i in points {
                for d in 0..<dims {
                    let x = window[Int(i) * dims + d]
                    if x < h.minValues[d] { h.minValues[d] = x }
                    if x > h.maxValues[d] { h.maxValues[d] = x }
                }
            }
            h.density = share > 0 ? (Double(points.count) / windowPoints) / share : Double(points.count)
            found.append(h)
        }
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
