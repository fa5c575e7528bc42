"""PostgreSQL (Debian's packages): a throwaway cluster made by initdb, run as the
postgres user on a free loopback port, durable settings (fsync and synchronous_commit on)."""
import os
import shutil
import socket
import time

from suite import procs
from systems.server import Server

SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "on",
    "synchronous_commit": "on",
    "max_wal_size": "4GB",  # no forced checkpoints in the middle of a 100 MB COPY
    "max_connections": "50",
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def bindir():
    versions = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
    return f"/usr/lib/postgresql/{versions[-1]}/bin"


class Postgres(Server):
    name = "postgresql"

    def __init__(self, work, settings=None):
        super().__init__()
        self.work = work
        self.bin = bindir()
        self.major = os.path.basename(os.path.dirname(self.bin))
        self.label = f"PostgreSQL {self.major}"
        self.settings = dict(SETTINGS, **(settings or {}))
        self.user = self.database = "postgres"
        self.data = os.path.join(work, "pgdata")
        self.pid = None

    def _as_postgres(self, *args):
        if os.getuid() == 0:
            return procs.run(["runuser", "-u", "postgres", "--", *args])
        return procs.run(list(args))

    def start(self):
        os.makedirs(self.data, exist_ok=True)
        if os.getuid() == 0:
            for d in (self.work, self.data):
                shutil.chown(d, "postgres")
            os.chmod(self.work, 0o755)
        self._as_postgres(f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--no-sync")
        self.port = free_port()
        opts = f"-p {self.port} -k {self.work} " + " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.work, "postgres.log"),
                          "-o", opts, "-w", "-t", "60", "start")
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        procs.register(f"postgres:{self.pid}", self.stop)
        self._set_env()
        return self

    def stop(self):
        if self.pid is None:
            return
        try:
            self._as_postgres(f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")
        except Exception:
            procs.kill_pid(self.pid)
        deadline = time.time() + 30
        while time.time() < deadline and os.path.exists(f"/proc/{self.pid}"):
            time.sleep(0.05)
        procs.unregister(f"postgres:{self.pid}")
        self.pid = None

    def version(self):
        return {"version": self.psql("SHOW server_version").strip(), "settings": self.settings}

    def create_table(self, name, columns, key=None, unlogged=False):
        cols = ", ".join(f"{c} {'DOUBLE PRECISION' if t == 'DOUBLE' else t}" for c, t in columns)
        self.psql(f"CREATE {'UNLOGGED ' if unlogged else ''}TABLE {name} ({cols})")
