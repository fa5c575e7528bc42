"""Physical limit: loopback TCP throughput (one sender, one forked receiver, C)."""
from suite import procs
from workloads.physical_disk import parse
from workloads.base import Workload


class PhysicalTcp(Workload):
    name = "physical_tcp"
    title = "Physical limit: loopback TCP"
    description = "One process sends 256 KiB writes over a 127.0.0.1 TCP connection to a forked reader."
    order = 81
    metrics = {"gb_per_s": ("loopback TCP", "GB/s", True)}

    def run(self, ctx, result):
        exe = ctx.physbench()
        size = ctx.size(4 << 30, 64 << 20)
        result.params = {"bytes": size, "write_size": 256 << 10, "repeats": ctx.repeats(3)}
        xs = []
        for _ in range(ctx.repeats(3)):
            r = parse(procs.run([exe, "tcp", str(size)]).stdout)
            xs.append(r["bytes"] / r["seconds"] / 1e9)
        result.ok("loopback", "machine", {"gb_per_s": xs})
        result.absolute("loopback TCP", "loopback", "gb_per_s", target_text="earlier: ≈ 1.7 GB/s")


WORKLOAD = PhysicalTcp
