"""What Freshet and PostgreSQL have in common: psql access over loopback TCP."""
import os
import subprocess

from suite import procs


class Server:
    name = "server"
    label = "server"

    def __init__(self):
        self.env = None
        self.host = "127.0.0.1"
        self.port = None
        self.user = None
        self.database = None

    def _set_env(self):
        self.env = dict(os.environ, PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user,
                        PGDATABASE=self.database, PGCONNECT_TIMEOUT="20")

    def psql(self, sql, timeout=3600):
        """Run one statement (or psql meta-command) with psql; returns stdout; raises on error."""
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise PsqlError(self.name, sql, r.stderr.strip())
        return r.stdout

    def try_psql(self, sql, timeout=120):
        """Like psql, but returns (ok, stdout or error text) instead of raising."""
        try:
            return True, self.psql(sql, timeout=timeout)
        except PsqlError as e:
            return False, e.stderr
        except subprocess.TimeoutExpired:
            return False, f"no answer within {timeout} s"

    def copy_in(self, table, csv_path, chunk_rows=1_000_000):
        """COPY `table` FROM STDIN (csv) through psql, `chunk_rows` lines per statement (so
        a server that holds a COPY in memory until CopyDone is not asked for gigabytes)."""
        with open(csv_path, "rb") as f:
            while True:
                lines = f.readlines(chunk_rows * 48) if chunk_rows else f.readlines()
                if not lines:
                    return
                r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                    f"COPY {table} FROM STDIN WITH (FORMAT csv)"], env=self.env, input=b"".join(lines),
                                   capture_output=True)
                if r.returncode != 0:
                    raise PsqlError(self.name, f"COPY {table} FROM STDIN", r.stderr.decode(errors="replace").strip())

    def connect(self):
        from suite.pgwire import Connection
        return Connection(self.host, self.port, self.user, self.database)

    def tree_memory_kib(self):
        """(RSS, PSS) summed over the server process and all its children."""
        pids = procs.tree(self.pid)
        return sum(procs.rss_kib(p) for p in pids), sum(procs.pss_kib(p) for p in pids)

    def cpu_seconds(self):
        return sum(procs.cpu_seconds(p) for p in procs.tree(self.pid))


class PsqlError(Exception):
    def __init__(self, system, sql, stderr):
        self.system, self.sql, self.stderr = system, sql, stderr
        super().__init__(f"{system}: psql failed on {sql[:120]!r}: {stderr}")

    @property
    def unsupported(self):
        """True when the server refused the statement as not supported (yet)."""
        s = self.stderr.lower()
        return "not supported" in s or "unsupported" in s
