"""Shards and resharding (issue 5): COPY ingest into a 1-shard and an 8-shard stream in
one run, and the time a split and a merge take under a steady 10,000 rows/s INSERT load,
with the largest write latency seen while each ran."""
import threading
import time

from suite import data
from suite.stats import percentile
from workloads.base import Workload

SPLIT_AT = str(1 << 127)  # the middle of the hash-key space [0, 2^128-1]


class Resharding(Workload):
    name = "resharding"
    title = "Shards and resharding: COPY into 1 vs 8 shards; split and merge under load"
    description = ("Two parts, Freshet only. (1) psql `\\copy … FROM … WITH (FORMAT csv)` of the same ~100-byte "
                   "rows into a 1-shard and an 8-shard stream partitioned on `user_id` (repetitions interleaved, "
                   "each into a new stream; the row count is checked after each load): whether ingest scales "
                   "with shards on this 2-core machine. (2) Two writer connections INSERT 50-row statements on "
                   "a fixed schedule, 10,000 rows/s in all, into a 1-shard stream; after a steady second, "
                   "`ALTER STREAM … SPLIT SHARD 'shardId-000000000000' AT '2^127'` and, a second later, "
                   "`MERGE SHARDS` of the two children run while the load goes on. Measured: how long each ALTER "
                   "takes, the largest INSERT acknowledgement latency among statements in flight while it ran, "
                   "and the p99 of all others; every row sent is counted back afterwards.")
    order = 15
    metrics = {"rows_per_s": ("rows/s", "rows/s", True), "seconds": ("time", "s", False),
               "split_ms": ("split time", "ms", False), "merge_ms": ("merge time", "ms", False),
               "max_write_ms_split": ("max write latency during split", "ms", False),
               "max_write_ms_merge": ("max write latency during merge", "ms", False),
               "p99_write_ms_steady": ("p99 write latency outside reshards", "ms", False),
               "achieved_rows_per_s": ("achieved load", "rows/s", True)}
    plot_metric = "rows_per_s"

    def run(self, ctx, result):
        rows = ctx.size(1_000_000, 20_000)
        csv = data.ingest_rows(rows)
        reps = ctx.repeats(3)
        result.params = {"copy_rows": rows, "copy_repeats": reps, "warmups": ctx.warmups(), "shard_counts": [1, 8],
                         "load_rows_per_s": 10_000, "load_writers": 2, "rows_per_insert": 50,
                         "reshard_repeats": reps}
        fr = ctx.freshet()
        try:
            self._copy(ctx, fr, result, rows, csv, reps)
            self._reshard_under_load(ctx, fr, result, reps)
        finally:
            fr.stop()
        result.ratio("COPY rows/s, 8 shards vs 1 shard", "Freshet 8 shards", "Freshet 1 shard", "rows_per_s")
        result.absolute("split under 10,000 rows/s", "Freshet split/merge under load", "split_ms",
                        higher_is_better=False)
        result.absolute("merge under 10,000 rows/s", "Freshet split/merge under load", "merge_ms",
                        higher_is_better=False)
        result.absolute("max write latency during a split", "Freshet split/merge under load", "max_write_ms_split",
                        higher_is_better=False)
        result.absolute("max write latency during a merge", "Freshet split/merge under load", "max_write_ms_merge",
                        higher_is_better=False)

    # --- part 1: COPY into 1 and 8 shards -------------------------------------------
    def _copy(self, ctx, fr, result, rows, csv, reps):
        cols = ", ".join(f"{c} {t}" for c, t in data.INGEST_COLUMNS)
        times = {1: [], 8: []}
        n = 0
        for rep in range(ctx.warmups() + reps):
            for shards in (1, 8):
                n += 1
                table = f"ingest{shards}_{n}"
                fr.psql(f"CREATE STREAM {table} ({cols}) WITH (shards = {shards}, partition_key = 'user_id')")
                t0 = time.perf_counter()
                fr.psql(f"\\copy {table} FROM '{csv}' WITH (FORMAT csv)")
                dt = time.perf_counter() - t0
                count = int(fr.psql(f"SELECT count(*) FROM {table}").strip())
                if count != rows:
                    raise RuntimeError(f"{shards} shard(s): {count} rows after COPY of {rows}")
                fr.psql(f"DROP STREAM {table}")
                if rep >= ctx.warmups():
                    times[shards].append(dt)
        for shards in (1, 8):
            t = times[shards]
            result.ok(f"Freshet {shards} shard{'s' if shards > 1 else ''}", "freshet",
                      {"rows_per_s": [rows / x for x in t], "seconds": t})

    # --- part 2: split and merge under a steady INSERT load ----------------------------
    def _reshard_under_load(self, ctx, fr, result, reps):
        samples = {k: [] for k in ("split_ms", "merge_ms", "max_write_ms_split", "max_write_ms_merge",
                                   "p99_write_ms_steady", "achieved_rows_per_s")}
        settle = 1.0 if ctx.quick else 2.0
        for rep in range(ctx.warmups() + reps):
            table = f"load{rep}"
            fr.psql(f"CREATE STREAM {table} (k BIGINT, pad TEXT) WITH (shards = 1, partition_key = 'k')")
            load = Load(fr, table, rate=10_000, writers=2, rows_per_insert=50)
            load.start()
            try:
                time.sleep(settle)
                split = timed_alter(fr, f"ALTER STREAM {table} SPLIT SHARD 'shardId-000000000000' AT '{SPLIT_AT}'")
                time.sleep(settle)
                merge = timed_alter(fr, f"ALTER STREAM {table} MERGE SHARDS 'shardId-000000000001', "
                                        f"'shardId-000000000002'")
                time.sleep(settle)
            finally:
                sent, elapsed, lat = load.stop()
            if load.error:
                raise RuntimeError(f"the INSERT load failed: {load.error}")
            count = int(fr.psql(f"SELECT count(*) FROM {table}").strip())
            if count != sent:
                raise RuntimeError(f"{count} rows stored of {sent} sent across a split and a merge")
            open_shards = fr.psql(f"SELECT shard_id FROM sys.shards WHERE stream_name = '{table}' AND open").split()
            if open_shards != ["shardId-000000000003"]:
                raise RuntimeError(f"after split and merge the open shards are {open_shards}")
            fr.psql(f"DROP STREAM {table}")
            if rep < ctx.warmups():
                continue
            during_split = [ms for s, e, ms in lat if overlaps(s, e, split)]
            during_merge = [ms for s, e, ms in lat if overlaps(s, e, merge)]
            steady = sorted(ms for s, e, ms in lat if not overlaps(s, e, split) and not overlaps(s, e, merge))
            samples["split_ms"].append((split[1] - split[0]) * 1000)
            samples["merge_ms"].append((merge[1] - merge[0]) * 1000)
            samples["max_write_ms_split"].append(max(during_split, default=0.0))
            samples["max_write_ms_merge"].append(max(during_merge, default=0.0))
            samples["p99_write_ms_steady"].append(percentile(steady, 99) if steady else 0.0)
            samples["achieved_rows_per_s"].append(sent / elapsed)
        result.ok("Freshet split/merge under load", "freshet", samples)


def timed_alter(fr, sql):
    """Run an ALTER on its own connection; returns its (start, end) in time.monotonic()."""
    con = fr.connect()
    try:
        t0 = time.monotonic()
        con.query(sql)
        return t0, time.monotonic()
    finally:
        con.close()


def overlaps(s, e, window):
    return s < window[1] and e > window[0]


class Load:
    """`writers` connections, each sending a `rows_per_insert`-row INSERT on a fixed
    schedule so that together they offer `rate` rows/s; records (start, end, latency ms)
    of every statement. A writer that falls behind sends its late statements at once."""

    def __init__(self, system, table, rate, writers, rows_per_insert):
        self.system = system
        self.table = table
        self.interval = rows_per_insert * writers / rate
        self.writers = writers
        self.rows_per_insert = rows_per_insert
        self.stop_flag = threading.Event()
        self.lat = []
        self.sent = 0
        self.lock = threading.Lock()
        self.error = None
        self.threads = []
        self.t0 = None

    def start(self):
        self.t0 = time.monotonic()
        for w in range(self.writers):
            t = threading.Thread(target=self._write, args=(w,), daemon=True)
            t.start()
            self.threads.append(t)

    def _write(self, w):
        con = self.system.connect()
        pad = "x" * 80
        lat, sent, i = [], 0, 0
        try:
            start = self.t0 + w * self.interval / self.writers
            while not self.stop_flag.is_set():
                delay = start + i * self.interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                base = (w * 1_000_000_000) + i * self.rows_per_insert
                values = ", ".join(f"({base + j}, '{pad}')" for j in range(self.rows_per_insert))
                s = time.monotonic()
                con.query(f"INSERT INTO {self.table} VALUES {values}")
                e = time.monotonic()
                lat.append((s, e, (e - s) * 1000))
                sent += self.rows_per_insert
                i += 1
        except Exception as ex:  # recorded; the workload fails after stop()
            self.error = f"{type(ex).__name__}: {ex}"
        finally:
            con.close()
            with self.lock:
                self.lat += lat
                self.sent += sent

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(60)
        return self.sent, time.monotonic() - self.t0, self.lat


WORKLOAD = Resharding
