"""End-to-end latency: a row INSERTed at 1,000 rows/s until it reaches a client reading
a live `COPY (SELECT STREAM …) TO STDOUT`; the INSERT acknowledgement latency of Freshet
and PostgreSQL at the same rate is measured alongside."""
import threading
import time

from suite import streaming
from suite.stats import percentile
from workloads.base import Workload

STREAM = "SELECT STREAM i, sent_ns FROM lat"


class E2ELatency(Workload):
    name = "e2e_latency"
    title = "End-to-end latency: INSERT → live COPY (SELECT STREAM) client"
    description = ("One connection INSERTs one row at a time at 1,000 rows/s (each row carries the monotonic "
                   "clock at which it was sent); another connection runs `COPY (SELECT STREAM i, sent_ns FROM lat) "
                   "TO STDOUT` and stamps each row as it arrives. Both clients are a minimal protocol client "
                   "in the suite (psql buffers its output). Absolute figures on this machine; no peer. The "
                   "INSERT acknowledgement latency (durable: fdatasync'ed) at the same rate is measured for "
                   "Freshet and PostgreSQL as context.")
    order = 60
    metrics = {"p50_ms": ("p50", "ms", False), "p99_ms": ("p99", "ms", False), "max_ms": ("max", "ms", False)}
    plot_metric = "p99_ms"

    def run(self, ctx, result):
        rate = 1000
        seconds = ctx.seconds(5, 1)
        reps = ctx.repeats(3)
        result.params = {"rows_per_s": rate, "seconds_per_run": seconds, "repeats": reps}
        cols = [("i", "BIGINT"), ("sent_ns", "BIGINT")]
        fr = ctx.freshet()
        e2e_label = "Freshet INSERT → SELECT STREAM client"
        try:
            fr.create_table("lat", cols, "i")
            supported, reason = streaming.probe(fr, STREAM)
            acks, e2e = [], []
            for rep in range(reps):
                reader = Reader(fr, rate * seconds) if supported else None
                acks.append(self._write(fr, rate, seconds, rep))
                if reader:
                    e2e.append(reader.finish(timeout=10))
            if supported:
                if any(len(x) < rate * seconds for x in e2e):
                    result.failed(e2e_label, "freshet", f"the live client got {min(len(x) for x in e2e)} of "
                                                        f"{rate * seconds} rows")
                else:
                    result.ok(e2e_label, "freshet", summarize(e2e))
            else:
                result.unsupported(e2e_label, "freshet", reason)
            result.ok("Freshet INSERT acknowledgement", "freshet", summarize(acks))
        finally:
            fr.stop()
        pg = ctx.postgres()
        try:
            pg.create_table("lat", cols)
            acks = [self._write(pg, rate, seconds, rep) for rep in range(reps)]
            result.ok(f"{pg.label} INSERT acknowledgement", "postgresql", summarize(acks))
        finally:
            pg.stop()
        result.absolute("end-to-end p99 (INSERT → live client)", e2e_label, "p99_ms", target=10, higher_is_better=False)

    def _write(self, system, rate, seconds, rep):
        """INSERTs rate*seconds rows on schedule; returns each acknowledgement latency (ms)."""
        con = system.connect()
        lat = []
        try:
            t0 = time.monotonic()
            for i in range(rate * seconds):
                delay = t0 + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                sent = time.monotonic_ns()
                con.query(f"INSERT INTO lat VALUES ({rep * 10_000_000 + i}, {sent})")
                lat.append((time.monotonic_ns() - sent) / 1e6)
        finally:
            con.close()
        return lat


class Reader:
    """A live COPY (SELECT STREAM …) client on its own thread, stamping rows on arrival."""

    def __init__(self, system, expected):
        self.expected = expected
        self.lat = []
        self.con = system.connect()
        self.con.send_query(f"COPY ({STREAM}) TO STDOUT")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        time.sleep(0.5)  # the query is reading from LATEST before the first INSERT

    def _read(self):
        try:
            for row in self.con.copy_out_rows():
                now = time.monotonic_ns()
                sent = int(row.split(b"\t")[1])
                self.lat.append((now - sent) / 1e6)
                if len(self.lat) >= self.expected:
                    return
        except Exception:
            return

    def finish(self, timeout):
        self.thread.join(timeout)
        self.con.close()
        return self.lat


def summarize(runs):
    out = {"p50_ms": [], "p99_ms": [], "max_ms": []}
    for lat in runs:
        s = sorted(lat)
        out["p50_ms"].append(percentile(s, 50))
        out["p99_ms"].append(percentile(s, 99))
        out["max_ms"].append(s[-1])
    return out


WORKLOAD = E2ELatency
