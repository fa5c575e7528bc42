"""End-to-end latency: a row INSERTed at 1,000 rows/s until it reaches a client reading
a live `COPY (SELECT STREAM …) TO STDOUT`; the INSERT acknowledgement latency of Freshet
and PostgreSQL at the same rate is measured alongside."""
import socket
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
                if reader and not reader.sync(fr, rep):
                    result.incomplete(e2e_label, "freshet", "the live client did not see a row within 30 s")
                    reader.finish(0)
                    supported, reader = False, None
                    reason = None
                acks.append(self._write(fr, rate, seconds, rep))
                if reader:
                    e2e.append(reader.finish(timeout=10))
            expected = rate * seconds
            if supported and not any(e2e):
                result.incomplete(e2e_label, "freshet", "no measured row reached the live client")
            elif supported:
                missing = sum(expected - len(x) for x in e2e)
                result.ok(e2e_label, "freshet", summarize([x for x in e2e if x]), rows_missing=missing)
                if missing:
                    result.notes.append(f"**{missing:,} of {expected * reps:,} rows never reached the live client** "
                                        f"(waited 10 s after the last INSERT); the percentiles are over the rows "
                                        f"that arrived.")
            elif reason:
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
        self.synced = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def sync(self, system, rep):
        """INSERTs marker rows (negative i) until the live query shows one: from then on
        it is surely reading, so no measured row is missed for starting late."""
        con = system.connect()
        try:
            for attempt in range(30):
                con.query(f"INSERT INTO lat VALUES ({-1 - rep * 100 - attempt}, 0)")
                if self.synced.wait(1.0):
                    return True
            return False
        finally:
            con.close()

    def _read(self):
        try:
            for row in self.con.copy_out_rows():
                now = time.monotonic_ns()
                i, sent = row.split(b"\t")
                if i.startswith(b"-"):
                    self.synced.set()
                    continue
                self.lat.append((now - int(sent)) / 1e6)
                if len(self.lat) >= self.expected:
                    return
        except Exception:
            return

    def finish(self, timeout):
        self.thread.join(timeout)
        try:
            self.con.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(5)
        self.con.sock.close()
        return list(self.lat)


def summarize(runs):
    out = {"p50_ms": [], "p99_ms": [], "max_ms": []}
    for lat in runs:
        s = sorted(lat)
        out["p50_ms"].append(percentile(s, 50))
        out["p99_ms"].append(percentile(s, 99))
        out["max_ms"].append(s[-1])
    return out


WORKLOAD = E2ELatency
