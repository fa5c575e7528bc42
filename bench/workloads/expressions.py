"""Expression evaluation: `WHERE a * 2 + b > 10 AND s LIKE 'ab%'` and a projection of
three expressions over rows held in memory, Freshet's expression engine against DuckDB
(one thread) on the same data in the same run."""
import json

from suite import procs
from workloads.base import Workload

WHERE = "a * 2 + b > 10 AND s LIKE 'ab%'"
PROJECT = "a + b AS c1, a * b - 3 AS c2, length(s) AS c3"
FRESHET_SQL = f"SELECT {PROJECT} FROM t WHERE {WHERE}"
STRINGS = ["abc", "abd", "xyz", "abracadabra", "hello"]


class Expressions(Workload):
    name = "expressions"
    title = "Expressions: filter + 3-column projection, in memory"
    description = (f"Rows (a = i % 1000, b = i * 7 % 100, s one of {', '.join(STRINGS)}) held in memory; "
                   f"`SELECT {PROJECT} FROM t WHERE {WHERE}`. Freshet: the hidden `freshet bench-expr` "
                   "command parses and binds the query as a bounded SELECT would, compiles WHERE and the "
                   "projections once (closures), and evaluates them row by row over `[Value]` rows generated in "
                   "memory, timing the evaluation only (thread CPU time; no storage, no wire). DuckDB (PyPI, one "
                   "thread): the same query over a table built from range(n) with the same values, summed so that "
                   "only the evaluation is timed. Both return the same checksum (sum of the three columns).")
    order = 15
    metrics = {"rows_per_core_s": ("rows/s per core", "rows/s/core", True),
               "seconds": ("time", "s", False)}
    plot_metric = "rows_per_core_s"
    plot_log = True

    def run(self, ctx, result):
        n = ctx.size(10_000_000, 200_000)
        reps = ctx.repeats(3)
        result.params = {"rows": n, "repeats": reps, "where": WHERE, "projection": PROJECT}

        fr_rate, fr_s, fr_sum = [], [], None
        for _ in range(reps):
            out = procs.run([ctx.binary, "bench-expr", "--rows", str(n), "--sql", FRESHET_SQL]).stdout
            r = json.loads(out.strip().splitlines()[-1])
            fr_rate.append(n / r["cpu_seconds"])
            fr_s.append(r["cpu_seconds"])
            fr_sum = (r["matched"], r["checksum"])
        result.ok("Freshet expression engine, 1 core", "freshet", {"rows_per_core_s": fr_rate, "seconds": fr_s})

        import duckdb
        import time
        con = duckdb.connect()
        con.execute("SET threads = 1")
        strings = ", ".join(f"'{s}'" for s in STRINGS)
        con.execute(f"""CREATE TABLE t AS SELECT (i % 1000)::BIGINT AS a, (i * 7 % 100)::BIGINT AS b,
                        ([{strings}])[(i % 5)::INTEGER + 1] AS s FROM range({n}) r(i)""")
        dk_rate, dk_s, dk_sum = [], [], None
        label = f"DuckDB {duckdb.__version__}, 1 thread"
        for _ in range(reps):
            t0 = time.perf_counter()
            row = con.execute(f"SELECT count(*), sum(c1 + c2 + c3) FROM (SELECT {PROJECT} FROM t WHERE {WHERE})").fetchone()
            dt = time.perf_counter() - t0
            dk_rate.append(n / dt)
            dk_s.append(dt)
            dk_sum = (row[0], int(row[1]))
        con.close()
        result.ok(label, "duckdb", {"rows_per_core_s": dk_rate, "seconds": dk_s})
        if fr_sum != dk_sum:
            result.notes.append(f"checksums differ: Freshet (matched, sum) = {fr_sum}, DuckDB = {dk_sum}")
        else:
            result.notes.append(f"both matched {fr_sum[0]:,} rows with checksum {fr_sum[1]}")
        result.ratio("Freshet / DuckDB, rows per core-second", "Freshet expression engine, 1 core", label,
                     "rows_per_core_s", target=0.2)


WORKLOAD = Expressions
