"""Processes the suite starts: every one is registered here by PID and stopped by PID
when the run ends (normally, on an exception, or on SIGINT/SIGTERM). Nothing is ever
stopped by name."""
import atexit
import os
import signal
import subprocess
import time

_stoppers = {}  # key -> callable that stops it


def register(key, stop):
    _stoppers[key] = stop


def unregister(key):
    _stoppers.pop(key, None)


def stop_all():
    for key, stop in list(_stoppers.items()):
        try:
            stop()
        except Exception as e:  # keep stopping the others
            print(f"bench: stopping {key} failed: {e}")
        _stoppers.pop(key, None)


def _on_signal(signum, frame):
    stop_all()
    raise SystemExit(128 + signum)


atexit.register(stop_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def kill_pid(pid, grace=30):
    """SIGTERM `pid`, wait up to `grace` seconds, then SIGKILL it."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + grace
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(cmd, check=True, **kw):
    """Run a command to completion, capturing its output (text); on failure the error
    carries the command's output."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


def _status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid):
    return _status_kib(pid, "VmRSS")


def hwm_kib(pid):
    """Peak RSS of the process so far."""
    return _status_kib(pid, "VmHWM")


def pss_kib(pid):
    """Proportional set size: shared pages divided among the processes sharing them, so
    PSS sums over a process tree without counting shared memory several times."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    """User + system CPU time consumed so far by `pid` (all its threads)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def tree(pid):
    """`pid` and all its descendants."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out
