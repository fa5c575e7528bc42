"""Sliding window: AVG per key over the preceding minute of event time, one output row
per input row; Freshet's continuous OVER query against Flink SQL's OVER window, DuckDB's
batch window function as the vectorized reference."""
from suite import data, streaming
from systems.duckdb_peer import DuckDB
from workloads.base import Workload
from workloads.tumbling_window import EVENT_METRICS, WATERMARK_DELAY_S, bounded_query, duck_label, flink_label, run_flink

FRESHET_STREAM = ("SELECT STREAM k, ts, AVG(v) OVER (PARTITION BY k ORDER BY ts RANGE INTERVAL '1' MINUTE PRECEDING) "
                  "AS a FROM ev START AT TRIM_HORIZON")
# When OVER must be ordered by arrival time: the same average over the preceding minute
# of ROWTIME (all retained rows arrived within the ingest, so the windows differ).
FRESHET_STREAM_ROWTIME = ("SELECT STREAM k, ts, AVG(v) OVER (PARTITION BY k RANGE INTERVAL '1' MINUTE PRECEDING) "
                          "AS a FROM ev START AT TRIM_HORIZON")
FRESHET_BATCH = ("SELECT k, ts, AVG(v) OVER (PARTITION BY k ORDER BY ts RANGE INTERVAL '1' MINUTE PRECEDING) "
                 "AS a FROM ev")
DUCKDB = ("SELECT k, ts, avg(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL 1 MINUTE PRECEDING "
          "AND CURRENT ROW) AS a FROM ev")


class SlidingWindow(Workload):
    name = "sliding_window"
    title = "Sliding 1-minute AVG per key"
    description = ("The tumbling workload's events (fewer of them), with `AVG(v) OVER (PARTITION BY k ORDER BY ts "
                   "RANGE INTERVAL '1' MINUTE PRECEDING)`: one output row per event. Freshet: the continuous "
                   "query over a stream with `WATERMARK FOR ts AS ts - INTERVAL '1' SECOND`, read until it has "
                   "windowed every row the watermark passes (all but the last second of event time), and the "
                   "same window function as a bounded SELECT (batch); Flink SQL: the OVER aggregate in streaming mode, "
                   "parallelism 1, blackhole sink, start-up subtracted; DuckDB: the window function as a batch "
                   "query, one thread.")
    order = 50
    metrics = EVENT_METRICS
    plot_metric = "events_per_core_s"
    plot_log = True

    def run(self, ctx, result):
        n = ctx.size(2_000_000, 20_000)
        keys, span = 10_000, ctx.size(100, 10)
        csv = data.events(n, keys, span)
        reps = ctx.repeats(3)
        result.params = {"events": n, "keys": keys, "event_time_span_s": span, "window": "1 minute preceding",
                         "repeats": reps}
        duck = DuckDB(csv)
        times = []
        for _ in range(ctx.warmups() + reps):
            dt, rows = duck.timed(DUCKDB)
            if rows != n:
                raise RuntimeError(f"DuckDB window returned {rows} rows for {n} events")
            times.append(dt)
        times = times[ctx.warmups():]
        result.ok(duck.label, "duckdb", {"events_per_s": [n / t for t in times],
                                         "events_per_core_s": [n / t for t in times], "seconds": times})
        # Ordered by event time, Freshet windows a row once the watermark (largest ts minus the
        # delay) reaches it: the rows of the last `delay` of event time wait for later rows.
        due = duck.scalar(f"SELECT count(*) FROM ev WHERE ts <= (SELECT max(ts) FROM ev) - INTERVAL {WATERMARK_DELAY_S} SECOND")
        result.params.update({"freshet_watermark_delay_s": WATERMARK_DELAY_S, "rows_the_watermark_passes": due})
        duck.close()

        fr = ctx.freshet()
        stream_label = "Freshet SELECT STREAM"
        batch_label = "Freshet bounded SELECT (batch)"
        try:
            fr.create_table("ev", data.EVENT_COLUMNS, "k", watermark=("ts", WATERMARK_DELAY_S))
            supported, reason = streaming.probe(fr, FRESHET_STREAM)
            query, expected = FRESHET_STREAM, due
            if not supported:
                rowtime_ok, rowtime_reason = streaming.probe(fr, FRESHET_STREAM_ROWTIME)
                if rowtime_ok:
                    result.unsupported("Freshet SELECT STREAM, ordered by event time", "freshet", reason)
                    supported, query, expected = True, FRESHET_STREAM_ROWTIME, n
                    result.notes.append("Freshet orders windows by ROWTIME only, so its figure is for "
                                        f"`{FRESHET_STREAM_ROWTIME}`: the same AVG over the preceding minute of "
                                        "arrival time, one output row per event.")
                else:
                    reason = f"{reason}; ordered by ROWTIME: {rowtime_reason}"
            batch_ok, err = fr.try_psql(FRESHET_BATCH + " LIMIT 1")
            if not batch_ok:
                result.unsupported(batch_label, "freshet", err.strip().splitlines()[0])
            # Rows of one COPY statement share a ROWTIME and reach the query shard by shard, so one
            # statement spans less event time than the watermark delay (as in tumbling_window):
            # then no row is behind the watermark.
            chunk = max(1_000, n * WATERMARK_DELAY_S // (2 * span))
            fr.copy_in("ev", csv, chunk_rows=chunk)
            result.params["freshet_copy_rows_per_statement"] = chunk
            if supported:
                wait = ctx.size(300, 15)
                runs = []
                for _ in range(ctx.warmups() + reps):
                    runs.append(streaming.consume(fr, query, expected, timeout=wait))
                    if runs[-1][1] < expected:
                        break  # it will not do better the next time
                short = [r for _, r, _ in runs if r < expected]
                if short:
                    result.incomplete(stream_label, "freshet", f"the continuous query emitted {min(short):,} of "
                                      f"{expected:,} rows, then nothing more within {wait} s", query=query)
                else:
                    runs = runs[ctx.warmups():]
                    result.ok(stream_label, "freshet", {"events_per_s": [n / t for t, _, _ in runs],
                                                        "events_per_core_s": [n / c for _, _, c in runs if c > 0] or [0],
                                                        "seconds": [t for t, _, _ in runs]}, query=query)
            else:
                result.unsupported(stream_label, "freshet", reason)
            if batch_ok:
                runs = [bounded_query(fr, FRESHET_BATCH) for _ in range(ctx.warmups() + reps)][ctx.warmups():]
                if runs[0][1] != n:
                    result.failed(batch_label, "freshet", f"{runs[0][1]} rows for {n} events")
                else:
                    result.ok(batch_label, "freshet", {"events_per_s": [n / t for t, _, _ in runs],
                                                       "events_per_core_s": [n / c for _, _, c in runs if c > 0] or [0],
                                                       "seconds": [t for t, _, _ in runs]}, query=FRESHET_BATCH)
        finally:
            fr.stop()
        run_flink(ctx, result, "sliding", csv, n, keys)
        result.ratio("sliding events/s per core vs Flink", stream_label, flink_label(), "events_per_core_s")
        result.ratio("sliding events/s per core vs DuckDB batch", stream_label, duck_label(), "events_per_core_s")


WORKLOAD = SlidingWindow
