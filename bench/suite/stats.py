"""Summaries of repeated measurements: median and spread, never a single number alone."""
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
    k = min(len(sorted_xs) - 1, max(0, int(round(p / 100 * len(sorted_xs) + 0.5)) - 1))
    return sorted_xs[k]
