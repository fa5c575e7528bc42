"""docs/benchmarks.md and its PNG charts, generated from one results JSON."""
import os
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from suite.stats import fmt  # noqa: E402

FRESHET_COLOR = "#1f77b4"
PEER_COLOR = "#9e9e9e"
MACHINE_COLOR = "#6a9f58"


def _color(system):
    return FRESHET_COLOR if system == "freshet" else MACHINE_COLOR if system == "machine" else PEER_COLOR


def _bar_chart(w, path):
    metric = w["plot_metric"]
    meta = w["metrics"][metric]
    rows = [s for s in w["series"] if s["status"] == "ok" and metric in s["metrics"]]
    others = [s for s in w["series"] if s["status"] != "ok"]
    if not rows:
        return False
    labels = [s["label"] for s in rows] + [s["label"] for s in others]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(labels) + 1.4), dpi=110)
    y = list(range(len(labels)))[::-1]
    med = [s["metrics"][metric]["median"] for s in rows]
    lo = [m - s["metrics"][metric]["min"] for m, s in zip(med, rows)]
    hi = [s["metrics"][metric]["max"] - m for m, s in zip(med, rows)]
    ax.barh(y[:len(rows)], med, xerr=[lo, hi], color=[_color(s["system"]) for s in rows], capsize=3, height=0.6)
    top = max(s["metrics"][metric]["max"] for s in rows)
    if w["plot_log"] and min(med) > 0:
        ax.set_xscale("log")
        ax.set_xlim(min(med) / 3, top * 40)
    else:
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: "0" if v == 0 else fmt(v)))
    for yy, m, s in zip(y, med, rows):
        end = s["metrics"][metric]["max"]  # right of the error bar
        ax.text(end * 1.12 if w["plot_log"] else end + top * 0.02, yy, fmt(m, meta["unit"]), va="center", fontsize=9)
    left = ax.get_xlim()[0] if not w["plot_log"] else ax.get_xlim()[0] * 1.1
    for yy, s in zip(y[len(rows):], others):
        ax.text(left, yy, f"  {s['status']}", va="center", fontsize=9, color="#b03030", style="italic")
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_yticks(y)
    ax.set_yticklabels([textwrap.fill(x, 40) for x in labels], fontsize=9)
    better = "higher is better" if meta["higher_is_better"] else "lower is better"
    ax.set_xlabel(f"{meta['label']} ({meta['unit']}; median, bars: min–max; {better})", fontsize=9)
    ax.set_title(w["title"], fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _line_chart(chart, path):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
    for i, line in enumerate(chart["lines"]):
        xs = [p[0] for p in line["points"]]
        ys = [p[1] for p in line["points"]]
        ax.plot(xs, ys, marker="o", markersize=3, label=line["label"],
                color=FRESHET_COLOR if line["label"].startswith("Freshet") else ["#7f7f7f", "#c7a04a", "#b05050"][i % 3])
    ax.set_xlabel(chart["x_label"])
    ax.set_ylabel(chart["y_label"])
    ax.set_title(chart["title"], fontsize=11)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: "0" if v == 0 else fmt(v)))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _headline_chart(entries, path):
    """Freshet / peer for every ratio headline, on a log scale centred on parity."""
    rows = [h for h in entries if h.get("kind") == "ratio"]
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(rows) + 1.6), dpi=110)
    y = list(range(len(rows)))[::-1]
    known = [h["value"] for h in rows if h["value"]] + [h["target"] for h in rows if h["target"]] + [1]
    lo, hi = min(known) / 3, max(known) * 4
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    for yy, h in zip(y, rows):
        if h["value"] is None:
            ax.text(lo * 1.15, yy, h.get("status", "missing"), va="center", fontsize=9, style="italic", color="#b03030")
            continue
        color = "#2e8b57" if h["met"] else "#d0604a" if h["met"] is False else FRESHET_COLOR
        ax.barh(yy, h["value"] - lo, left=lo, color=color, height=0.6)
        ax.text(h["value"] * 1.08, yy, f"{h['value']:.2f}×", va="center", fontsize=9)
    for yy, h in zip(y, rows):
        if h["target"]:
            ax.plot([h["target"]] * 2, [yy - 0.38, yy + 0.38], color="black", linewidth=2.5)
    ax.axvline(1, color="#555555", linestyle="--", linewidth=1)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks(y)
    ax.set_yticklabels([textwrap.fill(h["what"], 46) for h in rows], fontsize=8.5)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_xlabel("Freshet ÷ peer, same run (right of the dashed line: Freshet better; black tick: target; "
                  "green met, red missed)", fontsize=8.5)
    ax.set_title("Freshet vs peers, measured together", fontsize=11)
    ax.grid(axis="x", alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _status(h):
    if h["value"] is None:
        return h.get("status", "missing")
    if h["met"] is None:
        return ""
    return "✅ met" if h["met"] else "❌ missed"


def write(results, md_path, img_dir, json_rel):
    os.makedirs(img_dir, exist_ok=True)
    rel = lambda p: os.path.relpath(p, os.path.dirname(md_path))  # noqa: E731
    m = results["machine"]
    disk = m.get("disk", {})
    ws = results["workloads"]
    L = []
    L.append("# Benchmarks\n")
    L.append(f"Generated by `bench/run{' --quick' if results.get('quick') else ''}` on {results['date']} from commit "
             f"`{results['commit']}`{' (with uncommitted changes)' if results.get('dirty') else ''}, Freshet "
             f"{results['freshet']['build']} build. Do not edit by hand: rerun the suite (see "
             f"[Running the suite](#running-the-suite)). Raw numbers: [`{os.path.basename(json_rel)}`]({json_rel}).\n")
    upd = results.get("updated_from")
    if upd:
        L.append(f"> **Updated run.** The workloads {', '.join(f'`{n}`' for n in upd['rerun'])} were rerun on "
                 f"{results['date']} from commit `{results['commit']}`; the others are kept from `{upd['file']}` "
                 f"(written {upd['date']}), which may itself merge several runs — each workload's section names "
                 f"its own commit, date and load.\n")
    if results.get("quick"):
        L.append("> **Quick run** (CI sizes, one repetition): these numbers only show that the suite works.\n")
    L.append(f"> **Noise.** This machine has {m['cores']} cores shared with other work (other engineers building "
             f"Swift during the run): load average {results['load_start'][0]:.2f} at the start, "
             f"{results['load_end'][0]:.2f} at the end (per workload below). Every system ran in the same "
             f"conditions, interleaved where a workload repeats, so the ratios are fairer than the absolute "
             f"figures; the spread (min–max over the repetitions) shows how noisy each figure was.\n")

    L.append("## At a glance\n")
    heads = [(name, h) for name, w in ws.items() for h in w["headline"]]
    if _headline_chart([h for _, h in heads], os.path.join(img_dir, "headline.png")):
        L.append(f"![Freshet relative to its peers]({rel(os.path.join(img_dir, 'headline.png'))})\n")
    L.append("| workload | figure | measured | peer, same run | result | target | status |")
    L.append("|---|---|---|---|---|---|---|")
    for name, h in heads:
        unit = ws[name]["metrics"].get(h["metric"], {}).get("unit", "")
        if h.get("kind") == "ratio":
            peer = f"{fmt(h.get('peer_value'), unit)} ({h['peer']})"
            fv = fmt(h.get("freshet_value"), unit)
        else:
            peer, fv = "—", fmt(h["value"], unit)
        L.append(f"| [{name}](#{name.replace('_', '-')}) | {h['what']} | {fv} | {peer} | {fmt(h['value'], h['unit'])} "
                 f"| {h['target_text']} | {_status(h)} |")
    L.append("")
    unsupported = [(name, s) for name, w in ws.items() for s in w["series"] if s["status"] in ("unsupported", "error", "incomplete",
                                                                                               "skipped")]
    if unsupported:
        L.append("Not measured in this run:\n")
        for name, s in unsupported:
            L.append(f"- **{name}** — {s['label']}: *{s['status']}*: {s.get('reason', '')}")
        L.append("")

    analysis = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "bench",
                            "analysis.md")
    if os.path.exists(analysis) and not results.get("quick"):
        with open(analysis) as f:
            L.append(f.read().rstrip() + "\n")
        L.append("*(The section above is kept by hand in `bench/analysis.md`; it is about the run it names, "
                 "which may be older than this page's numbers.)*\n")

    L.append("## Machine\n")
    L.append("| | |\n|---|---|")
    L.append(f"| CPU | {m['cores']} × {m.get('cpu_model', '?')} |")
    L.append(f"| memory | {m['memory_gib']} GiB |")
    rot = {True: ", rotational", False: ", non-rotational"}.get(disk.get("rotational"), "")
    L.append(f"| data disk | {disk.get('device', '?')} ({disk.get('model', '')}, {disk.get('size_gib', '?')} GiB{rot}), "
             f"{disk.get('fs', '?')} `{disk.get('mount_options', '')}` (systems' data directories under "
             f"`{disk.get('path', '?')}`) |")
    L.append(f"| kernel | Linux {m['kernel']} ({m.get('os', '')}) |")
    fr = results["freshet"]
    L.append(f"| Freshet | {fr['build']} build" + (f" of commit `{fr['commit']}`{' with uncommitted changes' if fr.get('dirty') else ''}"
                                                   if fr.get("commit") else "") + " |")
    L.append("")

    for name, w in ws.items():
        L.append(f"<a id=\"{name.replace('_', '-')}\"></a>\n")
        L.append(f"## {w['title']}\n")
        L.append(f"`{name}` — {w['description']}\n")
        if w["params"]:
            L.append("Parameters: " + ", ".join(f"{k} = {fmt(v) if isinstance(v, float) else f'{v:,}' if isinstance(v, int) else v}"
                                                 for k, v in w["params"].items()) +
                     f". Wall time {w['wall_seconds']} s; load average {w['load_start'][0]:.2f} → {w['load_end'][0]:.2f}"
                     + (f"; run on {w['date']} from commit `{w['commit']}`" if upd and w.get("commit") else "") + ".\n")
        metrics = list(w["metrics"].items())
        used = [k for k, _ in metrics if any(k in s["metrics"] for s in w["series"])]
        L.append("| system | " + " | ".join(f"{w['metrics'][k]['label']} ({w['metrics'][k]['unit']})" for k in used)
                 + " |")
        L.append("|---|" + "---|" * len(used))
        for s in w["series"]:
            if s["status"] == "ok":
                cells = []
                for k in used:
                    x = s["metrics"].get(k)
                    if x is None:
                        cells.append("")
                    elif x["n"] > 1:
                        cells.append(f"**{fmt(x['median'])}** ({fmt(x['min'])}–{fmt(x['max'])})")
                    else:
                        cells.append(f"**{fmt(x['median'])}**")
                L.append(f"| {s['label']} | " + " | ".join(cells) + " |")
            else:
                L.append(f"| {s['label']} | *{s['status']}*: {s.get('reason', '')} " + "| " * (len(used) - 1) + "|")
        n = max([x["n"] for s in w["series"] for x in s["metrics"].values()] + [0])
        if n > 1:
            L.append(f"\nMedians of {n} repetitions, (min–max) in brackets.")
        L.append("")
        img = os.path.join(img_dir, f"{name}.png")
        if _bar_chart(w, img):
            L.append(f"![{w['title']}]({rel(img)})\n")
        for i, chart in enumerate(w.get("charts", [])):
            img = os.path.join(img_dir, f"{name}-{i + 1}.png")
            _line_chart(chart, img)
            L.append(f"![{chart['title']}]({rel(img)})\n")
        for note in w["notes"]:
            L.append(f"{note}\n")

    L.append(RUNNING)
    with open(md_path, "w") as f:
        f.write("\n".join(L))
    return md_path


RUNNING = """## Running the suite

```sh
bench/run                      # build release, run every workload, write bench/results/<date>-<commit>.json and this page
bench/run copy_ingest memory_rss   # some workloads (results file gets a -partial suffix)
bench/run --quick --binary .build/debug/freshet   # what CI runs (scripts/test): small sizes, checks it works, not speed
bench/run --with-flink         # install PyPI apache-flink (~400 MB, needs Java 17) into ~/.cache/freshet-bench first
bench/run --report-only bench/results/<file>.json   # regenerate this page from a results file
bench/run --update bench/results/<full>.json copy_ingest   # rerun some workloads, merge them into a full run's results
bench/run --list
```

PostgreSQL comes from Debian's packages (`scripts/test` installs `postgresql` and
`postgresql-contrib` for pgbench); matplotlib and duckdb are installed from PyPI when
missing; Flink runs when its virtual environment exists (`--with-flink` makes it;
`--no-flink` skips it). Every system listens on 127.0.0.1 with a fresh data directory
under a temporary directory; generated data is cached in `~/.cache/freshet-bench/data`
(deterministic: a fixed seed per data set). Every process the suite starts is stopped by
its PID when the workload ends, also on errors and Ctrl-C.

### Adding a workload

One file in `bench/workloads/`: a subclass of `workloads.base.Workload` assigned to
`WORKLOAD`, with `name`, `title`, `description`, `order`, `metrics` (key → label,
unit, higher-is-better) and `run(ctx, result)`. `ctx.freshet()` / `ctx.postgres()` start
servers (call `.stop()` in a `finally`), `ctx.size(full, quick)` and `ctx.repeats()`
give sizes, `suite.data` makes data; record each system with `result.ok(label, system,
{metric: samples})` or `result.unsupported(label, system, reason)` and the headline
with `result.ratio(...)` / `result.absolute(...)`. The report picks it up.
"""
