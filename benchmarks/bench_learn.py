"""Benchmark of lesson 07 (learning masks): training time, peak memory and held-out quality.

Run from the repository root (needs the [learn] extra)::

    python benchmarks/bench_learn.py               # the lesson models + every variant (about 40 min on 2 idle cores)
    python benchmarks/bench_learn.py --lesson      # only the models notebook 07 trains live
    python benchmarks/bench_learn.py --pretrained  # only the shipped pretrained models (no training)

Each model is trained in its own subprocess (so its time and peak memory are its own) with the
notebook's default settings (``TrainConfig()``, 2 CPU threads), then evaluated on the held-out split
(unseen sentences, an unseen voice, unseen noise; see ``specmask_edu/learn/data.py``) at -5, 0 and 5 dB
input SNR next to the oracle IRM, PSM, cIRM and bounded cIRM. The variants change one thing each (loss,
architecture, mask kind, input features, loss, masking vs mapping, frame length) to back the statements
made in the notebook. Every learned mask is shown next to the oracle *of its own kind*, with SI-SDRi (scale-
free) beside SNR (scale-aware), in dB — never as a share of an oracle (an oracle is not an upper bound, and
the oracle cIRM's score is capped at 100 dB). Results go to ``benchmarks/results/learn.md``.

Targets (from the issues): each live lesson model trains in at most 120 s on 2 CPU cores with peak memory
at most 1 GB; the pretrained weights are at most 2 MB each and load in at most 1 s; on held-out speakers
and noises the best pretrained complex model beats the best pretrained real-mask model by at least 1 dB
SI-SDRi at 0 dB input SNR and by a positive margin at -5 and +5 dB.
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
MEMORY_LIMIT_MB = 1024.0
WEIGHTS_LIMIT_BYTES = 2 * 1024 * 1024
LOAD_LIMIT_S = 1.0
MARGIN_TARGET_DB = 1.0
#: The oracle of the same kind as each mask kind.
SAME_KIND = {"psm": "oracle PSM", "irm": "oracle IRM", "cirm": "oracle cIRM", "cirm_bounded": "oracle bounded cIRM",
             "mag_mapping": "oracle PSM", "complex_mapping": "oracle cIRM"}
SNRS = (-5.0, 0.0, 5.0)
ORACLES = ("irm", "psm", "cirm", "cirm_bounded")
ORACLE_NAMES = ("oracle IRM", "oracle PSM", "oracle cIRM", "oracle bounded cIRM")

_CRN = dict(arch="crn", features="compressed", hidden=48, layers=1, channels=8)
#: The lesson's live CRN: at most 90 s (the same settings as the pretrained CRNs, which train longer).
_CRN_TRAIN = dict(loss="compressed", epochs=40, n_items=160, batch_size=8, lr=2e-3, max_seconds=90.0)

# name -> (ModelConfig settings, TrainConfig settings, role). The "lesson" ones are what notebook 07 trains.
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
    # phase-aware CRN (compressed Re/Im input), compressed + SI-SDR loss: the lesson's live CRN and variants
    "learned cIRM (CRN)": (dict(_CRN, mask="cirm"), dict(_CRN_TRAIN), "lesson: phase-aware complex mask"),
    "learned PSM (CRN)": (dict(_CRN, mask="psm"), dict(_CRN_TRAIN), "variant: phase-aware input, real mask"),
    "complex mapping (CRN)": (dict(_CRN, mask="complex_mapping"), dict(_CRN_TRAIN), "variant: mapping, complex"),
    "magnitude mapping (CRN)": (dict(_CRN, mask="mag_mapping"), dict(_CRN_TRAIN), "variant: mapping, magnitude"),
    "learned cIRM (CRN, SDR loss)": (dict(_CRN, mask="cirm"), dict(_CRN_TRAIN, loss="sdr"), "variant: loss"),
    "learned cIRM (CRN, magnitude input)": (dict(_CRN, mask="cirm", features="logmag"), dict(_CRN_TRAIN),
                                            "variant: magnitude-only input"),
    # frame length (Peer & Gerkmann 2022): 8 and 16 ms frames, hop = frame / 4
    "learned cIRM (CRN, 16 ms)": (dict(_CRN, mask="cirm", n_fft=256, hop_length=64), dict(_CRN_TRAIN), "frame length"),
    "learned PSM (CRN, 16 ms)": (dict(_CRN, mask="psm", n_fft=256, hop_length=64), dict(_CRN_TRAIN), "frame length"),
    "learned cIRM (CRN, 8 ms)": (dict(_CRN, mask="cirm", n_fft=128, hop_length=32), dict(_CRN_TRAIN), "frame length"),
    "learned PSM (CRN, 8 ms)": (dict(_CRN, mask="psm", n_fft=128, hop_length=32), dict(_CRN_TRAIN), "frame length"),
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
        # (the oracles use the model's STFT, so a frame-length variant is compared with its own oracles)
        evaluations[str(snr)] = {"table": ev.table(), "by_noise": ev.table(by="noise"),
                                 "by_speech": ev.table(by="speech")}
    eval_seconds = time.perf_counter() - t1
    record = {
        "name": name, "role": role, "model": model.config.to_dict(), "train": config.to_dict(),
        "parameters": model.n_parameters, "steps": result.steps_done, "train_seconds": train_seconds,
        "eval_seconds": eval_seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "peak_rss_train_mb": peak_train_mb, "threads": threads, "torch": torch.__version__,
        "load_before": load_before, "load_after": load_after, "same_kind": SAME_KIND[model.config.mask],
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

    # quality at 0 dB: each learned mask next to the oracle of its own kind (same STFT), SI-SDRi beside SNR
    oracle_rows = records[0]["evaluations"]["0.0"]["table"]
    lines += ["## Held-out quality at 0 dB input SNR", "",
              "Each row: the learned model, then the oracle of the same kind computed with the same STFT. SI-SDRi "
              "ignores the level of the estimate, SNR does not. An oracle is not an upper bound (SI-SDR ignores "
              "scale: 0.1 × cIRM scores higher than the bounded cIRM), so no ratio to it is given.", "",
              "| method | frame | SI-SDRi (dB) | SNR (dB) | STOI | oracle of the same kind | its SI-SDRi | its SNR |",
              "|---|---|---:|---:|---:|---|---:|---:|"]
    mix = oracle_rows["mixture"]
    lines.append(f"| mixture (no processing) | | {_fmt(mix['SI-SDRi'])} | {_fmt(mix.get('SNR', float('nan')))} | "
                 f"{_fmt(mix['STOI'], 3)} | | | |")
    for r in records:
        table = r["evaluations"]["0.0"]["table"]
        row, oracle = table[r["name"]], table[r["same_kind"]]
        frame = f"{1000 * r['model']['n_fft'] / r['model']['sr']:g} ms"
        lines.append(f"| {r['name']} | {frame} | {_fmt(row['SI-SDRi'])} | {_fmt(row.get('SNR', float('nan')))} | "
                     f"{_fmt(row['STOI'], 3)} | {r['same_kind']} | {_fmt(oracle['SI-SDRi'])} | "
                     f"{_fmt(oracle.get('SNR', float('nan')))} |")
    for k in ORACLE_NAMES:
        lines.append(f"| {k} | 32 ms | {_fmt(oracle_rows[k]['SI-SDRi'])} | {_fmt(oracle_rows[k].get('SNR', float('nan')))} | "
                     f"{_fmt(oracle_rows[k]['STOI'], 3)} | | | |")

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
    peak = max(r["peak_rss_mb"] for r in lesson)
    slowest = max(r["train_seconds"] for r in lesson)

    def mark(ok):
        return "met" if ok else "NOT met"

    lines += [
        "", "## Targets (live lesson models)", "",
        f"- Training time of each live lesson model ≤ {TIME_LIMIT_S:.0f} s on 2 cores: slowest "
        f"{_fmt(slowest, 1)} s — **{mark(slowest <= TIME_LIMIT_S)}** (all live lesson models together: {_fmt(total, 1)} s).",
        f"- Peak memory ≤ {MEMORY_LIMIT_MB:.0f} MB: largest {_fmt(peak, 0)} MB (peak RSS of the training + "
        f"evaluation process) — **{mark(peak <= MEMORY_LIMIT_MB)}**.",
        "",
    ]
    return "\n".join(lines)


def pretrained_report() -> str:
    """The shipped pretrained models: size, load time, held-out scores from their records, and the margin
    of the best complex model over the best real-mask model at each input SNR."""
    import torch

    from specmask_edu import learn

    names = learn.list_pretrained()
    lines = ["## Pretrained models (shipped in `specmask_edu/learn/pretrained/`)", "",
             "Trained by `python -m specmask_edu.learn.pretrain`; scores from each model's training record (all "
             "held-out speech clips × all held-out noise regions, 20 mixtures per SNR). Load time measured here "
             f"(PyTorch {torch.__version__}).", "",
             "| model | what it is | parameters | steps | train (s) | weights (kB) | load (s) | SI-SDRi −5 dB | "
             "SI-SDRi 0 dB | SI-SDRi +5 dB | SNR 0 dB | STOI 0 dB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    scores, loads, sizes = {}, {}, {}
    for name in names:
        start = time.perf_counter()
        learn.load_pretrained(name)
        loads[name] = time.perf_counter() - start
        rec = learn.pretrained_record(name)
        sizes[name] = rec["size_bytes"]
        held = rec["heldout"]
        scores[name] = held
        lines.append(f"| {name} | {rec['description']} | {rec['parameters']:,} | {rec['steps']} | "
                     f"{_fmt(rec['train_seconds'], 0)} | {rec['size_bytes'] / 1024:.0f} | {loads[name]:.2f} | "
                     + " | ".join(_fmt(held[s]["SI-SDRi"]) for s in ("-5", "0", "5"))
                     + f" | {_fmt(held['0']['SNR'])} | {_fmt(held['0'].get('STOI', float('nan')), 3)} |")
    real = [n for n in names if n.endswith(("psm", "irm"))]
    cplx = [n for n in names if n not in real and not n.endswith("mag_mapping")]
    lines.append("")
    # all pretrained models on today's held-out set at 0 dB (the records may come from different days)
    fresh = learn.evaluate({n: learn.load_pretrained(n) for n in names}, snr_db=0.0, oracles=("psm", "cirm_bounded"))
    fresh_rows = fresh.table()
    speech = sorted({r["speech"] for r in fresh.records})
    lines += [f"Today's held-out set at 0 dB ({len(speech)} speech clips: {', '.join(speech)}; × all held-out "
              "noises), all models evaluated together:", "",
              "| method | SI-SDRi (dB) | SNR (dB) | STOI |", "|---|---:|---:|---:|"]
    for method, row in fresh_rows.items():
        lines.append(f"| {method} | {_fmt(row['SI-SDRi'])} | {_fmt(row['SNR'])} | {_fmt(row['STOI'], 3)} |")
    lines.append("")
    if real and cplx:
        fr = max(real, key=lambda n: fresh_rows[n]["SI-SDRi"])
        fc = max(cplx, key=lambda n: fresh_rows[n]["SI-SDRi"])
        lines += [f"On today's set at 0 dB: best complex **{fc}** minus best real-mask **{fr}**: "
                  f"{fresh_rows[fc]['SI-SDRi'] - fresh_rows[fr]['SI-SDRi']:+.2f} dB SI-SDRi, "
                  f"{fresh_rows[fc]['STOI'] - fresh_rows[fr]['STOI']:+.3f} STOI.", ""]
    if real and cplx:
        best_real = max(real, key=lambda n: scores[n]["0"]["SI-SDRi"])
        best_cplx = max(cplx, key=lambda n: scores[n]["0"]["SI-SDRi"])
        margins = {s: scores[best_cplx][s]["SI-SDRi"] - scores[best_real][s]["SI-SDRi"] for s in ("-5", "0", "5")}
        stoi_margin = scores[best_cplx]["0"].get("STOI", float("nan")) - scores[best_real]["0"].get("STOI", float("nan"))
        ok = margins["0"] >= MARGIN_TARGET_DB and margins["-5"] > 0 and margins["5"] > 0
        lines += [
            f"From the training records: best complex model **{best_cplx}**; best real-mask model **{best_real}** (by SI-SDRi at 0 dB). "
            "Margin (complex − real): " + ", ".join(f"{m:+.2f} dB at {s} dB" for s, m in margins.items())
            + f"; STOI at 0 dB {stoi_margin:+.3f}.", "",
            f"- Target: ≥ {MARGIN_TARGET_DB:.1f} dB at 0 dB and positive at −5 and +5 dB — **{'met' if ok else 'NOT met'}**.",
        ]
    if names:
        lines += [
            f"- Weights ≤ 2 MB each: largest {max(sizes.values()) / 1024:.0f} kB — "
            f"**{'met' if max(sizes.values()) <= WEIGHTS_LIMIT_BYTES else 'NOT met'}**.",
            f"- Loading ≤ {LOAD_LIMIT_S:.0f} s: slowest {max(loads.values()):.2f} s (first load includes "
            f"importing) — **{'met' if max(loads.values()) <= LOAD_LIMIT_S else 'NOT met'}**.",
            "",
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", action="store_true", help="only the models notebook 07 trains live")
    parser.add_argument("--pretrained", action="store_true", help="only the shipped pretrained models (no training)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, Path(args.out))
        return 0
    if args.pretrained:
        report = pretrained_report()
        print(report)
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
    report = write_report(records) + "\n" + pretrained_report()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
