"""Summaries of repeated measurements: median and spread, never a single number alone."""
import math
import statistics


def summary(samples, unit=""):
    """Median, min, max and relative spread ((max - min) / median) of `samples`."""
    xs = [float(x) for x in samples]
    if not xs:
        raise ValueError("no samples")
    med = statistics.median(xs)
    return {
        "median": med,
        "min": min(xs),
        "max": max(xs),
        "spread_pct": (max(xs) - min(xs)) / med * 100 if med else 0.0,
        "n": len(xs),
        "samples": xs,
        "unit": unit,
    }


def percentile(sorted_xs, p):
    """The p-th percentile (0..100) of an already sorted list, nearest rank."""
    if not sorted_xs:
        return float("nan")
    k = min(len(sorted_xs) - 1, max(0, math.ceil(p / 100 * len(sorted_xs)) - 1))
    return sorted_xs[k]


def fmt(v, unit=""):
    """A number for people: 1.23 M, 12,345, 123, 12.3, 1.23 (with its unit)."""
    if v is None:
        return "—"
    a = abs(v)
    if unit == "×":
        s = f"{v:.2f}×"
        return s
    if a >= 1e6:
        s = f"{v / 1e6:.2f} M"
    elif a >= 100:
        s = f"{v:,.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    elif a >= 0.01 or a == 0:
        s = f"{v:.2f}"
    else:
        s = f"{v:.2g}"
    return f"{s} {unit}".strip() if unit else s
