"""The run's context, handed to every workload: sizes (full or --quick), repetitions,
the Freshet binary, a scratch directory, helpers to start systems with fresh data
directories, and the results of measurements."""
import os
import shutil
import tempfile
import time

from suite import machine


class Context:
    def __init__(self, quick, binary, root, work_parent=None, flink_python=None, repeats=None, seconds=None, scale=None):
        self.quick = quick
        self.binary = binary
        self.root = root
        self.flink_python = flink_python
        self._repeats = repeats
        self._seconds = seconds
        self.scale = scale
        self.work = tempfile.mkdtemp(prefix="freshet-bench.", dir=work_parent)
        os.chmod(self.work, 0o755)
        self._n = 0
        self.tools = {}

    def size(self, full, quick):
        """A size: `full` normally (times --scale), `quick` with --quick."""
        if self.quick:
            return quick
        return max(1, int(full * self.scale)) if self.scale else full

    def repeats(self, full=3):
        """Measured repetitions (after one unmeasured warm-up, see warmups())."""
        return self._repeats or (1 if self.quick else full)

    def warmups(self):
        return 0 if self.quick else 1

    def seconds(self, full, quick=2):
        return self._seconds or (quick if self.quick else full)

    def scratch(self, name):
        """A fresh directory for one system or tool, removed with the run."""
        self._n += 1
        d = os.path.join(self.work, f"{self._n:02d}-{name}")
        os.makedirs(d)
        os.chmod(d, 0o755)
        return d

    def freshet(self):
        from systems.freshet import Freshet
        return Freshet(self.binary, self.scratch("freshet")).start()

    def postgres(self, **settings):
        from systems.postgres import Postgres
        return Postgres(self.scratch("postgres"), settings).start()

    def physbench(self):
        """The C helper of the physical-limit workloads, compiled once per run."""
        if "physbench" not in self.tools:
            out = os.path.join(self.work, "physbench")
            src = os.path.join(self.root, "bench", "c", "physbench.c")
            import subprocess
            subprocess.run(["cc", "-O2", "-o", out, src], check=True)
            self.tools["physbench"] = out
        return self.tools["physbench"]

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def load(self):
        return machine.loadavg()


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out
