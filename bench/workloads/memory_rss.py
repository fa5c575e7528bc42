"""Memory: resident set of the Freshet server as rows accumulate, against PostgreSQL's
whole process tree for the same load."""
import time

from suite import data, procs, streaming
from workloads.base import Workload

WINDOWS = [  # the first the server accepts is used
    "SELECT STREAM user_id, COUNT(*) AS n, AVG(latency) AS a FROM mem START AT TRIM_HORIZON "
    "GROUP BY user_id, FLOOR(mem.ROWTIME TO SECOND)",
    "SELECT STREAM user_id, COUNT(*) AS n, AVG(latency) AS a FROM mem START AT TRIM_HORIZON "
    "GROUP BY user_id, STEP(mem.ROWTIME BY INTERVAL '1' SECOND)",
]


class MemoryRss(Workload):
    name = "memory_rss"
    title = "Memory: RSS while ingesting and retaining rows"
    description = ("A fresh server of each system ingests the bulk-ingest CSV again and again (psql `\\copy`, one "
                   "batch after another) into one stream / logged table; after each batch the suite reads the "
                   "resident set: Freshet's one process (VmRSS), PostgreSQL's postmaster plus all its children "
                   "(the sum of RSS counts shared_buffers once per process that touched it, so the sum of PSS — "
                   "shared pages divided among their sharers — is shown too). PostgreSQL's backends end with their "
                   "psql sessions, so its figure is what stays resident. Freshet is measured once more with a "
                   "continuous 1-second window by user_id (about 100,000 keys) reading every retained row, where "
                   "it supports one. Bounded means Freshet's RSS does not "
                   "grow with the number of rows retained: the target is RSS after the last batch ≤ 1.5× RSS after "
                   "the first.")
    order = 30
    metrics = {"rss_final_mib": ("RSS after all rows", "MiB", False), "rss_first_mib": ("RSS after first batch", "MiB", False),
               "peak_mib": ("peak RSS", "MiB", False), "growth": ("RSS growth first → last batch", "×", False),
               "pss_final_mib": ("PSS after all rows", "MiB", False)}
    plot_metric = "rss_final_mib"

    def run(self, ctx, result):
        batch = ctx.size(1_000_000, 20_000)
        batches = ctx.size(10, 3)
        csv = data.ingest_rows(batch)
        result.params = {"rows_per_batch": batch, "batches": batches, "rows_total": batch * batches}
        curves = {}
        fr = ctx.freshet()
        try:
            fr.create_table("mem", data.INGEST_COLUMNS, "user_id")
            curves["Freshet RSS"] = self._ingest(fr, csv, batch, batches, lambda: (procs.rss_kib(fr.pid), procs.pss_kib(fr.pid)))
            peak = procs.hwm_kib(fr.pid) / 1024
            window, reason = None, None
            for sql in WINDOWS:
                ok, reason = streaming.probe(fr, sql)
                if ok:
                    window = sql
                    break
            if window:
                bg = streaming.Background(fr, window)
                try:
                    time.sleep(ctx.size(10, 2))
                    with_window = procs.rss_kib(fr.pid) / 1024
                finally:
                    bg.stop()
        finally:
            fr.stop()
        rss = [y for _, y, _ in curves["Freshet RSS"]]
        result.ok("Freshet", "freshet", {"rss_final_mib": rss[-1], "rss_first_mib": rss[1], "peak_mib": peak,
                                         "growth": rss[-1] / rss[1], "pss_final_mib": curves["Freshet RSS"][-1][2]},
                  curve=curves["Freshet RSS"])
        label = "Freshet, with a 1 s window by user_id running over all rows"
        if window:
            result.ok(label, "freshet", {"rss_final_mib": with_window}, query=window, window_rows=bg.rows)
        else:
            result.unsupported(label, "freshet", reason)
        pg = ctx.postgres()
        try:
            pg.create_table("mem", data.INGEST_COLUMNS)
            curve = self._ingest(pg, csv, batch, batches, pg.tree_memory_kib)
        finally:
            pg.stop()
        result.ok(f"{pg.label} (all processes)", "postgresql",
                  {"rss_final_mib": curve[-1][1], "rss_first_mib": curve[1][1], "growth": curve[-1][1] / curve[1][1],
                   "pss_final_mib": curve[-1][2]}, curve=curve)
        result.charts.append({"kind": "line", "title": "Resident memory as rows accumulate", "x_label": "rows ingested",
                              "y_label": "MiB", "lines": [
                                  {"label": "Freshet RSS", "points": [(x, y) for x, y, _ in curves["Freshet RSS"]]},
                                  {"label": f"{pg.label} RSS (sum over processes)", "points": [(x, y) for x, y, _ in curve]},
                                  {"label": f"{pg.label} PSS (sum over processes)", "points": [(x, p) for x, _, p in curve]}]})
        result.absolute("RSS growth, first → last batch", "Freshet", "growth", target=1.5, higher_is_better=False,
                        target_text="bounded (≤ 1.5×)")
        result.ratio("RSS after all rows (PostgreSQL PSS / Freshet RSS)", "Freshet", f"{pg.label} (all processes)",
                     "pss_final_mib", higher_is_better=False)
        if result.get("Freshet", "rss_final_mib") is not None:
            # the ratio above compares Freshet's RSS (one process: RSS == PSS) with PostgreSQL's PSS sum
            result.headline[-1]["freshet_value"] = result.get("Freshet", "rss_final_mib")
            result.headline[-1]["value"] = result.get(f"{pg.label} (all processes)", "pss_final_mib") / \
                result.get("Freshet", "rss_final_mib")

    def _ingest(self, system, csv, batch, batches, measure):
        """Loads `batches` copies of csv; returns [(rows, rss MiB, pss MiB)] from before the first batch."""
        settle = 0.2 if batch < 100_000 else 1.0
        time.sleep(settle)
        rss, pss = measure()
        curve = [(0, rss / 1024, pss / 1024)]
        for i in range(batches):
            system.psql(f"\\copy mem FROM '{csv}' WITH (FORMAT csv)")
            time.sleep(settle)
            rss, pss = measure()
            curve.append(((i + 1) * batch, rss / 1024, pss / 1024))
        return curve


WORKLOAD = MemoryRss
