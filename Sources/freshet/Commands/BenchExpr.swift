import ArgumentParser
import FreshetCore
import FreshetPlanner
import FreshetRuntime
import FreshetSQL
#if canImport(Glibc)
import Glibc
#endif

/// `freshet bench-expr` (hidden): the expression engine alone, for
/// bench/workloads/expressions.py. Binds a query over an in-memory relation
/// `t(a bigint, b bigint, s text)` exactly as a bounded SELECT would, compiles
/// its WHERE and projections once, and evaluates them over `--rows` rows
/// generated in memory (no storage, no wire), timing only the evaluation on
/// this thread. Prints one JSON line: rows, matched, seconds, cpu_seconds, checksum.
struct BenchExpr: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-expr", abstract: "Measure the expression engine (benchmark helper).",
                                                    shouldDisplay: false)

    static let strings = ["abc", "abd", "xyz", "abracadabra", "hello"]

    @Option(help: "Rows to evaluate.") var rows: Int = 10_000_000
    @Option(help: "The query, over t(a bigint, b bigint, s text).")
    var sql = "SELECT a + b AS c1, a * b - 3 AS c2, length(s) AS c3 FROM t WHERE a * 2 + b > 10 AND s LIKE 'ab%'"

    struct Catalog: CatalogReader {
        func relation(named parts: [String]) -> RelationDescriptor? {
            guard parts.last == "t" else { return nil }
            return RelationDescriptor(oid: 1, schemaName: "public", name: "t", kind: .table,
                                      columns: [Column(name: "a", type: .bigint), Column(name: "b", type: .bigint), Column(name: "s", type: .text)],
                                      userColumnCount: 3)
        }
        func relationNames() -> [String] { ["t"] }
    }

    func run() throws {
        guard case .query(let q) = try Parser.parseStatement(sql).kind else { throw ValidationError("--sql must be a SELECT") }
        let plan = try Binder(catalog: Catalog()).bindQuery(q)
        let compiler = ExpressionCompiler(context: EvaluationContext())
        let filter = try plan.filter.map(compiler.compile)
        let projections = try plan.projections.map(compiler.compile)
        // The same data as the workload gives DuckDB: a = i % 1000, b = i * 7 % 100, s = strings[i % 5].
        let strings = BenchExpr.strings.map { Value.string($0) }
        var data: [[Value]] = []
        data.reserveCapacity(rows)
        for i in 0..<rows { data.append([.int(Int64(i % 1000)), .int(Int64(i * 7 % 100)), strings[i % 5]]) }
        var matched = 0
        var checksum: Int64 = 0
        let cpu0 = BenchExpr.cpuSeconds()
        let t0 = ContinuousClock.now
        for row in data {
            if let filter {
                guard case .bool(true) = try filter(row) else { continue }
            }
            matched += 1
            for p in projections {
                if case .int(let v) = try p(row) { checksum &+= v }
            }
        }
        let elapsed = ContinuousClock.now - t0
        let cpu = BenchExpr.cpuSeconds() - cpu0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("{\"rows\": \(rows), \"matched\": \(matched), \"seconds\": \(seconds), \"cpu_seconds\": \(cpu), \"checksum\": \(checksum)}")
    }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
