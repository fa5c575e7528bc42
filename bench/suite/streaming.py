"""Driving a continuous query (`COPY (SELECT STREAM …) TO STDOUT`) over the protocol:
detect whether the server supports it, and consume its rows with timing."""
import socket
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


def consume(system, select_sql, expected_rows, timeout):
    """Runs the continuous query and reads rows until `expected_rows` have arrived (or
    `timeout`); returns (seconds, rows received, server CPU seconds used)."""
    con = system.connect()
    con.settimeout(timeout)
    cpu0 = system.cpu_seconds()
    t0 = time.perf_counter()
    n = 0
    try:
        con.send_query(f"COPY ({select_sql}) TO STDOUT")
        for _ in con.copy_out_rows():
            n += 1
            if n >= expected_rows or time.perf_counter() - t0 > timeout:
                break
    except socket.timeout:
        pass
    finally:
        dt = time.perf_counter() - t0
        cpu = system.cpu_seconds() - cpu0
        con.close()
    return dt, n, cpu
