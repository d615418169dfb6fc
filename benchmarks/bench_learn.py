"""Benchmark of lesson 07 (learning masks): training time, peak memory and held-out quality.

Run from the repository root (needs the [learn] extra)::

    python benchmarks/bench_learn.py            # the two lesson models + the variants, ~8 min on 2 cores
    python benchmarks/bench_learn.py --lesson   # only the two models notebook 07 trains

Each model is trained in its own subprocess (so its time and peak memory are its own) with the
notebook's default settings (``TrainConfig()``, 2 CPU threads), then evaluated on the held-out split
(unseen sentences, an unseen voice, unseen noise; see ``specmask_edu/learn/data.py``) at -5, 0 and 5 dB
input SNR next to the oracle IRM, PSM, cIRM and bounded cIRM. The variants change one thing each (loss,
architecture, mask kind, input features) to back the statements made in the notebook. Results go to ``benchmarks/results/learn.md``.

Targets (from the issue): the default configuration trains in at most 120 s on 2 CPU cores; the learned
real mask reaches at least 70 % of the oracle IRM's SI-SDR improvement at 0 dB; peak memory below 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmark this working tree, whatever copy is installed
RESULTS = ROOT / "benchmarks" / "results" / "learn.md"
TIME_LIMIT_S = 120.0
MEMORY_LIMIT_MB = 1536.0
SHARE_TARGET = 0.70
SNRS = (-5.0, 0.0, 5.0)
ORACLES = ("irm", "psm", "cirm", "cirm_bounded")
ORACLE_NAMES = ("oracle IRM", "oracle PSM", "oracle cIRM", "oracle bounded cIRM")

# name -> (ModelConfig settings, TrainConfig settings, role). The first two are what notebook 07 trains.
MODELS = {
    "learned PSM (MLP)": ({"mask": "psm"}, {}, "lesson: real mask"),
    "learned bounded cIRM (MLP)": ({"mask": "cirm_bounded"}, {}, "lesson: complex mask"),
    "learned PSM (GRU)": ({"arch": "gru", "mask": "psm", "hidden": 128, "layers": 1}, {}, "variant: recurrent network"),
    "learned bounded cIRM (GRU)": ({"arch": "gru", "mask": "cirm_bounded", "hidden": 128, "layers": 1}, {},
                                   "variant: recurrent network"),
    "learned PSM (MLP, SA)": ({"mask": "psm"}, {"loss": "signal"}, "variant: energy-ratio SA loss"),
    "learned IRM (MLP, MA)": ({"mask": "irm"}, {"loss": "mask"}, "variant: mask approximation"),
    "learned cIRM (MLP, MA)": ({"mask": "cirm"}, {"loss": "mask"}, "variant: compressed cIRM, mask approximation"),
    "learned cIRM (MLP)": ({"mask": "cirm"}, {}, "variant: compressed cIRM, SDR loss"),
    "learned bounded cIRM (MLP, +phase input)": ({"mask": "cirm_bounded", "features": "logmag+phase"}, {},
                                                 "variant: phase features"),
}


def run_one(name: str, out: Path) -> None:
    """Train and evaluate one model (runs in a subprocess)."""
    import torch

    from specmask_edu import learn

    model_settings, train_settings, role = MODELS[name]
    threads = learn.set_threads(2)
    load_before = os.getloadavg()[0]
    model = learn.build_model(learn.ModelConfig(**model_settings), seed=0)
    config = learn.TrainConfig(num_threads=threads, **train_settings)
    t0 = time.perf_counter()
    result = learn.train(model, config, progress=False, plot=False)
    train_seconds = time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    peak_train_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    evaluations = {}
    t1 = time.perf_counter()
    for snr in SNRS:
        ev = learn.evaluate({name: model}, snr_db=snr, oracles=ORACLES, with_stoi=(snr == 0.0))
        evaluations[str(snr)] = {"table": ev.table(), "by_noise": ev.table(by="noise"),
                                 "by_speech": ev.table(by="speech")}
    eval_seconds = time.perf_counter() - t1
    record = {
        "name": name, "role": role, "model": model.config.to_dict(), "train": config.to_dict(),
        "parameters": model.n_parameters, "steps": result.steps_done, "train_seconds": train_seconds,
        "eval_seconds": eval_seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "peak_rss_train_mb": peak_train_mb, "threads": threads, "torch": torch.__version__,
        "load_before": load_before, "load_after": load_after,
        "final_train_loss": result.history["train_loss"][-1], "final_heldout_loss": result.history["heldout_loss"][-1],
        "evaluations": evaluations,
    }
    out.write_text(json.dumps(record, indent=1))


def _fmt(x, digits=2):
    return f"{x:.{digits}f}"


def write_report(records: list[dict]) -> str:
    lines = ["# Lesson 07 — learning masks: benchmark", ""]
    r0 = records[0]
    lines += [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores visible, PyTorch {r0['torch']} with "
        f"{r0['threads']} threads, Python {platform.python_version()}. Written by `benchmarks/bench_learn.py` "
        f"on {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "Each model: `TrainConfig()` defaults (the full lesson, not the `SPECMASK_FAST` test setting), trained in "
        "its own process; held-out split = unseen sentences, an unseen voice (Scottish), unseen noise "
        "(`babble_heldout`, last 30 % of the synthetic noises); every held-out speech clip × every noise "
        "type (20 mixtures per SNR). SI-SDRi in dB (mean), STOI at 0 dB (mean; the mixture's own STOI is the "
        "first row). The machine is shared: the 1-minute load average during training is listed, and a "
        "load above 2 (more runnable processes than cores) makes the times longer than on an idle laptop.",
        "",
        "## Training cost",
        "",
        "| model | role | parameters | steps | train time (s) | peak memory (MB) | load avg before/after |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in records:
        lines.append(f"| {r['name']} | {r['role']} | {r['parameters']:,} | {r['steps']} | {_fmt(r['train_seconds'], 1)} | "
                     f"{_fmt(r['peak_rss_mb'], 0)} | {_fmt(r['load_before'], 1)} / {_fmt(r['load_after'], 1)} |")
    lesson = [r for r in records if r["role"].startswith("lesson")]
    total = sum(r["train_seconds"] for r in lesson)
    lines += ["", f"Both lesson models together: {_fmt(total, 1)} s of training.", ""]

    # quality at 0 dB
    oracle_rows = records[0]["evaluations"]["0.0"]["table"]
    lines += ["## Held-out quality at 0 dB input SNR", "",
              "| method | SI-SDRi (dB) | STOI | " + " | ".join(f"share of {k}" for k in ORACLE_NAMES) + " |",
              "|---|---:|---:|" + "---:|" * len(ORACLE_NAMES)]
    ref = {k: oracle_rows[k]["SI-SDRi"] for k in ORACLE_NAMES}
    mix = oracle_rows["mixture"]
    blank = " |" * len(ORACLE_NAMES)
    lines.append(f"| mixture (no processing) | {_fmt(mix['SI-SDRi'])} | {_fmt(mix['STOI'], 3)} |{blank}")
    for r in records:
        row = r["evaluations"]["0.0"]["table"][r["name"]]
        lines.append(f"| {r['name']} | {_fmt(row['SI-SDRi'])} | {_fmt(row['STOI'], 3)} | "
                     + " | ".join(f"{_fmt(100 * row['SI-SDRi'] / ref[k], 0)} %" for k in ORACLE_NAMES) + " |")
    for k in ORACLE_NAMES:
        lines.append(f"| {k} | {_fmt(oracle_rows[k]['SI-SDRi'])} | {_fmt(oracle_rows[k]['STOI'], 3)} |{blank}")

    # by noise
    noises = [k for k in records[0]["evaluations"]["0.0"]["by_noise"]["mixture"]]
    lines += ["", "### SI-SDRi (dB) by noise type, 0 dB", "",
              "| method | " + " | ".join(noises) + " |", "|---|" + "---:|" * len(noises)]
    for r in records:
        row = r["evaluations"]["0.0"]["by_noise"][r["name"]]
        lines.append(f"| {r['name']} | " + " | ".join(_fmt(row[n]) for n in noises) + " |")
    for k in ORACLE_NAMES:
        row = records[0]["evaluations"]["0.0"]["by_noise"][k]
        lines.append(f"| {k} | " + " | ".join(_fmt(row[n]) for n in noises) + " |")

    # by speech (seen voice / unseen voice)
    speakers = list(records[0]["evaluations"]["0.0"]["by_speech"]["mixture"])
    lines += ["", "### SI-SDRi (dB) by held-out speech clip, 0 dB (`scottish` = a voice never trained on)", "",
              "| method | " + " | ".join(speakers) + " |", "|---|" + "---:|" * len(speakers)]
    for r in records:
        row = r["evaluations"]["0.0"]["by_speech"][r["name"]]
        lines.append(f"| {r['name']} | " + " | ".join(_fmt(row[n]) for n in speakers) + " |")
    row = records[0]["evaluations"]["0.0"]["by_speech"]["oracle IRM"]
    lines.append("| oracle IRM | " + " | ".join(_fmt(row[n]) for n in speakers) + " |")

    # other SNRs
    lines += ["", "### SI-SDRi (dB) at other input SNRs", "",
              "| method | " + " | ".join(f"{s:g} dB" for s in SNRS) + " |", "|---|" + "---:|" * len(SNRS)]
    for r in records:
        lines.append(f"| {r['name']} | " + " | ".join(
            _fmt(r["evaluations"][str(s)]["table"][r["name"]]["SI-SDRi"]) for s in SNRS) + " |")
    for k in ORACLE_NAMES:
        lines.append(f"| {k} | " + " | ".join(
            _fmt(records[0]["evaluations"][str(s)]["table"][k]["SI-SDRi"]) for s in SNRS) + " |")

    # targets
    real = next(r for r in records if r["role"] == "lesson: real mask")
    cplx = next(r for r in records if r["role"] == "lesson: complex mask")
    share = real["evaluations"]["0.0"]["table"][real["name"]]["SI-SDRi"] / ref["oracle IRM"]
    cshare = {k: cplx["evaluations"]["0.0"]["table"][cplx["name"]]["SI-SDRi"] / v for k, v in ref.items()}
    peak = max(r["peak_rss_mb"] for r in records)
    slowest = max(r["train_seconds"] for r in lesson)

    def mark(ok):
        return "met" if ok else "NOT met"

    lines += [
        "", "## Targets", "",
        f"- Training time of the default configuration ≤ {TIME_LIMIT_S:.0f} s on 2 cores: slowest lesson model "
        f"{_fmt(slowest, 1)} s — **{mark(slowest <= TIME_LIMIT_S)}** (both lesson models together: {_fmt(total, 1)} s).",
        f"- Learned real mask ≥ {SHARE_TARGET:.0%} of the oracle IRM's SI-SDRi at 0 dB: {real['name']} reaches "
        f"{share:.1%} — **{mark(share >= SHARE_TARGET)}**.",
        f"- Learned complex mask ({cplx['name']}): {cshare['oracle IRM']:.1%} of the oracle IRM, "
        f"{cshare['oracle PSM']:.1%} of the oracle PSM, {cshare['oracle cIRM']:.1%} of the oracle cIRM and "
        f"{cshare['oracle bounded cIRM']:.1%} of the oracle bounded cIRM (reported, "
        "no target). The oracle cIRM is S/Y itself, so it rebuilds the target almost exactly; a mask estimated "
        "from the mixture's magnitude cannot know the phase rotation each bin needs (see notebook 07, "
        "\"Why the learned complex mask stays far from the oracle cIRM\").",
        f"- Peak memory < {MEMORY_LIMIT_MB:.0f} MB: largest {_fmt(peak, 0)} MB (peak RSS of the training + "
        f"evaluation process) — **{mark(peak < MEMORY_LIMIT_MB)}**.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", action="store_true", help="only the two models notebook 07 trains")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, Path(args.out))
        return 0
    names = [n for n, (_, _, role) in MODELS.items() if role.startswith("lesson") or not args.lesson]
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            out = Path(tmp) / "result.json"
            print(f"training {name} ...", flush=True)
            subprocess.run([sys.executable, __file__, "--one", name, "--out", str(out)], check=True, cwd=ROOT)
            record = json.loads(out.read_text())
            print(f"  {record['train_seconds']:.1f} s, SI-SDRi at 0 dB "
                  f"{record['evaluations']['0.0']['table'][name]['SI-SDRi']:.2f} dB, "
                  f"peak {record['peak_rss_mb']:.0f} MB", flush=True)
            records.append(record)
    report = write_report(records)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
