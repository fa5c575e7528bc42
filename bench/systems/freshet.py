"""Freshet: `freshet serve` on a free loopback port with a fresh data directory."""
import os
import re
import signal
import subprocess
import time

from suite import procs
from systems.server import Server

GROUP_COMMIT = re.compile(r"group commit: (\d+) rounds, (\d+) fsyncs, (\d+) batches, (\d+) records, "
                          r"fsyncs per batch ([0-9.]+)")


class Freshet(Server):
    name = "freshet"
    label = "Freshet"

    def __init__(self, binary, work):
        super().__init__()
        self.binary = binary
        self.work = work
        self.user = self.database = "freshet"
        self.proc = None
        self.log_path = None
        self.log_text = ""

    def start(self):
        os.makedirs(self.work, exist_ok=True)
        data = os.path.join(self.work, "freshet-data")
        self.log_path = os.path.join(self.work, "freshet.log")
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.binary, "serve", "--data-dir", data, "--host", self.host, "--port", "0", "--http-port", "0",
                                      "--log-level", "notice"], stdout=log, stderr=log)
        log.close()
        self.pid = self.proc.pid
        procs.register(f"freshet:{self.pid}", self.stop)
        deadline = time.time() + 60
        while self.port is None:
            with open(self.log_path) as f:
                m = re.search(r"listening on [0-9.]+:([0-9]+)", f.read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise RuntimeError("freshet exited at start: " + open(self.log_path).read()[-2000:])
            elif time.time() > deadline:
                raise RuntimeError("freshet did not announce its port within 60 s")
            else:
                time.sleep(0.05)
        self._set_env()
        return self

    def stop(self):
        """SIGTERM (graceful: the server logs its group-commit counters), wait, read the log."""
        if self.proc is None:
            return self.log_text
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        procs.unregister(f"freshet:{self.pid}")
        self.proc = None
        with open(self.log_path) as f:
            self.log_text = f.read()
        return self.log_text

    def group_commit(self):
        """The counters of the server's last 'group commit:' log line (after stop())."""
        m = None
        for m in GROUP_COMMIT.finditer(self.log_text):
            pass
        if not m:
            return None
        rounds, fsyncs, batches, records, per = m.groups()
        return {"rounds": int(rounds), "fsyncs": int(fsyncs), "batches": int(batches), "records": int(records),
                "fsyncs_per_batch": float(per)}

    def version(self):
        return {"binary": self.binary, "build": "debug" if "/debug/" in self.binary else "release"}

    def create_table(self, name, columns, key, watermark=None):
        """A stream with 4 shards partitioned on `key`; `columns` is a list of (name, SQL type).
        `watermark`: (TIMESTAMP column, delay in seconds) declares the column the stream's
        event time (`WATERMARK FOR col AS col - INTERVAL 'delay' SECOND`), so windows over
        it close on the watermark."""
        cols = ", ".join(f"{c} {t}" for c, t in columns)
        if watermark:
            col, delay = watermark
            cols += f", WATERMARK FOR {col} AS {col} - INTERVAL '{delay}' SECOND"
        self.psql(f"CREATE STREAM {name} ({cols}) WITH (shards = 4, partition_key = '{key}')")
