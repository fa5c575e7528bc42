"""Deterministic input data, generated once per (kind, size, seed) and cached under
~/.cache/freshet-bench/data (the same arguments always give the same bytes)."""
import os
import random

GENERATOR_VERSION = 2
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "freshet-bench", "data")
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]

# Columns of each data set, as (name, SQL type); systems map DOUBLE to their spelling.
INGEST_COLUMNS = [("user_id", "VARCHAR(32)"), ("url", "VARCHAR(128)"), ("latency", "DOUBLE"), ("note", "TEXT")]
EVENT_COLUMNS = [("k", "VARCHAR(16)"), ("ts", "TIMESTAMP"), ("sec", "BIGINT"), ("v", "DOUBLE")]
EVENT_EPOCH = 1704067200  # 2024-01-01 00:00:00 UTC, the first event's second


def _path(kind, n, seed, extra=""):
    os.makedirs(CACHE, exist_ok=True)
    return os.path.join(CACHE, f"{kind}-v{GENERATOR_VERSION}-{n}-{seed}{extra}.csv")


def ingest_rows(n, seed=42):
    """CSV of `n` rows of about 100 bytes: a user key, a URL path, a latency, a sentence."""
    path = _path("ingest", n, seed)
    if os.path.exists(path):
        return path
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for start in range(0, n, 100_000):
            lines = []
            for i in range(start, min(n, start + 100_000)):
                lines.append(f"user-{rnd.randrange(100000):06d},/{rnd.choice(WORDS)}/{rnd.choice(WORDS)}/{i},"
                             f"{rnd.random() * 1000:.3f},{' '.join(rnd.choices(WORDS, k=10))}\n")
            f.write("".join(lines))
    os.replace(tmp, path)
    return path


def events(n, keys=10_000, span_s=100, seed=7):
    """CSV of `n` events k, ts, sec, v over `keys` keys: ts (millisecond precision) rises
    evenly from 2024-01-01 00:00:00 over `span_s` seconds, in file order (so a watermark
    on ts drops nothing); sec is ts's epoch second (for engines without time buckets)."""
    path = _path("events", n, seed, f"-{keys}k-{span_s}s")
    if os.path.exists(path):
        return path
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    step_ms = span_s * 1000 / n
    keynames = [f"k{i:05d}" for i in range(keys)]
    with open(tmp, "w") as f:
        for start in range(0, n, 100_000):
            lines = []
            for i in range(start, min(n, start + 100_000)):
                ms = int(i * step_ms)
                s, milli = divmod(ms, 1000)
                h, rem = divmod(s, 3600)
                m, sec = divmod(rem, 60)
                lines.append(f"{keynames[rnd.randrange(keys)]},2024-01-01 {h:02d}:{m:02d}:{sec:02d}.{milli:03d},"
                             f"{EVENT_EPOCH + s},{rnd.random() * 100:.3f}\n")
            f.write("".join(lines))
    os.replace(tmp, path)
    return path
