"""One workload per file. A workload is a subclass of `base.Workload` named `WORKLOAD`
in its module; bench/run finds every module here and runs them in `order`."""
import importlib
import pkgutil


def discover():
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        w = getattr(mod, "WORKLOAD", None)
        if w is not None:
            found.append(w())
    return sorted(found, key=lambda w: (w.order, w.name))
