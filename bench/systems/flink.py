"""Apache Flink SQL (PyPI `apache-flink`, local mini-cluster, streaming mode,
parallelism 1), run as a subprocess of its own virtual environment
(~/.cache/freshet-bench/flink-venv; `bench/run --with-flink` creates it: about 400 MB
of wheels with the Flink jars; Java 11 or 17 must be installed). Each job is a fresh
JVM; the job's net runtime (Flink's own figure) minus that of the same job over a tiny
input leaves the processing time."""
import json
import os
import subprocess
import sys

VENV = os.path.join(os.path.expanduser("~"), ".cache", "freshet-bench", "flink-venv")
JOB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flink_job.py")
VERSION = "2.3.0"


def python(install=False):
    """The venv's python if Flink is installed (installing it when asked), else None."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.exists(py) and subprocess.run([py, "-c", "import pyflink"], capture_output=True).returncode == 0:
        return py
    if not install:
        return None
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", f"apache-flink=={VERSION}"], check=True)
    return py


class Flink:
    name = "flink"

    def __init__(self, py):
        self.py = py
        self.label = f"Flink {VERSION} SQL, parallelism 1"

    def run(self, mode, csv, timeout=1800):
        """{"setup_s", "job_s", "net_runtime_s"} of one job over `csv`."""
        r = subprocess.run([self.py, JOB, mode, csv], capture_output=True, text=True, timeout=timeout)
        for line in reversed(r.stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"flink job {mode} failed (exit {r.returncode}): {(r.stderr or r.stdout)[-1500:]}")
