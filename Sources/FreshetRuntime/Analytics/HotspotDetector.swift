import Foundation
import FreshetPlanner

/// HOTSPOTS' model: the last `windowSize` points (numeric columns of a row), and for each
/// new row the dense regions among them.
///
/// The window's bounding box is divided into a grid of `c` cells per dimension, with
/// c = max(1, ⌊(n / 8)^(1/d)⌋) so that a cell expects about 8 points when the n points
/// are spread evenly. A cell is dense when it holds at least `scanThreshold` times that
/// expectation (and at least 2 points). Dense cells that touch (differ by one step in one
/// dimension) merge into one hotspot when their counts differ by at most `maxMergeRatio`,
/// growing from the densest cell. A hotspot reports its density — how many times denser
/// than the window's average it is (its share of the points over its share of the cells) —
/// and the bounds of its points per dimension. Per row the cost is O(windowSize × d + cells);
/// the state is the window (windowSize × d doubles) and scratch buffers of the same order.
struct HotspotDetector: Sendable {
    let parameters: HotspotsParameters
    let dimensions: Int
    /// Ring buffer of the last points.
    var window: [Double]
    var count = 0
    var next = 0
    // Scratch.
    private var minimum: [Double]
    private var maximum: [Double]
    private var cellOf: [Int32] = []
    private var cellCount: [Int32] = []
    private var region: [Int32] = []
    private var queue: [Int32] = []
    private var order: [Int32] = []

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
        minimum = [Double](repeating: 0, count: dimensions)
        maximum = [Double](repeating: 0, count: dimensions)
        cellOf = [Int32](repeating: 0, count: parameters.windowSize)
    }

    /// Add one point (`dimensions` values) to the window and return the hotspots of the window, densest first.
    mutating func process(_ p: UnsafeBufferPointer<Double>) -> [Hotspot] {
        let base = next * dimensions
        for d in 0..<dimensions { window[base + d] = p[d] }
        next = (next + 1) % parameters.windowSize
        count = min(count + 1, parameters.windowSize)
        return hotspots()
    }

    mutating func hotspots() -> [Hotspot] {
        let n = count, dims = dimensions
        guard n >= 2 else { return [] }
        for d in 0..<dims { minimum[d] = .infinity; maximum[d] = -.infinity }
        for i in 0..<n {
            for d in 0..<dims {
                let x = window[i * dims + d]
                if x < minimum[d] { minimum[d] = x }
                if x > maximum[d] { maximum[d] = x }
            }
        }
        var perDim = max(1, Int(pow(Double(n) / 8, 1 / Double(dims))))
        while perDim > 1 && pow(Double(perDim), Double(dims)) > Double(n) * 4 { perDim -= 1 }
        var cells = 1
        for _ in 0..<dims { cells *= perDim }
        if cellCount.count < cells { cellCount = [Int32](repeating: 0, count: cells); region = cellCount }
        for c in 0..<cells { cellCount[c] = 0; region[c] = -1 }
        for i in 0..<n {
            var cell = 0
            for d in 0..<dims {
                let range = maximum[d] - minimum[d]
                var k = range > 0 ? Int((window[i * dims + d] - minimum[d]) / range * Double(perDim)) : 0
                if k >= perDim { k = perDim - 1 }
                cell = cell * perDim + k
            }
            cellOf[i] = Int32(cell)
            cellCount[cell] += 1
        }
        let expected = Double(n) / Double(cells)
        let threshold = max(2, parameters.scanThreshold * expected)
        order.removeAll(keepingCapacity: true)
        for c in 0..<cells where Double(cellCount[c]) >= threshold { order.append(Int32(c)) }
        guard !order.isEmpty else { return [] }
        order.sort { cellCount[Int($0)] != cellCount[Int($1)] ? cellCount[Int($0)] > cellCount[Int($1)] : $0 < $1 }
        // Grow regions from the densest cells.
        var regionCells: [Int] = []
        var regionPoints: [Int] = []
        for seed in order where region[Int(seed)] < 0 {
            let id = Int32(regionCells.count)
            region[Int(seed)] = id
            queue.removeAll(keepingCapacity: true)
            queue.append(seed)
            var head = 0, members = 0, pointsIn = 0
            while head < queue.count {
                let c = Int(queue[head]); head += 1
                members += 1
                pointsIn += Int(cellCount[c])
                var step = 1
                for _ in 0..<dims {
                    let k = (c / step) % perDim
                    for side in 0..<2 {
                        let neighbour = side == 0 ? (k > 0 ? c - step : -1) : (k < perDim - 1 ? c + step : -1)
                        guard neighbour >= 0, region[neighbour] < 0, Double(cellCount[neighbour]) >= threshold else { continue }
                        let a = Double(cellCount[c]), b = Double(cellCount[neighbour])
                        guard max(a, b) / min(a, b) <= parameters.maxMergeRatio else { continue }
                        region[neighbour] = id
                        queue.append(Int32(neighbour))
                    }
                    step *= perDim
                }
            }
            regionCells.append(members)
            regionPoints.append(pointsIn)
        }
        var result = (0..<regionCells.count).map { r in
            Hotspot(density: Double(regionPoints[r]) / (expected * Double(regionCells[r])),
                    minValues: [Double](repeating: .infinity, count: dims), maxValues: [Double](repeating: -.infinity, count: dims),
                    points: regionPoints[r])
        }
        for i in 0..<n {
            let r = region[Int(cellOf[i])]
            guard r >= 0 else { continue }
            for d in 0..<dims {
                let x = window[i * dims + d]
                if x < result[Int(r)].minValues[d] { result[Int(r)].minValues[d] = x }
                if x > result[Int(r)].maxValues[d] { result[Int(r)].maxValues[d] = x }
            }
        }
        result.sort { $0.density > $1.density }
        return result
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
