r"""Pretrained models shipped with the package, and the script that trains them.

Taught in ``notebooks/07_learning_masks.ipynb``: the lesson trains small models live (a minute or two each)
and shows these longer-trained ones beside them.

>>> from specmask_edu import learn
>>> learn.list_pretrained()                              # doctest: +SKIP
['crn_polar', 'crn_psm', 'mlp_cirm_bounded', 'mlp_psm']
>>> model = learn.load_pretrained("crn_polar")           # doctest: +SKIP
>>> estimate = learn.separate_with_model(model, mixture) # doctest: +SKIP
>>> model.pretrained_record["heldout"]["0"]              # doctest: +SKIP

Each model is two files in ``specmask_edu/learn/pretrained/``: ``<name>.pt`` (the checkpoint format of
:func:`~specmask_edu.learn.train.save_model`, weights stored in float16 to halve the file, read with
``torch.load(weights_only=True)``, which refuses to run code stored in a file, into a float32 model) and ``<name>.json``, its training record: the recipe (model and training
settings), the data it saw (:func:`~specmask_edu.learn.data.split_clips`), steps, seed, seconds, the
loss history, the held-out scores at -5, 0 and +5 dB input SNR, and the SHA-256 of the weights file.
:func:`load_pretrained` checks that hash before loading, so a replaced or damaged file is refused.

The shipped ones are the two MLPs of the lesson and two phase-aware CRNs with the same step budget (1800
steps each): ``crn_psm`` (real mask) and ``crn_polar`` (the same network with a rotation output, which
starts as ``crn_psm``); :data:`RECIPES` has more (``crn_cirm``, GRUs, complex mapping) that are not shipped.
Retrain them (each stops after its recipe's steps, or after ``--minutes`` of wall-clock time, whichever
comes first; a CRN took 25-27 minutes on a shared 2-core machine, one thread each)::

    python -m specmask_edu.learn.pretrain crn_psm crn_polar mlp_psm mlp_cirm_bounded --minutes 150
    python -m specmask_edu.learn.pretrain crn_cirm --minutes 10 --out my_models
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .._validation import SpecmaskInputError
from .data import split_clips
from .evaluate import evaluate
from .models import build_model
from .train import CHECKPOINT_FORMAT, TrainConfig, model_from_checkpoint, train

__all__ = ["PRETRAINED_DIR", "RECIPES", "list_pretrained", "pretrained_record", "load_pretrained",
           "heldout_scores", "train_pretrained", "main"]

#: Where the shipped weights and records live.
PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
#: Largest weights file shipped (bytes).
MAX_BYTES = 2 * 1024 * 1024

_MAG = dict(features="logmag")
_CRN = dict(arch="crn", features="compressed", hidden=48, layers=1, channels=8)
_CRN_TRAIN = dict(loss="compressed", epochs=90, n_items=160, batch_size=8, lr=2e-3, heldout_items=16,
                  speed_factors=(0.9, 1.0, 1.1))

#: The recipes: name -> (what it is, model settings, training settings). Same data, seed and
#: step budget within each family, so their differences come from the inputs, outputs and loss.
#: (The lesson's live CRN uses the same settings for at most 90 seconds.)
RECIPES = {
    "mlp_psm": ("magnitude-only frame-context MLP, real PSM, SDR loss (the lesson's first model)",
                dict(arch="mlp", mask="psm", hidden=256, layers=2, context=3, **_MAG),
                dict(loss="sdr", epochs=60, n_items=384, batch_size=16)),
    "mlp_cirm_bounded": ("magnitude-only frame-context MLP, bounded cIRM, SDR loss (the lesson's second model)",
                         dict(arch="mlp", mask="cirm_bounded", hidden=256, layers=2, context=3, **_MAG),
                         dict(loss="sdr", epochs=60, n_items=384, batch_size=16)),
    "gru_psm": ("magnitude-only bidirectional GRU, real PSM, SDR loss",
                dict(arch="gru", mask="psm", hidden=128, layers=1, **_MAG),
                dict(loss="sdr", epochs=40, n_items=384, batch_size=16)),
    "gru_cirm": ("magnitude-only bidirectional GRU, compressed cIRM, SDR loss (a complex mask from magnitudes)",
                 dict(arch="gru", mask="cirm", hidden=128, layers=1, **_MAG),
                 dict(loss="sdr", epochs=40, n_items=384, batch_size=16)),
    "crn_psm": ("phase-aware CRN (compressed Re/Im input), real PSM, compressed + SI-SDR loss",
                dict(mask="psm", **_CRN), dict(_CRN_TRAIN)),
    "crn_cirm": ("phase-aware CRN (compressed Re/Im input), complex mask (cIRM), compressed + SI-SDR loss",
                 dict(mask="cirm", **_CRN), dict(_CRN_TRAIN)),
    "crn_polar": ("phase-aware CRN (compressed Re/Im input), polar mask (PSM gain x learned rotation, starts as "
                  "crn_psm), compressed + SI-SDR loss",
                  dict(mask="polar", **_CRN), dict(_CRN_TRAIN)),
    "crn_complex_mapping": ("phase-aware CRN, complex mapping (predicts the compressed clean spectrum), "
                            "compressed + SI-SDR loss",
                            dict(mask="complex_mapping", **_CRN), dict(_CRN_TRAIN)),
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def list_pretrained() -> list[str]:
    """Names of the pretrained models shipped with the package (those with both a ``.pt`` and a ``.json``)."""
    if not PRETRAINED_DIR.is_dir():
        return []
    return sorted(p.stem for p in PRETRAINED_DIR.glob("*.json") if p.with_suffix(".pt").is_file())


def _check_name(name) -> str:
    names = list_pretrained()
    if not isinstance(name, str) or name not in names:
        import difflib

        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SpecmaskInputError(f"No pretrained model called {name!r}; the shipped ones are {names}.{hint}")
    return name


def pretrained_record(name: str) -> dict:
    """The training record (JSON) of pretrained model ``name``: recipe, data, steps, seed, losses, held-out
    scores and the SHA-256 of the weights."""
    name = _check_name(name)
    try:
        return json.loads((PRETRAINED_DIR / f"{name}.json").read_text())
    except (OSError, ValueError) as err:
        raise SpecmaskInputError(f"The training record of {name!r} cannot be read ({err}); reinstall the package.") from None


def _load_checked(weights_path: Path, record: dict, label: str):
    data = Path(weights_path).read_bytes()
    if record.get("sha256") != _sha256(data):
        raise SpecmaskInputError(
            f"The weights file of {label!r} does not match its training record (SHA-256 differs): it was "
            "replaced or damaged. Reinstall the package (or retrain with python -m specmask_edu.learn.pretrain)."
        )
    try:
        checkpoint = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as err:  # unpickling errors, truncated files
        raise SpecmaskInputError(f"The weights file of {label!r} cannot be read ({type(err).__name__}: {err}).") from None
    if not isinstance(checkpoint, dict):
        raise SpecmaskInputError(f"The weights file of {label!r} is not a specmask_edu model file.")
    return model_from_checkpoint(checkpoint, label)


def load_pretrained(name: str):
    """Load pretrained model ``name`` (see :func:`list_pretrained`) in evaluation mode.

    The weights are checked against the SHA-256 in the training record and read with
    ``torch.load(weights_only=True)``; the record is attached as ``model.pretrained_record``. The model
    works with :func:`~specmask_edu.learn.evaluate.separate_with_model` like a freshly trained one.
    """
    record = pretrained_record(name)
    model = _load_checked(PRETRAINED_DIR / f"{name}.pt", record, name)
    model.pretrained_record = record
    return model


def heldout_scores(model, snrs=(-5.0, 0.0, 5.0), oracles=(), stoi_at=(0.0,)) -> dict:
    """Mean held-out scores of ``model`` at each input SNR: ``{"<snr>": {"SI-SDRi", "SNR", "STOI", ...}}``
    (all held-out speech x all held-out noises, :func:`~specmask_edu.learn.data.heldout_examples`); STOI
    (about 30 ms per signal) only at the SNRs in ``stoi_at``."""
    scores = {}
    for snr_db in snrs:
        result = evaluate({"model": model}, snr_db=float(snr_db), oracles=oracles,
                          with_stoi=float(snr_db) in tuple(float(v) for v in stoi_at))
        rows = result.table(metrics=("SI-SDRi", "SNR", "STOI"))  # STOI only where it was computed
        scores[f"{snr_db:g}"] = {method: {k: round(v, 3) for k, v in row.items()} for method, row in rows.items()}
    return scores


def train_pretrained(name: str, out_dir=PRETRAINED_DIR, minutes: float = 10.0, seed: int = 0,
                     num_threads: int = 1, progress: bool = False) -> dict:
    """Train recipe ``name`` of :data:`RECIPES` for at most ``minutes`` and write ``<name>.pt`` and
    ``<name>.json`` into ``out_dir``; returns the record."""
    if name not in RECIPES:
        raise SpecmaskInputError(f"Unknown recipe {name!r}; the recipes are {list(RECIPES)}.")
    description, model_settings, train_settings = RECIPES[name]
    config = TrainConfig(seed=seed, num_threads=num_threads, max_seconds=60.0 * minutes, **train_settings)
    model = build_model(seed=seed, **model_settings)
    result = train(model, config, progress=progress, plot=False)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Shipped in half precision (float16 halves the file; the model is rebuilt in float32 when loaded).
    checkpoint = {"format": CHECKPOINT_FORMAT, "config": model.config.to_dict(),
                  "state_dict": {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()},
                  "history": None}
    torch.save(checkpoint, out_dir / f"{name}.pt")
    data = (out_dir / f"{name}.pt").read_bytes()
    if len(data) > MAX_BYTES:
        raise SpecmaskInputError(f"{name}: {len(data)} bytes of weights, more than the {MAX_BYTES} allowed.")
    start = time.perf_counter()
    heldout = heldout_scores(model)
    history = result.history
    record = {
        "name": name,
        "description": description,
        "model": model.config.to_dict(),
        "parameters": model.n_parameters,
        "train": config.to_dict(),
        "data": {"train": split_clips("train", config.noises), "heldout": split_clips("heldout"),
                 "note": "training mixtures are drawn on the fly from the train split (MixtureDataset); held-out "
                         "scores use every held-out speech clip with every held-out noise region"},
        "seed": seed,
        "steps": result.steps_done,
        "planned_steps": config.steps,
        "stopped_early": result.stopped_early,
        "train_seconds": round(result.seconds, 1),
        "threads": history.get("threads"),
        "loss_name": history.get("loss_name"),
        "losses": {"train_epoch_mean": [round(v, 5) for v in history["train_loss"]],
                   "heldout_epoch": [None if not np.isfinite(v) else round(v, 5) for v in history["heldout_loss"]]},
        "heldout": {snr: rows["model"] for snr, rows in heldout.items()},
        "heldout_seconds": round(time.perf_counter() - start, 1),
        "size_bytes": len(data),
        "weights_dtype": "float16",
        "sha256": _sha256(data),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (out_dir / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    return record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m specmask_edu.learn.pretrain",
                                     description="Train the pretrained models shipped with specmask_edu.")
    parser.add_argument("names", nargs="*", help=f"recipes to train (default: all of {list(RECIPES)})")
    parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock time limit per model (default 10); the recipe's step budget may end it sooner")
    parser.add_argument("--out", default=str(PRETRAINED_DIR), help="output folder (default: the package's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    for name in args.names or list(RECIPES):
        record = train_pretrained(name, out_dir=args.out, minutes=args.minutes, seed=args.seed,
                                  num_threads=args.threads)
        print(f"{name}: {record['steps']} steps in {record['train_seconds']} s, {record['size_bytes']} bytes, "
              f"held-out 0 dB SI-SDRi {record['heldout']['0'].get('SI-SDRi')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
