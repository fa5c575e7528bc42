"""Driving a continuous query (`COPY (SELECT STREAM …) TO STDOUT`) over the protocol:
detect whether the server supports it, and consume its rows with timing."""
import socket
import threading
import time

from suite.pgwire import ServerError


def probe(system, select_sql, wait=2.0):
    """(True, None) if the server accepts the continuous query (no error within `wait`
    seconds: a live query blocks), else (False, the server's message with SQLSTATE)."""
    con = system.connect()
    try:
        con.send_query(f"COPY ({select_sql}) TO STDOUT")
        con.settimeout(wait)
        while True:
            t, payload = con.read_message()
            if t == b"E":
                err = ServerError(con._fields(payload))
                return False, f"{err.message} (SQLSTATE {err.sqlstate})"
            if t in (b"H", b"d"):  # CopyOutResponse / CopyData: it runs
                return True, None
            if t == b"Z":
                return False, "the query ended at once instead of streaming"
    except socket.timeout:
        return True, None
    finally:
        con.close()


def consume(system, select_sql, expected_rows, timeout=600):
    """Runs the continuous query and reads rows until `expected_rows` have arrived or
    `timeout` seconds passed; returns (seconds to the last row received, rows received,
    server CPU seconds used up to then)."""
    con = system.connect()
    con.settimeout(timeout)
    cpu0 = system.cpu_seconds()
    t0 = time.perf_counter()
    n, t_last, cpu_last = 0, t0, cpu0
    try:
        con.send_query(f"COPY ({select_sql}) TO STDOUT")
        for _ in con.copy_out_rows():
            n += 1
            t_last = time.perf_counter()
            if n % 1000 == 0 or n == expected_rows:
                cpu_last = system.cpu_seconds()
            if n >= expected_rows or t_last - t0 > timeout:
                break
    except socket.timeout:
        pass
    finally:
        con.close()
    if cpu_last == cpu0:
        cpu_last = system.cpu_seconds()
    return t_last - t0, n, cpu_last - cpu0


class Background:
    """A continuous query kept running on its own connection (rows discarded) while the
    workload measures something else, e.g. memory with a window open."""

    def __init__(self, system, select_sql):
        self.rows = 0
        self.error = None
        self.con = system.connect()
        self.con.send_query(f"COPY ({select_sql}) TO STDOUT")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for _ in self.con.copy_out_rows():
                self.rows += 1
        except Exception as e:
            self.error = e

    def stop(self):
        try:
            self.con.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(5)
        self.con.sock.close()
