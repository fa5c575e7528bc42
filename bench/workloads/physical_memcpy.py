"""Physical limit: memcpy bandwidth of one core (C)."""
from suite import procs
from workloads.physical_disk import parse
from workloads.base import Workload


class PhysicalMemcpy(Workload):
    name = "physical_memcpy"
    title = "Physical limit: memcpy, one core"
    description = "memcpy between two 256 MiB buffers (far larger than the caches), bytes copied per second."
    order = 82
    metrics = {"gb_per_s": ("memcpy", "GB/s", True)}

    def run(self, ctx, result):
        exe = ctx.physbench()
        size = ctx.size(256 << 20, 16 << 20)
        rounds = ctx.size(20, 4)
        result.params = {"buffer_bytes": size, "rounds": rounds, "repeats": ctx.repeats(3)}
        xs = []
        for _ in range(ctx.repeats(3)):
            r = parse(procs.run([exe, "memcpy", str(size), str(rounds)]).stdout)
            xs.append(r["bytes"] / r["seconds"] / 1e9)
        result.ok("one core", "machine", {"gb_per_s": xs})
        result.absolute("memcpy, one core", "one core", "gb_per_s", target_text="earlier: ≈ 11 GB/s")


WORKLOAD = PhysicalMemcpy
