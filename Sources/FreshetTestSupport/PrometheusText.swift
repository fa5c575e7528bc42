/// A strict reader of the Prometheus text exposition format (version 0.0.4,
/// https://prometheus.io/docs/instrumenting/exposition_formats/), for tests that
/// scrape `/metrics`: every line must be a `# HELP`, a `# TYPE` (before the family's
/// samples, with a known type) or a sample `name{label="value",…} number`, metric and
/// label names must match the format's patterns, label values use only the three
/// escapes, and a family's samples are contiguous. Any violation throws.
public struct PrometheusText {
    public struct Sample: Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }
    public var help: [String: String] = [:]
    public var types: [String: String] = [:]
    public var samples: [Sample] = []

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The value of the sample `name` whose labels include `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { s in s.name == name && labels.allSatisfy { k, v in s.labels[k] == v } }?.value
    }

    public init(parsing text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Invalid(description: "the exposition must end with a newline") }
        var finished = Set<String>()
        var current: String?
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            func fail(_ why: String) -> Invalid { Invalid(description: "line \(n + 1): \(why): \(line)") }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#" else { continue } // a plain comment
                let name = String(parts[2])
                guard PrometheusText.isMetricName(name) else { throw fail("bad metric name") }
                if parts[1] == "HELP" {
                    guard help[name] == nil else { throw fail("second HELP") }
                    help[name] = parts.count > 3 ? String(parts[3]) : ""
                } else if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw fail("bad TYPE") }
                    guard types[name] == nil, !samples.contains(where: { $0.name == name }) else { throw fail("TYPE after samples or twice") }
                    types[name] = String(parts[3])
                }
                continue
            }
            // A sample.
            var i = line.startIndex
            while i < line.endIndex, line[i] != "{", line[i] != " " { i = line.index(after: i) }
            let name = String(line[..<i])
            guard PrometheusText.isMetricName(name) else { throw fail("bad metric name") }
            var labels: [String: String] = [:]
            if i < line.endIndex, line[i] == "{" {
                i = line.index(after: i)
                while i < line.endIndex, line[i] != "}" {
                    var j = i
                    while j < line.endIndex, line[j] != "=" { j = line.index(after: j) }
                    let label = String(line[i..<j])
                    guard PrometheusText.isLabelName(label), j < line.endIndex else { throw fail("bad label name") }
                    j = line.index(after: j)
                    guard j < line.endIndex, line[j] == "\"" else { throw fail("label value not quoted") }
                    j = line.index(after: j)
                    var value = ""
                    while true {
                        guard j < line.endIndex else { throw fail("unterminated label value") }
                        let c = line[j]
                        if c == "\"" { break }
                        if c == "\\" {
                            j = line.index(after: j)
                            guard j < line.endIndex else { throw fail("dangling escape") }
                            switch line[j] {
                            case "\\": value.append("\\")
                            case "\"": value.append("\"")
                            case "n": value.append("\n")
                            default: throw fail("unknown escape")
                            }
                        } else {
                            value.append(c)
                        }
                        j = line.index(after: j)
                    }
                    guard labels[label] == nil else { throw fail("label twice") }
                    labels[label] = value
                    j = line.index(after: j)
                    if j < line.endIndex, line[j] == "," { j = line.index(after: j) }
                    i = j
                }
                guard i < line.endIndex else { throw fail("unterminated labels") }
                i = line.index(after: i)
            }
            guard i < line.endIndex, line[i] == " " else { throw fail("no value") }
            let rest = line[line.index(after: i)...].split(separator: " ")
            guard rest.count == 1 || rest.count == 2, let v = Double(rest[0]) else { throw fail("bad value") }
            let family = PrometheusText.family(of: name, types: types)
            if family != current {
                if let current { finished.insert(current) }
                guard !finished.contains(family) else { throw fail("samples of \(family) are not contiguous") }
                current = family
            }
            if let t = types[family], t == "counter", v < 0 { throw fail("negative counter") }
            samples.append(Sample(name: name, labels: labels, value: v))
        }
    }

    static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f == ":" || ("a"..."z").contains(f) || ("A"..."Z").contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func isLabelName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || ("a"..."z").contains(f) || ("A"..."Z").contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
