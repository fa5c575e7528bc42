"""What the numbers were measured on: cores, memory, disk, kernel, load."""
import os
import platform
import subprocess


def _read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def loadavg():
    return [float(x) for x in _read("/proc/loadavg", "0 0 0").split()[:3]]


def _disk_of(path):
    """Block device, file system and mount options of the file system holding `path`."""
    try:
        out = subprocess.run(["findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", "-T", path],
                             capture_output=True, text=True, check=True).stdout.split()
        source, fstype, options = out[0], out[1], out[2]
    except Exception:
        return {"path": path}
    dev = os.path.basename(source)
    sys_block = f"/sys/block/{dev}"
    info = {"path": path, "device": source, "fs": fstype, "mount_options": options}
    if os.path.isdir(sys_block):
        info["size_gib"] = round(int(_read(f"{sys_block}/size", "0")) * 512 / 2**30, 1)
        vendor = _read(f"{sys_block}/device/vendor")
        if vendor == "0x1af4" or dev.startswith("vd"):
            info["model"] = "virtio block device"  # its rotational flag says nothing about the host's disk
        else:
            info["model"] = _read(f"{sys_block}/device/model") or vendor
            info["rotational"] = _read(f"{sys_block}/queue/rotational") == "1"
        info["scheduler"] = _read(f"{sys_block}/queue/scheduler")
    return info


def describe(data_path):
    cpu_model = ""
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(mem_kib / 2**20, 1),
        "kernel": platform.release(),
        "os": _read("/etc/debian_version") and f"Debian {_read('/etc/debian_version')}" or platform.platform(),
        "python": platform.python_version(),
        "disk": _disk_of(data_path),
    }
