"""Tumbling window: COUNT and SUM per key per 1-second event-time window over retained
events, Freshet's continuous query against Flink SQL, with DuckDB's batch GROUP BY as
the vectorized reference."""
import subprocess
import time

from suite import data, streaming
from systems.duckdb_peer import DuckDB
from systems.flink import Flink
from workloads.base import Workload

FRESHET_STREAM = ("SELECT STREAM k, COUNT(*) AS n, SUM(v) AS s FROM ev START AT TRIM_HORIZON "
                  "GROUP BY k, FLOOR(ev.ts TO SECOND)")
# When windows over an event-time column are refused: the same aggregation over arrival
# time (ROWTIME). The retained rows arrived during the ingest, so the windows differ
# (fewer, fuller); their number comes from the bounded GROUP BY over ROWTIME.
FRESHET_STREAM_ROWTIME = ("SELECT STREAM k, COUNT(*) AS n, SUM(v) AS s FROM ev START AT TRIM_HORIZON "
                          "GROUP BY k, FLOOR(ev.ROWTIME TO SECOND)")
# The `ev` stream's watermark: WATERMARK FOR ts AS ts - INTERVAL '1' SECOND (the events'
# ts rise in file order, so no row is late).
WATERMARK_DELAY_S = 1
FRESHET_BATCH = "SELECT k, sec, COUNT(*) AS n, SUM(v) AS s FROM ev GROUP BY k, sec"
FRESHET_BATCH_ROWTIME = "SELECT k, FLOOR(ROWTIME TO SECOND) AS w, COUNT(*) AS n FROM ev GROUP BY k, FLOOR(ROWTIME TO SECOND)"
DUCKDB = "SELECT k, time_bucket(INTERVAL '1 second', ts) AS w, count(*) AS n, sum(v) AS s FROM ev GROUP BY k, w"


def bounded_query(system, sql, timeout=1800):
    """Seconds, output rows and server CPU seconds of `COPY (sql) TO STDOUT` through psql."""
    cpu0 = system.cpu_seconds()
    t0 = time.perf_counter()
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", f"COPY ({sql}) TO STDOUT"],
                       env=system.env, capture_output=True, timeout=timeout)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{system.name}: {sql}: {r.stderr.decode(errors='replace').strip()}")
    return dt, r.stdout.count(b"\n"), system.cpu_seconds() - cpu0


# The metrics of every workload that streams events through a window (tumbling, pump, sliding).
EVENT_METRICS = {"events_per_s": ("events/s", "events/s", True),
                 "events_per_core_s": ("events/s per core", "events/s/core", True),
                 "seconds": ("time", "s", False)}


class TumblingWindow(Workload):
    name = "tumbling_window"
    title = "Tumbling 1 s window: COUNT/SUM by key"
    description = ("Events (key among 10,000, event time rising evenly over 100 s, a double) are retained in a "
                   "stream; the query is COUNT(*) and SUM(v) per key per 1-second window of event time. Freshet: "
                   f"`{FRESHET_STREAM}` over a stream with `WATERMARK FOR ts AS ts - INTERVAL '1' SECOND`, read to the "
                   "last window the watermark closes; its per-core figure divides by the "
                   "server's CPU seconds. Flink SQL: the TUMBLE table-valued function over a filesystem CSV "
                   "source with a watermark on ts, into a blackhole sink, streaming mode, parallelism 1 (its "
                   "time is the job's net runtime as Flink reports it, minus that of the same job over 10,000 events, "
                   "so JVM, cluster and task start-up are not counted). DuckDB: the same "
                   "GROUP BY as a batch query with one thread. Freshet's bounded `SELECT … GROUP BY k, sec` "
                   "(batch, no streaming) is measured too, as what exists today.")
    order = 40
    metrics = EVENT_METRICS
    plot_metric = "events_per_core_s"
    plot_log = True

    def run(self, ctx, result):
        n = ctx.size(10_000_000, 50_000)
        keys, span = 10_000, ctx.size(100, 10)
        csv = data.events(n, keys, span)
        reps = ctx.repeats(3)
        result.params = {"events": n, "keys": keys, "event_time_span_s": span, "window": "1 s", "repeats": reps}
        duck = DuckDB(csv)
        groups = duck.scalar(f"SELECT count(*) FROM ({DUCKDB})")
        closed = duck.scalar(f"SELECT count(*) FROM ({DUCKDB}) WHERE w < (SELECT max(time_bucket(INTERVAL '1 second', ts)) FROM ev)")
        # Freshet's windows close on the watermark, the largest ts minus the delay: a window
        # [w, w + 1 s) is emitted once w + 1 s <= max(ts) - delay.
        closed_by_watermark = duck.scalar(f"SELECT count(*) FROM ({DUCKDB}) WHERE w + INTERVAL {1 + WATERMARK_DELAY_S} SECOND "
                                          "<= (SELECT max(ts) FROM ev)")
        result.params.update({"groups": groups, "groups_in_closed_windows": closed,
                              "freshet_watermark_delay_s": WATERMARK_DELAY_S,
                              "groups_in_windows_closed_by_the_watermark": closed_by_watermark})
        times = [duck.timed(DUCKDB)[0] for _ in range(ctx.warmups() + reps)][ctx.warmups():]
        result.ok(duck.label, "duckdb", {"events_per_s": [n / t for t in times], "events_per_core_s": [n / t for t in times],
                                         "seconds": times}, load_seconds=duck.load_s)
        duck.close()

        fr = ctx.freshet()
        stream_label = "Freshet SELECT STREAM"
        batch_label = "Freshet bounded SELECT (batch)"
        try:
            fr.create_table("ev", data.EVENT_COLUMNS, "k", watermark=("ts", WATERMARK_DELAY_S))
            supported, reason = streaming.probe(fr, FRESHET_STREAM)
            rowtime_ok, rowtime_reason = (False, None) if supported else streaming.probe(fr, FRESHET_STREAM_ROWTIME)
            t0 = time.perf_counter()
            # Rows of one COPY batch share a ROWTIME and a live reader hands them on shard by
            # shard, so one statement must span less event time than the watermark delay (else
            # another shard's older rows of the same statement are late): about half of it.
            chunk = max(1_000, n * WATERMARK_DELAY_S // (2 * span))
            fr.copy_in("ev", csv, chunk_rows=chunk)
            result.params["freshet_ingest_s"] = time.perf_counter() - t0
            result.params["freshet_copy_rows_per_statement"] = chunk
            if rowtime_ok:
                result.unsupported("Freshet SELECT STREAM, event-time windows", "freshet", reason)
                time.sleep(1.5)  # the last arrival-time window closes on the server's clock
                _, expected, _ = bounded_query(fr, FRESHET_BATCH_ROWTIME)
                result.params["freshet_rowtime_windows_rows"] = expected
                wait = ctx.size(120, 15)
                runs = []
                for _ in range(ctx.warmups() + reps):
                    runs.append(streaming.consume(fr, FRESHET_STREAM_ROWTIME, expected, timeout=wait))
                    if runs[-1][1] < expected:
                        break  # it will not do better the next time
                short = [r for _, r, _ in runs if r < expected]
                runs = runs[ctx.warmups():] if not short else runs
                if short:
                    result.incomplete(stream_label, "freshet", f"the continuous query emitted {min(short):,} of the "
                                      f"{expected:,} window rows that the bounded GROUP BY finds, then nothing "
                                      f"more within {wait} s", query=FRESHET_STREAM_ROWTIME,
                                      seconds=[t for t, _, _ in runs], rows=[r for _, r, _ in runs])
                else:
                    result.ok(stream_label, "freshet", {"events_per_s": [n / t for t, _, _ in runs],
                                                        "events_per_core_s": [n / c for _, _, c in runs if c > 0] or [0],
                                                        "seconds": [t for t, _, _ in runs]},
                              query=FRESHET_STREAM_ROWTIME, window_rows=expected)
                result.notes.append("Freshet refused windows over the event-time column, so its streaming figure "
                                    "is for the same COUNT/SUM per key over 1-second windows of arrival time "
                                    f"(`{FRESHET_STREAM_ROWTIME}`), timed until it has emitted as many rows as the "
                                    "bounded `GROUP BY k, FLOOR(ROWTIME TO SECOND)` returns.")
            elif supported:
                runs = [streaming.consume(fr, FRESHET_STREAM, closed_by_watermark, timeout=600)
                        for _ in range(ctx.warmups() + reps)]
                runs = runs[ctx.warmups():]
                if any(rows < closed_by_watermark for _, rows, _ in runs):
                    result.incomplete(stream_label, "freshet",
                                      f"received {min(r for _, r, _ in runs)} of {closed_by_watermark} window rows")
                else:
                    result.ok(stream_label, "freshet", {"events_per_s": [n / t for t, _, _ in runs],
                                                        "events_per_core_s": [n / c for _, _, c in runs if c > 0] or [0],
                                                        "seconds": [t for t, _, _ in runs]})
            else:
                result.unsupported(stream_label, "freshet", reason if not rowtime_reason else
                                   f"{reason}; over ROWTIME: {rowtime_reason}")
            runs = [bounded_query(fr, FRESHET_BATCH) for _ in range(ctx.warmups() + reps)][ctx.warmups():]
            if runs[0][1] != groups:
                result.failed(batch_label, "freshet", f"{runs[0][1]} groups, DuckDB found {groups}")
            else:
                result.ok(batch_label, "freshet", {"events_per_s": [n / t for t, _, _ in runs],
                                                   "events_per_core_s": [n / c for _, _, c in runs if c > 0] or [0],
                                                   "seconds": [t for t, _, _ in runs]})
        finally:
            fr.stop()

        run_flink(ctx, result, "tumbling", csv, n, keys)
        result.absolute("tumbling events/s per core (Freshet streaming)", stream_label, "events_per_core_s",
                        target=2_000_000)
        result.ratio("tumbling events/s per core vs Flink", stream_label, flink_label(), "events_per_core_s", target=8)
        result.ratio("batch GROUP BY events/s per core: Freshet bounded SELECT vs DuckDB", batch_label, duck_label(),
                     "events_per_core_s")


def duck_label():
    import duckdb
    return f"DuckDB {duckdb.__version__} batch, 1 thread"


def flink_label():
    from systems import flink
    return f"Flink {flink.VERSION} SQL, parallelism 1"


def run_flink(ctx, result, mode, csv, n, keys):
    """Measures the Flink job `mode` over csv (start-up subtracted) into `result`."""
    label = flink_label()
    if ctx.quick:
        result.skipped(label, "flink", "skipped with --quick (a JVM start per job; CI checks the other systems)")
        return
    if not ctx.flink_python:
        result.skipped(label, "flink", "Flink is not installed here; `bench/run --with-flink` installs PyPI "
                                       "apache-flink (about 400 MB with its jars) into ~/.cache/freshet-bench")
        return
    fl = Flink(ctx.flink_python)
    try:
        tiny_n = 10_000
        tiny = fl.run(mode, data.events(tiny_n, keys, 1))["net_runtime_s"]
        runs = [fl.run(mode, csv) for _ in range(ctx.repeats(2))]
        jobs = [r["net_runtime_s"] for r in runs]
    except Exception as e:
        result.failed(label, "flink", str(e)[-500:])
        return
    net = [max(j - tiny, 1e-3) for j in jobs]
    result.ok(label, "flink", {"events_per_s": [(n - tiny_n) / t for t in net],
                               "events_per_core_s": [(n - tiny_n) / t for t in net], "seconds": net},
              net_runtime_seconds=jobs, tiny_job_net_runtime_seconds=tiny,
              wall_seconds_with_jvm_start=[r["job_s"] + r["setup_s"] for r in runs],
              raw_events_per_s=[n / j for j in jobs])


WORKLOAD = TumblingWindow
