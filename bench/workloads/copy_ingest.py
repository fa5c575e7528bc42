"""Bulk ingest: the same CSV rows loaded with psql's \\copy (COPY FROM STDIN) into a
Freshet stream and into PostgreSQL logged and unlogged tables."""
import os
import time

from suite import data
from workloads.base import Workload


class CopyIngest(Workload):
    name = "copy_ingest"
    title = "Bulk ingest: COPY FROM STDIN through psql"
    description = ("psql `\\copy … FROM … WITH (FORMAT csv)` of the same rows (4 columns, about 100 bytes each) "
                   "into a Freshet stream (4 shards; every row fdatasync'ed before COPY returns) and into "
                   "PostgreSQL tables, logged (WAL fsynced at commit) and unlogged. Repetitions are interleaved "
                   "across systems, each into a new table; the row count is checked after each load.")
    order = 10
    metrics = {"rows_per_s": ("rows/s", "rows/s", True), "mb_per_s": ("MB/s", "MB/s", True),
               "seconds": ("time", "s", False)}

    def run(self, ctx, result):
        rows = ctx.size(1_000_000, 20_000)
        csv = data.ingest_rows(rows)
        size = os.path.getsize(csv)
        result.params = {"rows": rows, "bytes": size, "bytes_per_row": round(size / rows, 1),
                         "repeats": ctx.repeats(5), "warmups": ctx.warmups(), "freshet_shards": 4}
        fr = ctx.freshet()
        pg = ctx.postgres()
        try:
            targets = [("Freshet", fr, False), (f"{pg.label} logged", pg, False), (f"{pg.label} unlogged", pg, True)]
            times = {label: [] for label, _, _ in targets}
            n = 0
            for rep in range(ctx.warmups() + ctx.repeats(5)):
                for label, system, unlogged in targets:
                    n += 1
                    table = f"bulk{n}"
                    if system is fr:
                        fr.create_table(table, data.INGEST_COLUMNS, "user_id")
                    else:
                        pg.create_table(table, data.INGEST_COLUMNS, unlogged=unlogged)
                    t0 = time.perf_counter()
                    system.psql(f"\\copy {table} FROM '{csv}' WITH (FORMAT csv)")
                    dt = time.perf_counter() - t0
                    count = int(system.psql(f"SELECT count(*) FROM {table}").strip())
                    if count != rows:
                        raise RuntimeError(f"{label}: {count} rows after COPY of {rows}")
                    if rep >= ctx.warmups():
                        times[label].append(dt)
            for label, system, _ in targets:
                t = times[label]
                result.ok(label, system.name, {"rows_per_s": [rows / x for x in t], "mb_per_s": [size / x / 1e6 for x in t],
                                               "seconds": t})
        finally:
            fr.stop()
            pg.stop()
        result.ratio("COPY rows/s vs PostgreSQL logged", "Freshet", f"{pg.label} logged", "rows_per_s", target=2.5)
        result.ratio("COPY rows/s vs PostgreSQL unlogged", "Freshet", f"{pg.label} unlogged", "rows_per_s")
        result.absolute("COPY rows/s", "Freshet", "rows_per_s", target=1_000_000)


WORKLOAD = CopyIngest
