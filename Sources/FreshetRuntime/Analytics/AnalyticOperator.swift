import FreshetCore
import FreshetPlanner

/// Runs an analytic table function over the cursor's rows (its columns, then ROWTIME):
/// RANDOM_CUT_FOREST[_WITH_EXPLANATION] and HOTSPOTS add a column to each row as it
/// comes; TOP_K_ITEMS_TUMBLING and COUNT_DISTINCT_ITEMS_TUMBLING emit when a tumbling
/// window closes (`advance(to:)`). Output rows are the function's columns then a ROWTIME
/// (see TableFunctionPlan). The models are plain structs (`forest`, `hotspots`, `topK`,
/// `distinct`), bounded as each documents.
final class AnalyticOperator: RowSink {
    let plan: TableFunctionPlan
    let next: RowSink
    var forest: RandomCutForest?
    var hotspots: HotspotDetector?
    var topK: TumblingItemWindows<SpaceSavingCounter>?
    var distinct: TumblingItemWindows<DistinctCounter>?
    /// Scratch: the numeric columns of the current row.
    private var point: [Double]
    private let width: Int

    init(plan: TableFunctionPlan, next: RowSink) {
        self.plan = plan
        self.next = next
        width = plan.inputColumns.count
        point = [Double](repeating: 0, count: plan.dimensions.count)
        switch plan.function {
        case .randomCutForest(let p): forest = RandomCutForest(parameters: p, columns: plan.dimensions.count)
        case .hotspots(let p): hotspots = HotspotDetector(parameters: p, dimensions: plan.dimensions.count)
        case .topKItems(_, _, let size): topK = TumblingItemWindows(size: size)
        case .countDistinctItems(_, let size): distinct = TumblingItemWindows(size: size)
        }
    }

    /// When the earliest open window closes (tumbling functions only).
    var nextWindowEnd: Int64? { topK?.nextWindowEnd ?? distinct?.nextWindowEnd }

    /// Reads the row's dimensions into `point`; false when one is NULL or not a number.
    private func readPoint(_ r: Row) -> Bool {
        for (i, c) in plan.dimensions.enumerated() {
            switch r[c] {
            case .int(let n): point[i] = Double(n)
            case .double(let d): guard d.isFinite else { return false }; point[i] = d
            case .decimal(let d): point[i] = d.doubleValue
            default: return false
            }
        }
        return true
    }

    func push(_ rows: [Row]) throws {
        switch plan.function {
        case .randomCutForest(let p):
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for r in rows {
                var o = Array(r.prefix(width))
                o.reserveCapacity(width + 3)
                if readPoint(r) {
                    let score = point.withUnsafeBufferPointer { forest!.process($0, explain: p.explanation) }
                    o.append(.double(score))
                    if p.explanation { o.append(.string(explanation(directionality: p.directionality))) }
                } else {
                    // A row with a NULL dimension is passed on unscored and not learned from.
                    o.append(.null)
                    if p.explanation { o.append(.null) }
                }
                o.append(r[width])
                out.append(o)
            }
            try next.push(out)
        case .hotspots:
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for r in rows {
                var o = Array(r.prefix(width))
                if readPoint(r) {
                    let found = point.withUnsafeBufferPointer { hotspots!.process($0) }
                    o.append(.string(HotspotDetector.json(found)))
                } else {
                    o.append(.null)
                }
                o.append(r[width])
                out.append(o)
            }
            try next.push(out)
        case let .topKItems(column, k, _):
            let capacity = max(1000, 4 * k)
            for r in rows {
                guard case .timestamp(let t) = r[width], !r[column].isNull else { continue }
                if let w = topK!.window(for: t, make: { SpaceSavingCounter(capacity: capacity) }) { topK!.counters[w].add(r[column]) }
            }
        case let .countDistinctItems(column, _):
            for r in rows {
                guard case .timestamp(let t) = r[width], !r[column].isNull else { continue }
                if let w = distinct!.window(for: t, make: { DistinctCounter() }) { distinct!.counters[w].add(r[column]) }
            }
        }
    }

    /// The stream's time reached `watermark`: emit the tumbling windows that closed.
    func advance(to watermark: Int64) throws {
        var out: [Row] = []
        if case let .topKItems(_, k, _) = plan.function {
            for (end, counter) in topK!.close(through: watermark) {
                for (item, count) in counter.top(k) { out.append([item, .int(count), .timestamp(end)]) }
            }
        } else if distinct != nil {
            for (end, counter) in distinct!.close(through: watermark) { out.append([.int(counter.estimate), .timestamp(end)]) }
        }
        if !out.isEmpty { try next.push(out) }
    }

    func finish() throws { try next.finish() }

    /// ANOMALY_EXPLANATION of the row just scored, laid out as Kinesis Data Analytics
    /// writes it (Developer Guide, "Example: Detecting Data Anomalies and Getting an
    /// Explanation", step 3): per numeric column (summed over the shingle)
    /// `{"col":{"ATTRIBUTION_SCORE":"…"}}`, with directionality
    /// `{"col":{"DIRECTION":"HIGH","STRENGTH":"…","ATTRIBUTION_SCORE":"…"}}` — numbers as
    /// strings with four decimals. DIRECTION is HIGH or LOW (whether the cuts isolating the
    /// row fall more above or below the recent data in that column), STRENGTH how one-sided
    /// that is (|above − below|). The ATTRIBUTION_SCOREs sum to ANOMALY_SCORE.
    private func explanation(directionality: Bool) -> String {
        let f = forest!
        let columns = plan.dimensions.count
        var out = "{"
        for c in 0..<columns {
            var above = 0.0, below = 0.0
            var j = c
            while j < f.dimensions {
                above += f.attribution[2 * j]
                below += f.attribution[2 * j + 1]
                j += columns
            }
            if c > 0 { out += "," }
            AnalyticText.appendQuoted(plan.inputColumns[plan.dimensions[c]].name, to: &out)
            out += ":{"
            if directionality {
                out += "\"DIRECTION\":\"" + (above >= below ? "HIGH" : "LOW") + "\",\"STRENGTH\":\""
                AnalyticText.appendFixed4(abs(above - below), to: &out)
                out += "\","
            }
            out += "\"ATTRIBUTION_SCORE\":\""
            AnalyticText.appendFixed4(above + below, to: &out)
            out += "\"}"
        }
        out += "}"
        return out
    }
}
