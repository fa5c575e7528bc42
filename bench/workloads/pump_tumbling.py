"""Tumbling window in a pump: COUNT and SUM per key per 1-second window, computed by a
CREATE PUMP over events already retained in a 4-shard stream, written to an output
stream, timed until sys.pumps shows every event read (rows_in = N, lag_rows = 0)."""
import struct
import time

from suite import data, streaming
from workloads.base import Workload
from workloads.tumbling_window import EVENT_METRICS, flink_label, run_flink

OUT_COLUMNS = "k VARCHAR(16), n BIGINT, s DOUBLE"
# The event-time form (windows over ev.ts) needs a WATERMARK on the stream; the suite's
# event streams have none, so the ROWTIME form is the fallback (as in tumbling_window).
PUMP_EVENT_TIME = ("INSERT INTO out SELECT STREAM k, COUNT(*), SUM(v) FROM ev START AT TRIM_HORIZON "
                   "GROUP BY k, FLOOR(ev.ts TO SECOND)")
PUMP_ROWTIME = ("INSERT INTO out SELECT STREAM k, COUNT(*), SUM(v) FROM ev START AT TRIM_HORIZON "
                "GROUP BY k, FLOOR(ev.ROWTIME TO SECOND)")
POLL = "SELECT rows_in, lag_rows, rows_out, error_rows, state, last_error FROM sys.pumps WHERE pump_name = 'tw'"


def select_row(con, sql):
    """The first row of a simple query over the protocol, as a list of str/None."""
    con.send_query(sql)
    row, error = None, None
    while True:
        t, payload = con.read_message()
        if t == b"D" and row is None:
            (count,) = struct.unpack("!H", payload[:2])
            at, row = 2, []
            for _ in range(count):
                (length,) = struct.unpack("!i", payload[at:at + 4])
                at += 4
                if length < 0:
                    row.append(None)
                else:
                    row.append(payload[at:at + length].decode())
                    at += length
        elif t == b"E":
            error = con._fields(payload)
        elif t == b"Z":
            if error:
                raise RuntimeError(f"{sql}: {error}")
            return row


def run_pump(fr, sql, n, timeout):
    """CREATE PUMP tw AS `sql`, poll sys.pumps every 100 ms until rows_in = n and
    lag_rows = 0; returns (seconds, server CPU seconds, the last sys.pumps row, done)."""
    fr.psql("CREATE STREAM out (" + OUT_COLUMNS + ") WITH (shards = 4, partition_key = 'k')")
    con = fr.connect()
    try:
        cpu0 = fr.cpu_seconds()
        t0 = time.perf_counter()
        con.query(f"CREATE PUMP tw AS {sql}")
        row, done = None, False
        while time.perf_counter() - t0 < timeout:
            row = select_row(con, POLL)
            if row and int(row[0]) >= n and int(row[1]) == 0:
                done = True
                break
            time.sleep(0.1)
        dt, cpu = time.perf_counter() - t0, fr.cpu_seconds() - cpu0
        con.query("DROP PUMP tw")
        con.query("DROP STREAM out")
        return dt, cpu, row, done
    finally:
        con.close()


class PumpTumbling(Workload):
    name = "pump_tumbling"
    title = "Pump: tumbling 1 s window COUNT/SUM by key into a stream"
    description = ("Events (key among 10,000, a double) are already retained in a 4-shard stream; "
                   f"`CREATE PUMP tw AS {PUMP_ROWTIME}` (the event-time form `GROUP BY k, FLOOR(ev.ts TO SECOND)` "
                   "when the server accepts it) computes COUNT(*) and SUM(v) per key per 1-second window and "
                   "writes them to a 4-shard output stream, with its exactly-once checkpoints. Timed from "
                   "CREATE PUMP until sys.pumps (polled every 100 ms over one connection) shows rows_in = N "
                   "and lag_rows = 0; the per-core figure divides by the server's CPU seconds over that time. "
                   "Flink's figure is tumbling_window's Flink job over the same events (streaming mode, "
                   "parallelism 1, start-up subtracted).")
    order = 41
    metrics = EVENT_METRICS
    plot_metric = "events_per_core_s"
    plot_log = True

    def run(self, ctx, result):
        n = ctx.size(10_000_000, 50_000)
        keys, span = 10_000, ctx.size(100, 10)
        csv = data.events(n, keys, span)
        reps = ctx.repeats(3)
        result.params = {"events": n, "keys": keys, "event_time_span_s": span, "window": "1 s", "repeats": reps,
                         "source_shards": 4}
        label = "Freshet pump"
        fr = ctx.freshet()
        try:
            fr.create_table("ev", data.EVENT_COLUMNS, "k")
            t0 = time.perf_counter()
            fr.copy_in("ev", csv)
            result.params["freshet_ingest_s"] = time.perf_counter() - t0
            # The pump's query must be accepted as a continuous query first (probe the
            # event-time form, as tumbling_window does; else the ROWTIME form).
            event_time, reason = streaming.probe(fr, PUMP_EVENT_TIME.split(" ", 3)[3])
            sql = PUMP_EVENT_TIME if event_time else PUMP_ROWTIME
            if not event_time:
                result.notes.append(f"Windows over the event-time column were refused ({reason}); the pump "
                                    "windows over arrival time (ROWTIME) instead.")
            timeout = ctx.size(900, 60)
            runs = []
            for _ in range(ctx.warmups() + reps):
                runs.append(run_pump(fr, sql, n, timeout))
                if not runs[-1][3]:
                    break
            short = [r for r in runs if not r[3]]
            if short:
                row = short[0][2]
                result.incomplete(label, "freshet", f"sys.pumps showed {row} (rows_in, lag_rows, rows_out, "
                                  f"error_rows, state, last_error) after {timeout} s, not rows_in = {n:,} "
                                  "with lag_rows = 0", query=sql)
            else:
                runs = runs[ctx.warmups():]
                result.ok(label, "freshet", {"events_per_s": [n / t for t, _, _, _ in runs],
                                             "events_per_core_s": [n / c for _, c, _, _ in runs if c > 0] or [0],
                                             "seconds": [t for t, _, _, _ in runs]},
                          query=f"CREATE PUMP tw AS {sql}", rows_out=[int(r[2][2]) for r in runs],
                          error_rows=[int(r[2][3]) for r in runs], cpu_seconds=[c for _, c, _, _ in runs])
        finally:
            fr.stop()

        run_flink(ctx, result, "tumbling", csv, n, keys)
        result.ratio("pump events/s per core vs Flink", label, flink_label(), "events_per_core_s")


WORKLOAD = PumpTumbling
