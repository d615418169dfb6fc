"""How fast are the explorers and the lesson series? Writes ``benchmarks/results/explorers.md``.

Run from the repository root::

    python benchmarks/bench_explorers.py                 # explorers + every notebook
    python benchmarks/bench_explorers.py --explorers     # only the explorers
    python benchmarks/bench_explorers.py --notebooks     # only the notebooks

1. **Explorers.** Every :class:`specmask_edu.widgets.Explorer` subclass is built from the bundled clips
   (``from_example()``, about 5 s at 16 kHz) and driven through its controls: each step changes one
   control to its next value (menus cycle through their options, sliders through 7 positions from min
   to max). One pass over all settings warms caches (first draws, matplotlib's text layout) and is
   reported separately as "first pass" (its maximum counts for the "never above" target too); the
   following passes are timed. The time of one update is split
   as the explorer records it: ``compute`` (mask, inverse STFT, metrics), ``draw`` (Agg, blitting),
   ``encode`` (the JPEG frame) and ``players`` (the WAV/HTML of the player table).
   Targets (design.md): median of compute + draw < 50 ms, never above 150 ms.
2. **Series.** Every ``notebooks/*.ipynb`` is executed in a fresh kernel with nbclient, after one
   warm-up run of the first notebook (disk caches, compiled code). For each: wall time, CPU time of the
   kernel and its peak memory (max RSS), read inside the kernel by an appended cell.
   Targets: 00-06 under 60 s after warm-up, peak memory under 1 GB.

Speed targets are checked here, not in the test suite (tests assert correctness, not wall-clock time).
The machine's load is recorded with the results: on a shared machine, wall times can be several times
the CPU times.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread: the explorers' only BLAS calls are dot products of 1-D signals, which a multithreaded
# OpenBLAS spreads over threads that, on a loaded shared machine, wait for a free core (4-8 ms for a
# 0.01 ms product). Set OPENBLAS_NUM_THREADS yourself to measure another setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "explorers.md"
TARGET_MEDIAN_MS = 50.0
TARGET_MAX_MS = 150.0
SLIDER_STEPS = 7


def settings_for(explorer):
    """A list of single-parameter changes that walks every control through its range."""
    import numpy as np

    values = {}
    for name, control in explorer.controls.items():
        options = getattr(control, "options", None)
        if options is not None:
            values[name] = [o[1] if isinstance(o, tuple) else o for o in options]
        elif isinstance(control.value, bool):          # a checkbox (mute/solo on the mixing console)
            values[name] = [False, True]
        else:
            grid = np.linspace(control.min, control.max, SLIDER_STEPS)
            step = getattr(control, "step", None) or 0
            if step:
                grid = np.round(grid / step) * step
            values[name] = [type(control.value)(v) for v in grid]
    steps = []
    longest = max(len(v) for v in values.values())
    for i in range(longest):
        for name, vals in values.items():
            steps.append({name: vals[(i + 1) % len(vals)]})
    return steps


def explorer_classes():
    from specmask_edu import widgets

    # the explorers the package exports, in the order of the lessons (widgets.__all__)
    classes = [getattr(widgets, name) for name in widgets.__all__]
    return [cls for cls in classes if inspect.isclass(cls) and issubclass(cls, widgets.Explorer)
            and cls is not widgets.Explorer]


def _build_without_from_example(cls):
    """Bundled-clip inputs for explorers that have no ``from_example()`` (by their constructor's arguments)."""
    import specmask_edu as sm

    params = list(inspect.signature(cls.__init__).parameters)[1:]
    if params[:1] == ["stems"]:
        return cls(sm.load_band(include_mixture=False))
    if params[:2] == ["harmonic", "percussive"]:
        band = sm.load_band(include_mixture=False)
        return cls(band["bass"] + band["chords"] + band["melody"], band["drums"])
    if params[:2] == ["estimates", "reference"]:
        mix = sm.load_mixture("speech_female_1", "babble", snr_db=0.0)
        estimates = {name: sm.oracle_separate(mix["target"], mix["interference"], name) for name in ("irm", "iam")}
        return cls(estimates, mix["target"])
    raise TypeError(f"do not know how to build {cls.__name__}{inspect.signature(cls.__init__)}; add from_example()")


def bench_explorers(passes: int = 3):
    import matplotlib.pyplot as plt

    rows = []
    for cls in explorer_classes():
        t0 = time.perf_counter()
        try:
            explorer = cls.from_example() if hasattr(cls, "from_example") else _build_without_from_example(cls)
        except Exception as err:  # noqa: BLE001 - reported in the table
            rows.append({"name": cls.__name__, "error": f"could not build: {err}"})
            continue
        init_s = time.perf_counter() - t0
        steps = settings_for(explorer)
        figures_before = len(plt.get_fignums())
        first = []
        for params in steps:
            explorer.update(**params)
            first.append(dict(explorer.last_timing))
        timings = []
        for _ in range(passes):
            for params in steps:
                explorer.update(**params)
                timings.append(dict(explorer.last_timing))
        assert len(plt.get_fignums()) == figures_before, "figures piled up"
        cd = [1000 * (t["compute"] + t["draw"]) for t in timings]
        cpu = [1000 * t["cpu_compute_draw"] for t in timings]
        row = {
            "name": cls.__name__,
            "init_s": init_s,
            "updates": len(timings),
            "median_cd": statistics.median(cd),
            "p90_cd": sorted(cd)[int(0.9 * (len(cd) - 1))],
            "max_cd": max(cd),
            "first_max_cd": max(1000 * (t["compute"] + t["draw"]) for t in first),
            "median_cpu": statistics.median(cpu),
            "max_cpu": max(cpu),
        }
        for key in ("compute", "draw", "encode", "players", "total"):
            row[f"median_{key}"] = statistics.median(1000 * t.get(key, float("nan")) for t in timings)
        row["max_total"] = max(1000 * t["total"] for t in timings)
        slowest = max(zip(cd, steps * passes), key=lambda p: p[0])
        row["slowest_step"] = slowest[1]
        rows.append(row)
        print(f"{cls.__name__:>24}: median compute+draw {row['median_cd']:6.1f} ms (CPU {row['median_cpu']:5.1f}), "
              f"max {row['max_cd']:6.1f} ms, median total {row['median_total']:6.1f} ms", flush=True)
        plt.close("all")
    return rows


# Peak memory of the kernel: VmHWM (the high-water mark of this process's memory since it started)
# on Linux; ru_maxrss elsewhere. (On Linux ru_maxrss survives exec, so a kernel started by a big
# process would report its parent's peak.)
STATS_CELL = """
import json as _json, resource as _resource, time as _time
try:
    _peak = [int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
except OSError:
    _peak = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024
print("BENCH" + _json.dumps({"cpu_s": _time.process_time(), "maxrss_mb": _peak}))
"""


def run_notebook(path):
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(new_code_cell(STATS_CELL))
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "SPECMASK_INSTRUCTOR")}
    # a fresh, empty working folder: anything in it (or in /tmp) named like a package would be imported
    with tempfile.TemporaryDirectory(prefix="specmask_bench_") as workdir:
        client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": workdir}})
        t0 = time.perf_counter()
        client.execute(env=env)
        wall = time.perf_counter() - t0
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    stats = json.loads(text.split("BENCH", 1)[1])
    return {"name": path.name, "wall_s": wall, **stats}


def bench_notebooks():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print("warm-up run:", notebooks[0].name, flush=True)
    run_notebook(notebooks[0])
    rows = []
    for path in notebooks:
        row = run_notebook(path)
        rows.append(row)
        print(f"{row['name']:>36}: {row['wall_s']:6.1f} s wall, {row['cpu_s']:6.1f} s CPU (kernel), "
              f"peak {row['maxrss_mb']:6.0f} MB", flush=True)
    return rows


def machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    import matplotlib
    import numpy

    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the end; "
            f"NumPy {numpy.__version__}, matplotlib {matplotlib.__version__}; "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")


def _previous_section(heading):
    """The section starting with ``heading`` in the existing results file (kept when only the other part runs)."""
    if not RESULTS.exists():
        return []
    text = RESULTS.read_text()
    if heading not in text:
        return []
    section = text[text.index(heading):]
    end = section.find("\n## ", 1)
    return (section if end < 0 else section[:end + 1]).rstrip("\n").split("\n") + [""]


EXPLORER_HEADING = "## Explorers: one update"
LESSON_HEADING = "## Lessons: Restart & Run All"


def write_markdown(explorer_rows, notebook_rows):
    stamp = f"{time.strftime('%Y-%m-%d %H:%M')}; machine: {machine()}."
    lines = ["# Explorer and lesson benchmarks", "",
             "Written by `benchmarks/bench_explorers.py`; each section says when and where it was measured.", ""]
    if not explorer_rows:
        lines += _previous_section(EXPLORER_HEADING)
    else:
        lines += ["## Explorers: one update (bundled clips, about 4-5 s at 16 kHz, n_fft 512, hop 128)", "",
                  f"Measured {stamp}", "",
                  f"Target: median compute + draw < {TARGET_MEDIAN_MS:.0f} ms, never above {TARGET_MAX_MS:.0f} ms. "
                  "Times in ms; *first pass* is the first pass over all settings (first draws of each "
                  "artist, caches of matplotlib), reported separately; the other columns are the timed passes.", "",
                  "Wall-clock times suffer from other processes on a shared machine; the *CPU* columns are the "
                  "process CPU time of compute + draw, which is what an otherwise idle laptop would take.", "",
                  "| explorer | updates | median compute | median draw | **median compute+draw** | p90 | max | "
                  "max (first pass) | median CPU compute+draw | max CPU | median encode | median players | "
                  "median total | init (s) | slowest change |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in explorer_rows:
            if "error" in r:
                lines.append(f"| {r['name']} | {r['error']} |" + " |" * 13)
                continue
            ok = r["median_cd"] < TARGET_MEDIAN_MS and max(r["max_cd"], r["first_max_cd"]) < TARGET_MAX_MS
            mark = "" if ok else " ⚠"
            lines.append(
                f"| {r['name']} | {r['updates']} | {r['median_compute']:.1f} | {r['median_draw']:.1f} | "
                f"**{r['median_cd']:.1f}**{mark} | {r['p90_cd']:.1f} | {r['max_cd']:.1f} | {r['first_max_cd']:.0f} | "
                f"{r['median_cpu']:.1f} | {r['max_cpu']:.1f} | "
                f"{r['median_encode']:.1f} | {r['median_players']:.1f} | {r['median_total']:.1f} | "
                f"{r['init_s']:.2f} | `{r['slowest_step']}` |")
        timed = [r for r in explorer_rows if "error" not in r]
        missed = [r["name"] for r in timed if not (r["median_cd"] < TARGET_MEDIAN_MS
                                                   and max(r["max_cd"], r["first_max_cd"]) < TARGET_MAX_MS)]
        worst = max(max(r["max_cd"], r["first_max_cd"]) for r in timed) if timed else float("nan")
        lines += ["", (f"Targets **met** by all {len(timed)} explorers" if not missed and len(timed) == len(explorer_rows)
                       else f"Targets **NOT met** by: {', '.join(missed) or 'explorers that failed'}")
                  + f"; slowest single update of any explorer, first pass included: {worst:.0f} ms."]
        lines.append("")
    if not notebook_rows:
        lines += _previous_section(LESSON_HEADING)
    else:
        total_wall = sum(r["wall_s"] for r in notebook_rows)
        total_cpu = sum(r["cpu_s"] for r in notebook_rows)
        core = [r for r in notebook_rows if r["name"][:2] <= "06"]
        lines += ["## Lessons: Restart & Run All in a fresh kernel (after one warm-up run)", "",
                  f"Measured {stamp}", "",
                  "Wall time includes starting the kernel (about 1-2 s); kernel CPU is the work done inside it.", "",
                  "Target: 00-06 together under 60 s, each well under 15 s; peak memory under 1 GB.", "",
                  "| notebook | wall (s) | kernel CPU (s) | peak memory (MB) |", "|---|---:|---:|---:|"]
        for r in notebook_rows:
            lines.append(f"| {r['name']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['maxrss_mb']:.0f} |")
        lines += [f"| **00-06 total** | **{sum(r['wall_s'] for r in core):.1f}** | "
                  f"**{sum(r['cpu_s'] for r in core):.1f}** | max {max(r['maxrss_mb'] for r in core):.0f} |",
                  f"| all notebooks | {total_wall:.1f} | {total_cpu:.1f} | "
                  f"max {max(r['maxrss_mb'] for r in notebook_rows):.0f} |", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("wrote", RESULTS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explorers", action="store_true", help="only benchmark the explorers")
    parser.add_argument("--notebooks", action="store_true", help="only run the notebooks")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over each explorer's settings")
    args = parser.parse_args(argv)
    both = not (args.explorers or args.notebooks)
    explorer_rows = bench_explorers(args.passes) if (both or args.explorers) else []
    notebook_rows = bench_notebooks() if (both or args.notebooks) else []
    write_markdown(explorer_rows, notebook_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
