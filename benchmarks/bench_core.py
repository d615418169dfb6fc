"""Core benchmark: the oracle-mask table and the package's import and demo timings.

Writes benchmarks/results/core.md (linked from the README) and benchmarks/results/demo.png (the demo
figure shown in the README). Run:  python benchmarks/bench_core.py

What it measures
- SI-SDR improvement of every mask (the source article's random real and random complex masks, and the
  oracle IBM, IRM, Wiener, IAM, PSM, raw PSM, cIRM) on bundled speech + noise at -5, 0 and 5 dB input SNR.
- Time of `import specmask_edu` in a fresh interpreter (target < 0.5 s), best and median of 7.
- The demo (`specmask-edu demo`): first use in a fresh process and warm (second call), seconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SNRS = (-5.0, 0.0, 5.0)
SPEECH = ("speech_female_1", "speech_male_1", "speech_scottish_1")
NOISES = ("babble", "pink_noise", "hum")


def oracle_table():
    import specmask_edu as sm
    from specmask_edu.separation import oracle_improvements

    per_pair = {}
    for speech in SPEECH:
        for noise in NOISES:
            per_pair[(speech, noise)] = oracle_improvements(sm.load_example(speech), sm.load_example(noise), SNRS)
    names = list(next(iter(per_pair.values())))
    mean = {m: {snr: float(np.mean([t[m][snr] for t in per_pair.values()])) for snr in SNRS} for m in names}
    by_noise = {
        noise: {m: float(np.mean([per_pair[(s, noise)][m][0.0] for s in SPEECH])) for m in names} for noise in NOISES
    }
    return mean, by_noise


def import_times(repeats=7):
    code = "import time; t = time.perf_counter(); import specmask_edu; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
             for _ in range(repeats)]
    return min(times), statistics.median(times)


def demo_times(tmp):
    code = (
        "import time, json, matplotlib; matplotlib.use('Agg'); t0 = time.perf_counter(); "
        "from specmask_edu.cli import run_demo; "
        f"run_demo({str(tmp / 'first')!r}); t1 = time.perf_counter(); "
        f"run_demo({str(tmp / 'warm')!r}); t2 = time.perf_counter(); "
        "print(json.dumps([t1 - t0, t2 - t1]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    import tempfile

    RESULTS.mkdir(parents=True, exist_ok=True)
    mean, by_noise = oracle_table()
    best_import, median_import = import_times()
    with tempfile.TemporaryDirectory() as tmp:
        first, warm = demo_times(Path(tmp))
    from specmask_edu.cli import run_demo

    import shutil
    import matplotlib

    matplotlib.use("Agg")
    with tempfile.TemporaryDirectory() as tmp:
        result = run_demo(tmp)
        shutil.copy(result["figure"], RESULTS / "demo.png")

    from specmask_edu.metrics import DB_LIMIT

    def cell(v):
        return f"{v:.2f}" if v < DB_LIMIT - 10 else f"≥ {DB_LIMIT - 10:.0f} (exact)"

    lines = [
        "# Core benchmark",
        "",
        f"Written by `benchmarks/bench_core.py` on {time.strftime('%Y-%m-%d')} "
        f"(Python {sys.version.split()[0]}, 2 CPU cores). STFT: n_fft 512, hop 128, Hann, 16 kHz.",
        "",
        "## Oracle masks: SI-SDR improvement (dB)",
        "",
        f"Mean over {len(SPEECH)} bundled voices ({', '.join(SPEECH)}) × {len(NOISES)} noises "
        f"({', '.join(NOISES)}). Random masks use seed 0.",
        "",
        "| mask | " + " | ".join(f"{s:+.0f} dB input" for s in SNRS) + " |",
        "|---|" + "---:|" * len(SNRS),
    ]
    for name, row in mean.items():
        lines.append(f"| {name} | " + " | ".join(cell(row[s]) for s in SNRS) + " |")
    lines += [
        "",
        "The cIRM gives the target back exactly (metrics are capped at "
        f"{DB_LIMIT:.0f} dB SI-SDR; the rest is rounding error).",
        "",
        "### At 0 dB, per noise (mean over voices)",
        "",
        "| mask | " + " | ".join(NOISES) + " |",
        "|---|" + "---:|" * len(NOISES),
    ]
    for name in mean:
        lines.append(f"| {name} | " + " | ".join(cell(by_noise[n][name]) for n in NOISES) + " |")
    facts = {
        "random masks give no improvement (< 0.5 dB at every SNR)":
            all(mean[m][s] < 0.5 for m in ("random_real", "random_complex") for s in SNRS),
        "every oracle mask improves by more than 5 dB at every SNR":
            all(mean[m][s] > 5 for m in mean if not m.startswith("random") for s in SNRS),
        "raw PSM above IRM at every SNR": all(mean["psm_raw"][s] > mean["irm"][s] for s in SNRS),
    }
    lines += ["", "### Checks", ""] + [f"- [{'x' if ok else ' '}] {text}" for text, ok in facts.items()]
    lines += [
        "",
        "## Timings (seconds; shared, noisy machine)",
        "",
        "| what | seconds | target |",
        "|---|---:|---|",
        f"| `import specmask_edu` (best of 7 fresh interpreters) | {best_import:.3f} | < 0.5 |",
        f"| `import specmask_edu` (median of 7) | {median_import:.3f} | < 0.5 |",
        f"| demo, first use in a fresh process (imports, numba cache, STFTs, metrics, figure) | {first:.2f} | |",
        f"| demo, warm (second call) | {warm:.2f} | |",
        "",
        "![demo figure](demo.png)",
        "",
    ]
    (RESULTS / "core.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if not all(facts.values()):
        raise SystemExit("a check failed: see the table above")


if __name__ == "__main__":
    main()
