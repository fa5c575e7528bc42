"""The common interface of workloads and the shape of their results.

A workload sets `name` (command-line and JSON key), `title`, `description` (a paragraph
for the report), `order`, and `metrics` (key -> (label, unit, higher_is_better)), and
implements `run(ctx, result)`: start what it needs with `ctx.freshet()` /
`ctx.postgres()`, measure, and record one series per system or variant with
`result.ok(...)`, `result.unsupported(...)` or `result.skipped(...)`, then headline
figures with `result.ratio(...)` / `result.absolute(...)`. It stops what it started (in
a `finally`); the run also stops every registered process at exit."""
from suite.stats import fmt, summary


class Workload:
    name = ""
    title = ""
    description = ""
    order = 100
    metrics = {}
    plot_metric = None  # the metric drawn in the report's chart (default: the first)
    plot_log = False

    def run(self, ctx, result):
        raise NotImplementedError


class Result:
    def __init__(self, workload):
        self.workload = workload
        self.params = {}
        self.series = []
        self.headline = []
        self.notes = []
        self.charts = []  # extra charts: {"kind": "line", ...} (see suite/report.py)

    # --- series -------------------------------------------------------------------
    def ok(self, label, system, metrics, **extra):
        """A measured series: `metrics` maps a metric key to a list of samples (one per
        repetition) or to a single number."""
        out = {}
        for k, v in metrics.items():
            unit = self.workload.metrics.get(k, ("", ""))[1]
            out[k] = summary(v if isinstance(v, (list, tuple)) else [v], unit)
        self.series.append({"label": label, "system": system, "status": "ok", "metrics": out, "extra": extra})

    def unsupported(self, label, system, reason, **extra):
        """Freshet (or a peer) refuses what the workload needs: recorded, not a failure."""
        self.series.append({"label": label, "system": system, "status": "unsupported", "reason": reason,
                            "metrics": {}, "extra": extra})

    def skipped(self, label, system, reason):
        self.series.append({"label": label, "system": system, "status": "skipped", "reason": reason, "metrics": {}})

    def incomplete(self, label, system, reason, **extra):
        """The system ran but its output was not all there (e.g. a continuous query that
        stopped emitting): shown in the report, not a failure of the suite."""
        self.series.append({"label": label, "system": system, "status": "incomplete", "reason": reason,
                            "metrics": {}, "extra": extra})

    def failed(self, label, system, reason):
        self.series.append({"label": label, "system": system, "status": "error", "reason": reason, "metrics": {}})

    def get(self, label, metric):
        for s in self.series:
            if s["label"] == label and s["status"] == "ok" and metric in s["metrics"]:
                return s["metrics"][metric]["median"]
        return None

    # --- headline -----------------------------------------------------------------
    def ratio(self, what, label, peer_label, metric, target=None, higher_is_better=True):
        """Freshet / peer (or peer / Freshet when lower is better), measured in this run."""
        a, b = self.get(label, metric), self.get(peer_label, metric)
        entry = {"kind": "ratio", "what": what, "metric": metric, "label": label, "peer": peer_label, "unit": "×",
                 "freshet_value": a, "peer_value": b, "target": target,
                 "target_text": f"≥ {target:g}×" if target is not None else "", "value": None, "met": None}
        if a is not None and b:
            entry["value"] = a / b if higher_is_better else b / a
            if target is not None:
                entry["met"] = entry["value"] >= target
        else:
            entry["status"] = self._status_of(label)
        self.headline.append(entry)

    def absolute(self, what, label, metric, target=None, higher_is_better=True, target_text=""):
        v = self.get(label, metric)
        unit = self.workload.metrics.get(metric, ("", ""))[1]
        entry = {"kind": "absolute", "what": what, "metric": metric, "label": label, "unit": unit, "value": v, "target": target,
                 "target_text": target_text or (f"{'≥' if higher_is_better else '<'} {fmt(target, unit)}"
                                                if target is not None else ""), "met": None}
        if v is not None and target is not None:
            entry["met"] = v >= target if higher_is_better else v < target
        if v is None:
            entry["status"] = self._status_of(label)
        self.headline.append(entry)

    def _status_of(self, label):
        for s in self.series:
            if s["label"] == label:
                return s["status"]
        return "missing"

    def to_json(self):
        w = self.workload
        return {"title": w.title, "description": w.description, "params": self.params,
                "metrics": {k: {"label": v[0], "unit": v[1], "higher_is_better": v[2]} for k, v in w.metrics.items()},
                "plot_metric": w.plot_metric or next(iter(w.metrics), None), "plot_log": w.plot_log,
                "series": self.series, "headline": self.headline, "notes": self.notes, "charts": self.charts,
                "status": self.status()}

    def status(self):
        states = {s["status"] for s in self.series}
        if "error" in states:
            return "error"
        if "ok" in states:
            return "ok" if states <= {"ok", "skipped"} else "partial"
        if "incomplete" in states:
            return "partial"
        if "unsupported" in states:
            return "unsupported"
        return "empty"

    def has_numbers(self):
        return any(s["status"] == "ok" and s["metrics"] for s in self.series)
