"""Small durable writes: pgbench's prepared one-row INSERT from 8 clients, against
Freshet and PostgreSQL with synchronous_commit on."""
import os
import re

from suite import procs
from suite.stats import percentile
from workloads.base import Workload

SCRIPT = "\\set id random(1, 1000000)\nINSERT INTO pgb VALUES (:id, 'name', 1.5);\n"


class PgbenchInsert(Workload):
    name = "pgbench_insert"
    title = "Small durable writes: pgbench one-row INSERT"
    description = ("`pgbench -n -M prepared -c 8 -j 2 -T S` with a one-row INSERT script "
                   "(`INSERT INTO pgb VALUES (:id, 'name', 1.5)`), each transaction acknowledged only when "
                   "durable: Freshet's group commit shares fdatasyncs between the 8 sessions; PostgreSQL 15 "
                   "runs with fsync and synchronous_commit on. Latency percentiles come from pgbench's "
                   "per-transaction log. Runs alternate between the systems after a warm-up run each.")
    order = 20
    metrics = {"tps": ("TPS", "tx/s", True), "p50_ms": ("p50 latency", "ms", False),
               "p99_ms": ("p99 latency", "ms", False),
               "fsyncs_per_batch": ("fsyncs per acknowledged batch", "fsyncs", False)}

    def run(self, ctx, result):
        seconds = ctx.seconds(10, 2)
        result.params = {"clients": 8, "threads": 2, "seconds": seconds, "repeats": ctx.repeats(3),
                         "warmups": ctx.warmups(), "freshet_shards": 4}
        fr = ctx.freshet()
        pg = ctx.postgres()
        work = ctx.scratch("pgbench")
        script = os.path.join(work, "insert.sql")
        with open(script, "w") as f:
            f.write(SCRIPT)
        cols = [("id", "INTEGER"), ("name", "VARCHAR(32)"), ("v", "DOUBLE")]
        fr.create_table("pgb", cols, "id")
        pg.create_table("pgb", cols)
        samples = {fr.label: [], pg.label: []}
        group_commit = None
        try:
            n = 0
            for rep in range(ctx.warmups() + ctx.repeats(3)):
                for system in (fr, pg):
                    n += 1
                    m = self._pgbench(system, script, seconds, work, f"run{n}")
                    if rep >= ctx.warmups():
                        samples[system.label].append(m)
        finally:
            fr.stop()
            pg.stop()
            group_commit = fr.group_commit()
        for system in (fr, pg):
            s = samples[system.label]
            extra = {"transactions": sum(x["transactions"] for x in s)}
            metrics = {k: [x[k] for x in s] for k in ("tps", "p50_ms", "p99_ms")}
            if system is fr and group_commit:
                extra["group_commit"] = group_commit
                metrics["fsyncs_per_batch"] = group_commit["fsyncs_per_batch"]
            result.ok(system.label, system.name, metrics, **extra)
        if group_commit:
            result.notes.append(
                f"Freshet group commit over the whole workload (warm-up and repetitions, as logged by the server at "
                f"SIGTERM): {group_commit['fsyncs']:,} fsyncs for {group_commit['batches']:,} acknowledged batches "
                f"({group_commit['records']:,} records, {group_commit['rounds']:,} rounds): "
                f"**{group_commit['fsyncs_per_batch']:.3f} fsyncs per acknowledged batch**.")
        else:
            result.notes.append("Freshet's log had no 'group commit:' line at shutdown.")
        result.ratio("pgbench TPS vs PostgreSQL", fr.label, pg.label, "tps", target=2.0)
        result.ratio("pgbench p99 latency (PostgreSQL / Freshet)", fr.label, pg.label, "p99_ms", higher_is_better=False)
        result.absolute("fsyncs per acknowledged batch (pgbench, group commit)", fr.label, "fsyncs_per_batch",
                        higher_is_better=False, target_text="< 1 shares fsyncs")

    def _pgbench(self, system, script, seconds, work, tag):
        prefix = os.path.join(work, f"{tag}-{system.name}")
        out = procs.run(["pgbench", "-n", "-M", "prepared", "-c", "8", "-j", "2", "-T", str(seconds), "-f", script,
                         "-l", "--log-prefix", prefix], env=system.env, cwd=work, timeout=seconds * 4 + 120).stdout
        m = re.search(r"tps = ([0-9.]+)", out)
        failed = re.search(r"number of failed transactions: (\d+)", out)
        if not m:
            raise RuntimeError(f"pgbench against {system.name} printed no tps:\n{out}")
        if failed and int(failed.group(1)) > 0:
            raise RuntimeError(f"pgbench against {system.name}: {failed.group(1)} failed transactions")
        lat = []
        for fn in os.listdir(work):
            if fn.startswith(os.path.basename(prefix) + "."):
                with open(os.path.join(work, fn)) as f:
                    lat += [int(line.split()[2]) for line in f if line.strip()]
                os.unlink(os.path.join(work, fn))
        lat.sort()
        if not lat:
            raise RuntimeError(f"pgbench against {system.name} logged no transactions")
        return {"tps": float(m.group(1)), "p50_ms": percentile(lat, 50) / 1000, "p99_ms": percentile(lat, 99) / 1000,
                "transactions": len(lat)}


WORKLOAD = PgbenchInsert
