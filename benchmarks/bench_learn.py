"""Benchmark of lesson 07 (learning masks): training time, peak memory and held-out quality.

Run from the repository root (needs the [learn] extra)::

    python benchmarks/bench_learn.py               # every model below (about 2 h on 2 idle cores)
    python benchmarks/bench_learn.py --lesson      # only the models notebook 07 trains live
    python benchmarks/bench_learn.py --only "crn: frame length" --jobs 2 --threads 1   # one group, 2 at a time
    python benchmarks/bench_learn.py --pretrained  # only the shipped pretrained models (no training)
    python benchmarks/bench_learn.py --report      # write learn.md again from the kept records (no training)

Each model is trained in its own subprocess (so its time and peak memory are its own), then evaluated on
the held-out split (unseen sentences, unseen recorded voices, unseen noise including a recorded noise no
training mixture contains; see ``specmask_edu/learn/data.py``) next to the oracle IRM, PSM, cIRM and
bounded cIRM with the model's own STFT: the lesson models at -5, 0 and 5 dB input SNR, the comparison rows
at 0 dB. The lesson models use the notebook's settings (``TrainConfig()``, 2 threads; the live CRN at most
90 s). The phase-aware CRN comparison changes one thing at a time (target: PSM / polar mask / cIRM /
mapping; loss; input; frame length 8 / 16 / 32 ms) with a fixed budget of 300 steps each. Every learned mask is
shown next to the oracle *of its own kind*, with SI-SDRi (scale-free) beside SNR (scale-aware), in dB —
never as a share of an oracle (an oracle is not an upper bound, and the oracle cIRM's score is capped at
100 dB). Records are kept in ``benchmarks/results/learn_records.json`` (a partial run replaces its own
rows) and the report goes to ``benchmarks/results/learn.md``.

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
             "polar": "oracle cIRM", "mag_mapping": "oracle PSM", "complex_mapping": "oracle cIRM"}
SNRS = (-5.0, 0.0, 5.0)
ORACLES = ("irm", "psm", "cirm", "cirm_bounded")
ORACLE_NAMES = ("oracle IRM", "oracle PSM", "oracle cIRM", "oracle bounded cIRM")

_CRN = dict(arch="crn", features="compressed", hidden=48, layers=1, channels=8)
#: The lesson's live CRN: at most 90 s (the same settings as the pretrained CRNs, which train longer).
_CRN_TRAIN = dict(loss="compressed", epochs=40, n_items=160, batch_size=8, lr=2e-3, max_seconds=90.0)
#: The CRN comparisons (inputs x target x loss x frame length): a fixed budget of 300 steps each (15 epochs
#: of 20 batches of 8), no time limit, so every row had the same number of updates whatever the load.
_CMP_TRAIN = dict(loss="compressed", epochs=15, n_items=160, batch_size=8, lr=2e-3)

# name -> (ModelConfig settings, TrainConfig settings, role). The "lesson" ones are what notebook 07 trains.
MODELS = {
    "learned PSM (MLP)": ({"mask": "psm"}, {}, "lesson: real mask"),
    "learned bounded cIRM (MLP)": ({"mask": "cirm_bounded"}, {}, "lesson: complex mask"),
    "learned cIRM (CRN, live)": (dict(_CRN, mask="cirm"), dict(_CRN_TRAIN), "lesson: phase-aware complex mask"),
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
# The phase-aware CRN comparison, 300 steps each: target (mask kind or mapping) x loss x input x frame length.
for _frame, _stft in (("32 ms", {}), ("16 ms", dict(n_fft=256, hop_length=64)), ("8 ms", dict(n_fft=128, hop_length=32))):
    for _label, _mask in (("PSM", "psm"), ("polar mask", "polar"), ("cIRM", "cirm")):
        MODELS[f"{_label} (CRN, {_frame})"] = (dict(_CRN, mask=_mask, **_stft), dict(_CMP_TRAIN), f"crn: frame length {_frame}")
MODELS.update({
    "complex mapping (CRN, 32 ms)": (dict(_CRN, mask="complex_mapping"), dict(_CMP_TRAIN), "crn: mapping"),
    "magnitude mapping (CRN, 32 ms)": (dict(_CRN, mask="mag_mapping"), dict(_CMP_TRAIN), "crn: mapping"),
    "PSM (CRN, 32 ms, SDR loss)": (dict(_CRN, mask="psm"), dict(_CMP_TRAIN, loss="sdr"), "crn: loss"),
    "cIRM (CRN, 32 ms, SDR loss)": (dict(_CRN, mask="cirm"), dict(_CMP_TRAIN, loss="sdr"), "crn: loss"),
    "polar mask (CRN, 32 ms, SDR loss)": (dict(_CRN, mask="polar"), dict(_CMP_TRAIN, loss="sdr"), "crn: loss"),
    "cIRM (CRN, 32 ms, magnitude input)": (dict(_CRN, mask="cirm", features="logmag"), dict(_CMP_TRAIN),
                                           "crn: magnitude-only input"),
})
#: Where every measured model's record is kept, so that a partial run (``--only``) updates its rows only.
RECORDS = ROOT / "benchmarks" / "results" / "learn_records.json"


def run_one(name: str, out: Path, threads: int = 2) -> None:
    """Train and evaluate one model (runs in a subprocess). The lesson models are scored at -5, 0 and
    +5 dB input SNR, the comparison rows at 0 dB."""
    import torch

    from specmask_edu import learn

    model_settings, train_settings, role = MODELS[name]
    threads = learn.set_threads(threads)
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
    lesson = role.startswith("lesson")
    for snr in (SNRS if lesson else (0.0,)):
        # the comparison rows: 0 dB, the oracle of their own kind beside the IRM, PSM and cIRM
        ev = learn.evaluate({name: model}, snr_db=snr, oracles=ORACLES if lesson else ORACLES[:3],
                            with_stoi=(snr == 0.0 and lesson))
        # (the oracles use the model's STFT, so a frame-length variant is compared with its own oracles)
        evaluations[str(snr)] = {"table": ev.table(), "by_noise": ev.table(by="noise"),
                                 "by_speech": ev.table(by="speech")}
    eval_seconds = time.perf_counter() - t1
    record = {
        "name": name, "role": role, "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "model": model.config.to_dict(), "train": config.to_dict(),
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


def _row(record, snr="0.0", by="table"):
    return record["evaluations"][snr][by]


def write_report(records: list[dict]) -> str:
    """The Markdown report of every measured model (``records``: the cached records, any subset)."""
    lines = ["# Lesson 07 — learning masks: benchmark", ""]
    lesson = [r for r in records if r["role"].startswith("lesson")]
    r0 = (lesson or records)[0]  # its oracle rows (32 ms, every oracle at 0 dB) are the reference rows
    dates = sorted({r.get("measured", "before 2026-12-01") for r in records})
    lines += [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores visible, PyTorch {r0['torch']}, Python "
        f"{platform.python_version()}. Written by `benchmarks/bench_learn.py` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} from the records in `learn_records.json` "
        f"(measured {dates[0]} to {dates[-1]}; each row's date and threads are in that file).",
        "",
        "Each model is trained in its own process, then scored on the held-out split: unseen sentences, unseen "
        "recorded voices (CMU ARCTIC awb and slt), unseen noise (`babble_heldout`, the last 30 % of the synthetic "
        "noises, and the recorded `water_stream`, a kind of noise no training mixture contains); every held-out "
        "speech clip × every held-out noise type. SI-SDRi in dB (mean), SNR in dB, STOI at 0 dB (the mixture's "
        "own STOI is the first row). The lesson models use the lesson's settings (`TrainConfig()` for the MLPs, "
        "at most 90 s for the live CRN); the CRN comparison rows train for a fixed 300 steps each. The machine "
        "is shared: the 1-minute load average during training is listed, and a load above 2 (more runnable "
        "processes than cores) makes the times longer than on an idle laptop.",
        "",
        "## Training cost",
        "",
        "| model | role | parameters | steps | threads | train time (s) | peak memory (MB) | load avg before/after |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in records:
        lines.append(f"| {r['name']} | {r['role']} | {r['parameters']:,} | {r['steps']} | {r['threads']} | "
                     f"{_fmt(r['train_seconds'], 1)} | {_fmt(r['peak_rss_mb'], 0)} | "
                     f"{_fmt(r['load_before'], 1)} / {_fmt(r['load_after'], 1)} |")

    # quality at 0 dB: each learned mask next to the oracle of its own kind (same STFT), SI-SDRi beside SNR
    lines += ["", "## Held-out quality at 0 dB input SNR", "",
              "Each row: the learned model, then the oracle of the same kind computed with the same STFT. SI-SDRi "
              "ignores the level of the estimate, SNR does not. An oracle is not an upper bound (SI-SDR ignores "
              "scale: 0.1 × cIRM scores higher than the bounded cIRM), so no ratio to it is given.", "",
              "| method | frame | SI-SDRi (dB) | SNR (dB) | STOI | oracle of the same kind | its SI-SDRi | its SNR |",
              "|---|---|---:|---:|---:|---|---:|---:|"]
    mix = _row(r0)["mixture"]
    lines.append(f"| mixture (no processing) | | {_fmt(mix['SI-SDRi'])} | {_fmt(mix.get('SNR', float('nan')))} | "
                 f"{_fmt(mix.get('STOI', float('nan')), 3)} | | | |")
    for r in records:
        table = _row(r)
        row, oracle = table[r["name"]], table[r["same_kind"]]
        frame = f"{1000 * r['model']['n_fft'] / r['model']['sr']:g} ms"
        lines.append(f"| {r['name']} | {frame} | {_fmt(row['SI-SDRi'])} | {_fmt(row.get('SNR', float('nan')))} | "
                     f"{_fmt(row.get('STOI', float('nan')), 3)} | {r['same_kind']} | {_fmt(oracle['SI-SDRi'])} | "
                     f"{_fmt(oracle.get('SNR', float('nan')))} |")
    for k in [k for k in ORACLE_NAMES if k in _row(r0)]:
        row = _row(r0)[k]
        lines.append(f"| {k} | {1000 * r0['model']['n_fft'] / r0['model']['sr']:g} ms | {_fmt(row['SI-SDRi'])} | "
                     f"{_fmt(row.get('SNR', float('nan')))} | {_fmt(row.get('STOI', float('nan')), 3)} | | | |")

    # the CRN comparison: frame length x target (same 300-step budget)
    crn = {r["name"]: r for r in records if r["role"].startswith("crn: frame length")}
    if crn:
        frames = [f for f in ("8 ms", "16 ms", "32 ms") if any(n.endswith(f + ")") for n in crn)]
        lines += ["", "### Phase-aware CRN: frame length × target (300 steps each, 0 dB)", "",
                  "SI-SDRi (dB) of the learned model, and in brackets the oracle of the same kind with the same "
                  "frame (PSM: oracle PSM; polar mask and cIRM: oracle cIRM, capped at 100 dB). Hop = frame / 4.", "",
                  "| target | " + " | ".join(frames) + " |", "|---|" + "---:|" * len(frames)]
        for label in ("PSM", "polar mask", "cIRM"):
            cells = []
            for f in frames:
                r = crn.get(f"{label} (CRN, {f})")
                if r is None:
                    cells.append("—")
                    continue
                t = _row(r)
                cells.append(f"{_fmt(t[r['name']]['SI-SDRi'])} ({_fmt(t[r['same_kind']]['SI-SDRi'], 1)})")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        margins = []
        for f in frames:
            a, b = crn.get(f"polar mask (CRN, {f})"), crn.get(f"PSM (CRN, {f})")
            if a and b:
                margins.append(f"{f}: {_row(a)[a['name']]['SI-SDRi'] - _row(b)[b['name']]['SI-SDRi']:+.2f} dB")
        if margins:
            lines += ["", "Polar mask minus PSM (same network, same steps; the polar model starts as the PSM model): "
                      + ", ".join(margins) + "."]

    # by noise
    noises = list(_row(r0, by="by_noise")["mixture"])
    lines += ["", "### SI-SDRi (dB) by noise type, 0 dB (`water_stream`: a recorded noise never trained on)", "",
              "| method | " + " | ".join(noises) + " |", "|---|" + "---:|" * len(noises)]
    for r in records:
        row = _row(r, by="by_noise")[r["name"]]
        lines.append(f"| {r['name']} | " + " | ".join(_fmt(row[n]) if n in row else "—" for n in noises) + " |")
    for k in [k for k in ORACLE_NAMES if k in _row(r0, by="by_noise")]:
        row = _row(r0, by="by_noise")[k]
        lines.append(f"| {k} | " + " | ".join(_fmt(row[n]) for n in noises) + " |")

    # by speech (seen voice / unseen voice)
    speakers = list(_row(r0, by="by_speech")["mixture"])
    lines += ["", "### SI-SDRi (dB) by held-out speech clip, 0 dB (awb, slt, scottish: voices never trained on)", "",
              "| method | " + " | ".join(speakers) + " |", "|---|" + "---:|" * len(speakers)]
    for r in records:
        row = _row(r, by="by_speech")[r["name"]]
        lines.append(f"| {r['name']} | " + " | ".join(_fmt(row[n]) if n in row else "—" for n in speakers) + " |")
    row = _row(r0, by="by_speech")["oracle IRM"]
    lines.append("| oracle IRM | " + " | ".join(_fmt(row[n]) for n in speakers) + " |")

    # other SNRs (the lesson models)
    lines += ["", "### SI-SDRi (dB) at other input SNRs (lesson models)", "",
              "| method | " + " | ".join(f"{s:g} dB" for s in SNRS) + " |", "|---|" + "---:|" * len(SNRS)]
    for r in lesson:
        lines.append(f"| {r['name']} | " + " | ".join(
            _fmt(_row(r, str(s))[r["name"]]["SI-SDRi"]) for s in SNRS) + " |")

    def mark(ok):
        return "met" if ok else "NOT met"

    if lesson:
        peak = max(r["peak_rss_mb"] for r in lesson)
        slowest = max(r["train_seconds"] for r in lesson)
        total = sum(r["train_seconds"] for r in lesson)
        lines += [
            "", "## Targets (live lesson models)", "",
            f"- Training time of each live lesson model ≤ {TIME_LIMIT_S:.0f} s on 2 cores: slowest "
            f"{_fmt(slowest, 1)} s — **{mark(slowest <= TIME_LIMIT_S)}** (all live lesson models together: "
            f"{_fmt(total, 1)} s).",
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
    held = learn.split_clips("heldout")
    lines = ["## Pretrained models (shipped in `specmask_edu/learn/pretrained/`)", "",
             "Trained by `python -m specmask_edu.learn.pretrain`; scores from each model's training record (all "
             f"{len(held['speech'])} held-out speech clips × all {len(held['noise'])} held-out noises = "
             f"{len(held['speech']) * len(held['noise'])} mixtures per SNR). Load time measured here "
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


def _run_group(names, threads, jobs):
    """Train ``names``, ``jobs`` processes at a time, each with ``threads`` PyTorch threads; returns records."""
    records = {}
    with tempfile.TemporaryDirectory() as tmp:
        pending = list(names)
        running = []
        while pending or running:
            while pending and len(running) < jobs:
                name = pending.pop(0)
                out = Path(tmp) / f"{len(pending)}_{abs(hash(name))}.json"
                print(f"training {name} ...", flush=True)
                proc = subprocess.Popen([sys.executable, __file__, "--one", name, "--out", str(out),
                                         "--threads", str(threads)], cwd=ROOT)
                running.append((name, out, proc))
            time.sleep(2)
            for item in list(running):
                name, out, proc = item
                if proc.poll() is None:
                    continue
                running.remove(item)
                if proc.returncode != 0:
                    raise SystemExit(f"{name}: the training process failed (exit {proc.returncode})")
                record = json.loads(out.read_text())
                print(f"  {name}: {record['train_seconds']:.1f} s, {record['steps']} steps, SI-SDRi at 0 dB "
                      f"{_row(record)[name]['SI-SDRi']:.2f} dB, peak {record['peak_rss_mb']:.0f} MB", flush=True)
                records[name] = record
    return records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", action="store_true", help="only the models notebook 07 trains live")
    parser.add_argument("--only", action="append", default=[],
                        help="only the models whose role starts with this (e.g. 'crn: frame length', 'variant') "
                             "or with this exact name; repeatable. The other rows of the report keep their earlier records.")
    parser.add_argument("--pretrained", action="store_true", help="only the shipped pretrained models (no training)")
    parser.add_argument("--report", action="store_true",
                        help="only write learn.md again from the kept records and the shipped models (no training)")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads per training process (default 2)")
    parser.add_argument("--jobs", type=int, default=1, help="training processes at a time (default 1)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, Path(args.out), threads=args.threads)
        return 0
    if args.pretrained:
        report = pretrained_report()
        print(report)
        return 0
    cached = json.loads(RECORDS.read_text()) if RECORDS.exists() else {}
    if args.report:
        records = [cached[n] for n in MODELS if n in cached]
        RESULTS.write_text(write_report(records) + "\n" + pretrained_report(), encoding="utf-8")
        print(f"wrote {RESULTS}")
        return 0
    prefixes = (["lesson"] if args.lesson else []) + args.only
    names = [n for n, (_, _, role) in MODELS.items()
             if not prefixes or role.startswith(tuple(prefixes)) or n in prefixes]
    cached.update(_run_group(names, args.threads, args.jobs))
    RECORDS.parent.mkdir(parents=True, exist_ok=True)
    RECORDS.write_text(json.dumps(cached, indent=1) + "\n", encoding="utf-8")
    records = [cached[n] for n in MODELS if n in cached]  # the order of MODELS; stale names are dropped
    report = write_report(records) + "\n" + pretrained_report()
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
