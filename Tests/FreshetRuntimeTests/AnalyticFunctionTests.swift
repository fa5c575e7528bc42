import Foundation
import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// The analytic table functions' operators, tested by properties on generated data:
/// RANDOM_CUT_FOREST (warm-up zeros, outliers score high, repeatable, explanations),
/// HOTSPOTS (a planted dense region is found, uniform data has none), TOP_K_ITEMS_TUMBLING
/// (planted heavy hitters, windows close on the watermark) and COUNT_DISTINCT_ITEMS_TUMBLING
/// (exact up to 10,000, then within the documented error).
@Suite struct AnalyticFunctionTests {
    static let second: Int64 = 1_000_000

    /// A cursor (x DOUBLE, y DOUBLE, tag TEXT) → function plan.
    func plan(_ f: AnalyticFunction) -> TableFunctionPlan {
        let inputs = [OutputColumn(name: "x", type: .double), OutputColumn(name: "y", type: .double), OutputColumn(name: "tag", type: .text)]
        var outputs = inputs
        switch f {
        case .randomCutForest(let p):
            outputs.append(OutputColumn(name: "anomaly_score", type: .double))
            if p.explanation { outputs.append(OutputColumn(name: "anomaly_explanation", type: .text)) }
        case .hotspots: outputs.append(OutputColumn(name: "hotspots_result", type: .text))
        case .topKItems: outputs = [OutputColumn(name: "item", type: .text), OutputColumn(name: "item_count", type: .bigint)]
        case .countDistinctItems: outputs = [OutputColumn(name: "number_of_distinct_items", type: .bigint)]
        }
        return TableFunctionPlan(function: f, inputFilter: nil, inputProjections: [], inputColumns: inputs, dimensions: [0, 1],
                                 outputColumns: outputs)
    }

    func gaussian(_ rng: inout SplitMix64) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    func row(_ x: Double, _ y: Double, _ tag: String = "", at t: Int64 = 0) -> Row {
        [.double(x), .double(y), .string(tag), .timestamp(t)]
    }

    func scores(_ rows: [Row]) -> [Double] {
        rows.map { if case .double(let d) = $0[3] { return d } else { return .nan } }
    }

    @Test func forestScoresZeroUntilTheSampleIsFull() throws {
        let sink = CollectingSink()
        let op = AnalyticOperator(plan: plan(.randomCutForest(RandomCutForestParameters(numberOfTrees: 20, subSampleSize: 64))), next: sink)
        var rng = SplitMix64(seed: 1)
        try op.push((0..<200).map { _ in row(gaussian(&rng), gaussian(&rng)) })
        let out = sink.take()
        #expect(out.count == 200)
        #expect(out.allSatisfy { $0.count == 5 && $0[4] == .timestamp(0) })   // x, y, tag, ANOMALY_SCORE, ROWTIME
        let s = scores(out)
        #expect(s.prefix(64).allSatisfy { $0 == 0 })
        #expect(s.dropFirst(64).allSatisfy { $0 > 0 })
        #expect(op.forest!.trees.allSatisfy { $0.totalMass == 64 })            // bounded by the sample
    }

    @Test func outliersScoreWellAboveNormalRows() throws {
        let sink = CollectingSink()
        let op = AnalyticOperator(plan: plan(.randomCutForest(RandomCutForestParameters())), next: sink)
        var rng = SplitMix64(seed: 7)
        var rows: [Row] = []
        var outlier: [Bool] = []
        for i in 0..<3000 {
            if i >= 300 && i % 100 == 50 {
                let angle = Double(i) * 0.7
                rows.append(row(7 * cos(angle), 7 * sin(angle)))   // 7 standard deviations out
                outlier.append(true)
            } else {
                rows.append(row(gaussian(&rng), gaussian(&rng)))
                outlier.append(false)
            }
        }
        for chunk in stride(from: 0, to: rows.count, by: 500) { try op.push(Array(rows[chunk..<min(chunk + 500, rows.count)])) }
        let s = scores(sink.take())
        let scored = (256..<3000)
        let outliers = scored.filter { outlier[$0] }.map { s[$0] }
        let normal = scored.filter { !outlier[$0] }.map { s[$0] }
        let meanOutlier = outliers.reduce(0, +) / Double(outliers.count)
        let meanNormal = normal.reduce(0, +) / Double(normal.count)
        #expect(outliers.count == 27)
        #expect(meanOutlier > 3 * meanNormal, "outliers \(meanOutlier), normal \(meanNormal)")
        #expect(meanNormal > 0.5 && meanNormal < 2)   // typical points score about 1
        // Every outlier scores above 95% of the normal rows.
        let p95 = normal.sorted()[Int(Double(normal.count) * 0.95)]
        #expect(outliers.allSatisfy { $0 > p95 })
    }

    @Test func forestIsRepeatable() throws {
        func run() throws -> [Double] {
            let sink = CollectingSink()
            let op = AnalyticOperator(plan: plan(.randomCutForest(RandomCutForestParameters(numberOfTrees: 10, subSampleSize: 32, timeDecay: 50))), next: sink)
            var rng = SplitMix64(seed: 3)
            try op.push((0..<400).map { _ in row(gaussian(&rng), gaussian(&rng)) })
            return scores(sink.take())
        }
        let a = try run(), b = try run()
        #expect(a == b)
        #expect(Set(a.dropFirst(32)).count > 100)   // scores vary: the model is not constant
    }

    @Test func explanationAttributesTheScoreToTheAnomalousColumn() throws {
        let sink = CollectingSink()
        let p = RandomCutForestParameters(numberOfTrees: 50, subSampleSize: 128, explanation: true, directionality: true)
        let op = AnalyticOperator(plan: plan(.randomCutForest(p)), next: sink)
        var rng = SplitMix64(seed: 11)
        try op.push((0..<400).map { _ in row(gaussian(&rng), gaussian(&rng)) })
        _ = sink.take()
        try op.push([row(0.1, -9), row(9, 0.2)])
        let out = sink.take()
        for (r, (column, other, direction)) in zip(out, [("y", "x", "LOW"), ("x", "y", "HIGH")]) {
            guard case .double(let score) = r[3], case .string(let json) = r[4] else { Issue.record("no score"); continue }
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: [String: Any]]
            let mine = parsed[column]!, theirs = parsed[other]!
            // KDA's layout: DIRECTION, STRENGTH, ATTRIBUTION_SCORE per column, numbers as strings.
            #expect(Set(mine.keys) == ["DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE"])
            #expect(json.hasPrefix("{\"x\":{\"DIRECTION\":\""), "\(json)")
            let a = Double(mine["ATTRIBUTION_SCORE"] as! String)!, b = Double(theirs["ATTRIBUTION_SCORE"] as! String)!
            #expect(abs(a + b - score) < 0.001)                  // the attributions sum to the score
            #expect(a > 5 * b, "\(json)")
            #expect(mine["DIRECTION"] as? String == direction)
            let strength = Double(mine["STRENGTH"] as! String)!
            #expect(strength > 0 && strength <= a + 0.0001)       // |above - below| of a one-sided attribution
        }
    }

    @Test func explanationWithoutDirectionalityHasOnlyTheAttribution() throws {
        let sink = CollectingSink()
        let p = RandomCutForestParameters(numberOfTrees: 10, subSampleSize: 16, explanation: true)
        let op = AnalyticOperator(plan: plan(.randomCutForest(p)), next: sink)
        var rng = SplitMix64(seed: 3)
        try op.push((0..<40).map { _ in row(gaussian(&rng), gaussian(&rng)) })
        guard case .string(let json) = sink.take().last![4] else { Issue.record("no explanation"); return }
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: [String: String]]
        #expect(parsed.keys.sorted() == ["x", "y"] && parsed.values.allSatisfy { Array($0.keys) == ["ATTRIBUTION_SCORE"] }, "\(json)")
    }

    @Test func shinglingScoresABrokenPattern() throws {
        // A repeating 0,1,0,1 sequence; one repeated value breaks it. Single rows are all
        // familiar values, so only a shingle of 2 can see the break.
        func score(shingle: Int) throws -> (normal: Double, broken: Double) {
            let sink = CollectingSink()
            let op = AnalyticOperator(plan: plan(.randomCutForest(RandomCutForestParameters(numberOfTrees: 50, subSampleSize: 64, shingleSize: shingle)))
                                      , next: sink)
            var rows = (0..<600).map { i in row(Double(i % 2), 0) }
            rows.append(row(1, 0))   // 1 after 1: the pattern breaks
            try op.push(rows)
            let s = scores(sink.take())
            return (s[598], s[600])
        }
        let one = try score(shingle: 1), two = try score(shingle: 2)
        #expect(two.broken > 2 * two.normal, "\(two)")
        #expect(one.broken < 1.5 * one.normal, "\(one)")
    }

    @Test func nullDimensionsPassUnscored() throws {
        let sink = CollectingSink()
        let op = AnalyticOperator(plan: plan(.randomCutForest(RandomCutForestParameters(numberOfTrees: 5, subSampleSize: 10))), next: sink)
        try op.push([[.null, .double(1), .string("a"), .timestamp(5)]])
        #expect(sink.take() == [[.null, .double(1), .string("a"), .null, .timestamp(5)]])
        #expect(op.forest!.points == 0)
    }

    @Test func hotspotsFindAPlantedDenseRegion() throws {
        let sink = CollectingSink()
        // KDA's example call has scanRadius 0.2 over a 10 × 10 field; the planted square is 0.5 wide.
        let op = AnalyticOperator(plan: plan(.hotspots(HotspotsParameters(windowSize: 1000, scanRadius: 0.25, minimumDensity: 5))), next: sink)
        var rng = SplitMix64(seed: 5)
        var rows: [Row] = []
        for i in 0..<2000 {
            if i % 10 == 0 {
                rows.append(row(2 + Double.random(in: 0..<0.5, using: &rng), 7 + Double.random(in: 0..<0.5, using: &rng)))
            } else {
                rows.append(row(Double.random(in: 0..<10, using: &rng), Double.random(in: 0..<10, using: &rng)))
            }
        }
        try op.push(rows)
        let out = sink.take()
        #expect(out.count == 2000)
        guard case .string(let json) = out.last![3] else { Issue.record("no result"); return }
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: [[String: Any]]]
        let spots = parsed["hotspots"]!
        #expect(spots.count >= 1, "\(json)")
        let top = try #require(spots.first)
        let lo = top["minValues"] as! [Double], hi = top["maxValues"] as! [Double]
        // The densest hotspot covers the planted square [2, 2.5] × [7, 7.5], give or take a cell (0.25).
        #expect(lo[0] <= 2.05 && hi[0] >= 2.45 && lo[1] <= 7.05 && hi[1] >= 7.45, "\(json)")
        #expect(lo[0] >= 1.75 && hi[0] <= 2.75 && lo[1] >= 6.75 && hi[1] <= 7.75, "\(json)")
        // 10% of the points in 0.25% of the area: about 40 times the average density (plus the background).
        let density = top["density"] as! Double
        #expect(density > 25 && density < 60, "\(json)")
        // Every hotspot reaches minimumDensity, and any other is weaker.
        for s in spots { #expect((s["density"] as! Double) >= 5) }
        for s in spots.dropFirst() { #expect((s["density"] as! Double) <= density) }
        // minimumDensity filters: above the planted square's density, nothing is reported.
        let strict = AnalyticOperator(plan: plan(.hotspots(HotspotsParameters(windowSize: 1000, scanRadius: 0.25, minimumDensity: 80))), next: sink)
        try strict.push(rows)
        #expect(sink.take().last![3] == .string("{\"hotspots\":[]}"))
    }

    @Test func uniformDataHasNoHotspots() throws {
        let sink = CollectingSink()
        let op = AnalyticOperator(plan: plan(.hotspots(HotspotsParameters(windowSize: 500, scanRadius: 20, minimumDensity: 2.5))), next: sink)
        var rng = SplitMix64(seed: 9)
        try op.push((0..<1500).map { _ in row(Double.random(in: 0..<100, using: &rng), Double.random(in: 0..<100, using: &rng)) })
        let out = sink.take()
        // Cells of 20 × 20 expect 20 of the 500 points; none holds 2.5 times that by chance.
        #expect(out.suffix(1000).allSatisfy { $0[3] == .string("{\"hotspots\":[]}") })
        #expect(op.hotspots!.count == 500)   // the window is bounded
    }

    @Test func topKReturnsThePlantedHeavyHitters() throws {
        let sink = CollectingSink()
        let window = 10 * Self.second
        let op = AnalyticOperator(plan: plan(.topKItems(column: 2, k: 3, windowMicros: window)), next: sink)
        var items: [String] = Array(repeating: "a", count: 500) + Array(repeating: "b", count: 300) + Array(repeating: "c", count: 200)
        items += (0..<2500).map { "noise\($0)" }   // more distinct items than the counter tracks (1000)
        var rng = SplitMix64(seed: 21)
        items.shuffle(using: &rng)
        try op.push(items.enumerated().map { row(0, 0, $0.element, at: Int64($0.offset) * 2) })
        try op.push([row(0, 0, "late window", at: window + 1)])
        #expect(op.nextWindowEnd == window)
        try op.advance(to: window - 1)
        #expect(sink.take().isEmpty)
        try op.advance(to: window)
        let out = sink.take()
        #expect(out.map { $0[0] } == [.string("a"), .string("b"), .string("c")])
        #expect(out.allSatisfy { $0[2] == .timestamp(window) })
        // Space-Saving: a count overestimates by at most total / capacity = 3500 / 1000.
        for (r, truth) in zip(out, [500, 300, 200]) {
            guard case .int(let n) = r[1] else { Issue.record("no count"); continue }
            #expect(n >= Int64(truth) && n <= Int64(truth) + 4, "\(r)")
        }
        try op.advance(to: 2 * window)
        #expect(sink.take() == [[.string("late window"), .int(1), .timestamp(2 * window)]])
        #expect(op.topK!.starts.isEmpty)
    }

    @Test func countDistinctIsExactUpToTenThousandThenWithinItsError() throws {
        let sink = CollectingSink()
        let window = Self.second
        let op = AnalyticOperator(plan: plan(.countDistinctItems(column: 2, windowMicros: window)), next: sink)
        // Window 1: 5,000 distinct values, each three times. Window 2: 100,000 distinct values.
        var rows: [Row] = []
        for rep in 0..<3 { for i in 0..<5000 { rows.append(row(0, 0, "v\(i)", at: Int64(rep))) } }
        try op.push(rows)
        try op.push((0..<100_000).map { row(0, 0, "w\($0)", at: window + 5) })
        try op.advance(to: 2 * window)
        let out = sink.take()
        #expect(out.count == 2)
        #expect(out.first == [.int(5000), .timestamp(window)])
        guard case .int(let estimate) = out.last![0] else { Issue.record("no count"); return }
        #expect(abs(Double(estimate) - 100_000) / 100_000 < 0.025, "\(estimate)")
        #expect(op.distinct!.counters.isEmpty)
    }

    @Test func hyperLogLogIsStableAcrossRuns() {
        // StableHash does not depend on the process's hash seed: fixed values, fixed estimate.
        var c = DistinctCounter()
        for i in 0..<20_000 { c.add(.int(Int64(i))) }
        var d = DistinctCounter()
        for i in (0..<20_000).reversed() { d.add(.int(Int64(i))) }
        #expect(c.estimate == d.estimate)
        #expect(StableHash.hash(.int(1)) != StableHash.hash(.string("1")))
        #expect(abs(Double(c.estimate) - 20_000) / 20_000 < 0.025)
    }
}
