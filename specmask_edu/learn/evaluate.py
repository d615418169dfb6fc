r"""What did the model learn? Learned masks against the oracle masks on held-out mixtures.

Taught in ``notebooks/07_learning_masks.ipynb``. For every held-out mixture
(:func:`~specmask_edu.learn.data.heldout_examples`: unseen sentences, an unseen voice, unseen noise)
each learned mask and each oracle mask of the same kind is applied to the mixture
(:func:`specmask_edu.separation.separate`) and scored with

* SI-SDR improvement over the mixture, :func:`specmask_edu.metrics.si_sdr_improvement` (dB; scale-free:
  it ignores the level and sign of the estimate),
* SNR of the estimate, :func:`specmask_edu.metrics.snr` (dB; scale-aware: a too quiet or too loud
  estimate loses here), and
* STOI, :func:`specmask_edu.metrics.stoi` (in [-1, 1], in practice 0 to 1; a correlate of intelligibility,
  Taal et al. 2011; the mixture's own STOI is listed for reference).

An oracle mask is computed from the clean target, which a real system never has. It is the value of
that mask's *formula* at each bin, optimal only in the sense its definition gives (e.g. the PSM minimises
the per-bin squared error of a real mask); it is **not** an upper bound on what a model can score:
SI-SDR ignores scale, so a mask that is, say, ``0.1 ×`` the cIRM scores higher than the bounded cIRM,
and a learned mask can beat an oracle of another kind. Compare a learned mask with the oracle of the
same kind on both metrics, in dB (never as a share of a value that the metrics cap at 100 dB).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from .._validation import SpecmaskInputError, as_waveform
from ..masks import MASKS, decompress_mask, oracle_mask
from ..metrics import format_table, si_sdr_improvement, snr, stoi
from ..separation import separate
from ..stft import stft
from .data import NOISE_TYPES, heldout_examples, stft_to_tensor
from .models import MaskEstimator

__all__ = ["ORACLE_LABELS", "best_mask_from_magnitudes", "estimate_mask", "separate_with_model", "evaluate", "EvaluationResult",
           "plot_comparison", "compare_on_example"]

#: Display names of the oracle masks used for comparison.
ORACLE_LABELS = {name: f"oracle {info.label}" for name, info in MASKS.items() if info.oracle}


def _check_model(model):
    if not isinstance(model, MaskEstimator):
        raise SpecmaskInputError(
            f"Expected a trained MaskEstimator (from build_model/train/load_model), got {type(model).__name__}."
        )
    return model


@torch.no_grad()
def estimate_mask(model: MaskEstimator, mixture) -> np.ndarray:
    r"""The mask ``model`` predicts for a mixture waveform, as a NumPy array ``(freq, frames)``.

    Real (float64) for ``irm``/``psm``/``mag_mapping`` models, complex (complex128) for ``cirm``/
    ``cirm_bounded``/``complex_mapping``; for ``cirm`` the compressed output is decompressed with
    :func:`specmask_edu.masks.decompress_mask`; for a mapping model it is the effective mask
    :math:`\hat S / Y` (:meth:`~specmask_edu.learn.models.MaskEstimator.output_to_mask`).
    Apply it with :func:`specmask_edu.separation.separate` (or use :func:`separate_with_model`).
    """
    model = _check_model(model)
    y = as_waveform(mixture, "mixture")
    config = model.config.stft_config()
    Y = stft(y, config)
    was_training = model.training
    model.eval()
    mixture_tensor = stft_to_tensor(Y)[None]
    output = model(mixture_tensor)
    if model.config.is_mapping:
        mask = model.output_to_mask(output, mixture_tensor)[0].double().numpy()
    else:
        mask = output[0].double().numpy()
    model.train(was_training)
    if not model.config.is_complex:
        return mask
    M = mask[0] + 1j * mask[1]
    if model.config.mask == "cirm":
        M = decompress_mask(M, K=model.config.K, C=model.config.C)
    return M


def separate_with_model(model: MaskEstimator, mixture) -> np.ndarray:
    """Waveform in, waveform out: the model's mask applied to ``mixture`` (same length)."""
    mask = estimate_mask(model, mixture)
    return separate(mixture, mask, _check_model(model).config.stft_config())


@dataclass
class EvaluationResult:
    """Scores of every method on every held-out mixture (made by :func:`evaluate`).

    ``records`` is a list of dicts with ``example``, ``speech``, ``noise``, ``method``, ``kind``
    (``"learned"``, ``"oracle"`` or ``"mixture"``), ``"SI-SDRi"`` (dB), ``"SNR"`` (dB) and ``"STOI"``.
    """

    records: list = field(default_factory=list)
    methods: list = field(default_factory=list)
    snr_db: float = 0.0

    def table(self, by: str | None = None, metrics=("SI-SDRi", "SNR", "STOI")) -> dict:
        """Mean scores as rows ``{method: {metric: mean}}`` (format with :func:`specmask_edu.format_table`).

        ``by="noise"`` (or ``"speech"``) gives ``{method: {noise type: mean SI-SDRi}}`` instead, one
        column per noise type (or speech clip) plus ``"all"``.
        """
        rows = {}
        for method in self.methods:
            recs = [r for r in self.records if r["method"] == method]
            if by is None:
                rows[method] = {m: float(np.mean([r[m] for r in recs])) for m in metrics if m in recs[0]}
            else:
                metric = metrics[0]
                groups = list(dict.fromkeys(r[by] for r in recs))
                rows[method] = {g: float(np.mean([r[metric] for r in recs if r[by] == g])) for g in groups}
                rows[method]["all"] = float(np.mean([r[metric] for r in recs]))
        return rows

    def markdown(self, by: str | None = None, digits: int = 2) -> str:
        """:meth:`table` as a Markdown table (via :func:`specmask_edu.metrics.format_table`)."""
        return format_table(self.table(by=by), digits=digits)

    def ratio(self, learned: str, oracle: str, metric: str = "SI-SDRi") -> float:
        """Mean ``metric`` of method ``learned`` divided by that of method ``oracle`` (meaningful only when
        both are positive and the oracle's value is not capped, e.g. the oracle IRM or PSM; a share of the
        oracle cIRM, which the metrics cap at 100 dB, means nothing)."""
        rows = self.table()
        for name in (learned, oracle):
            if name not in rows:
                raise SpecmaskInputError(f"No method called {name!r}; the methods are {self.methods}.")
        return rows[learned][metric] / rows[oracle][metric]

    def plot(self, metric: str = "SI-SDRi", ax=None, title: str | None = None, methods=None):
        """Bar chart of ``metric`` per noise type and method (see :func:`plot_comparison`)."""
        return plot_comparison(self, metric=metric, ax=ax, title=title, methods=methods)

    def _repr_markdown_(self):
        return self.markdown()


def evaluate(models: dict, snr_db: float = 0.0, oracles=("irm", "psm", "cirm"), examples=None,
             noises=None, with_stoi: bool = True) -> EvaluationResult:
    """Score learned models next to oracle masks on held-out mixtures.

    Parameters
    ----------
    models : dict {name: MaskEstimator}
        For example ``{"learned IRM (GRU)": model_irm, "learned cIRM (GRU)": model_cirm}``.
    snr_db : float
        Input SNR of the held-out mixtures (default 0 dB).
    oracles : sequence of str
        Oracle masks to compare with (names of :func:`specmask_edu.masks.oracle_mask`); shown as
        ``"oracle IRM"`` etc.
    examples : list of dict, optional
        Mixtures to use (each with ``"mixture"``, ``"target"``, ``"sr"``, ``"name"``, ``"speech"``,
        ``"noise"``); default :func:`~specmask_edu.learn.data.heldout_examples` ``(snr_db, noises)``.
    noises : sequence of str, optional
        Noise types of the default examples.
    with_stoi : bool
        Also compute STOI (about 30 ms per signal).

    Returns
    -------
    EvaluationResult
    """
    if isinstance(models, MaskEstimator):
        models = {"learned " + models.config.mask: models}
    if not isinstance(models, dict):
        raise SpecmaskInputError("`models` must be a dict {name: model}, e.g. {'learned IRM': model}.")
    for model in models.values():
        _check_model(model)
    if examples is None:
        examples = heldout_examples(snr_db=snr_db, noises=noises)
    if isinstance(oracles, str):
        oracles = (oracles,)
    methods = ["mixture", *models, *(ORACLE_LABELS.get(o, f"oracle {o}") for o in oracles)]
    result = EvaluationResult(methods=methods, snr_db=float(snr_db))
    configs = {m.config.stft_config() for m in models.values()} or {None}
    if len(configs) > 1:
        raise SpecmaskInputError("All models must use the same STFT settings to share the oracle comparison.")
    config = next(iter(configs))
    for ex in examples:
        y, s, sr = ex["mixture"], ex["target"], int(ex["sr"])
        estimates = {"mixture": y}
        for name, model in models.items():
            estimates[name] = separate_with_model(model, y)
        if oracles:
            S, Y = stft(s, config), stft(y, config)
            for o in oracles:
                estimates[ORACLE_LABELS.get(o, f"oracle {o}")] = separate(y, oracle_mask(o, S, Y), config)
        for method, estimate in estimates.items():
            record = {"example": ex.get("name", ""), "speech": ex.get("speech"), "noise": ex.get("noise"),
                      "method": method,
                      "kind": "mixture" if method == "mixture" else ("learned" if method in models else "oracle"),
                      "SI-SDRi": si_sdr_improvement(estimate, y, s), "SNR": snr(estimate, s)}
            if with_stoi:
                record["STOI"] = stoi(estimate, s, sr)
            result.records.append(record)
    return result


def best_mask_from_magnitudes(target, mixture, n_levels: int = 48, range_db=(-40.0, 20.0)) -> dict:
    r"""The best complex mask that is a function of magnitudes only — even of the true ones.

    Each bin is described by the two ratios a magnitude-only model could at best know exactly,
    :math:`|S|/|Y|` and :math:`|N|/|Y|` (in dB, clipped to ``range_db`` and cut into ``n_levels`` levels
    each). Within each cell of that grid, the complex mask that minimises the spectral error
    :math:`\sum |M Y - S|^2` over all bins of the cell is

    .. math:: M_	ext{cell} = rac{\sum S\,\overline{Y}}{\sum |Y|^2}.

    The magnitudes fix the angle between :math:`S` and :math:`Y` only up to its sign (a triangle with sides
    :math:`|S|, |N|, |Y|` can be mirrored), and both signs are about equally common, so the imaginary parts
    cancel: the result is nearly a real mask (close to the PSM). Taught in lesson 07.

    Parameters
    ----------
    target, mixture : complex ndarray (freq, frames)
        STFTs :math:`S` and :math:`Y` (or lists of them, to pool several mixtures into one grid).

    Returns
    -------
    dict
        ``"masks"`` (one per mixture, complex), ``"im_over_re"`` (:math:`\sum|\mathrm{Im}\,M| / \sum|\mathrm{Re}\,M|`
        over all bins) and ``"cells"`` (number of occupied cells).
    """
    targets = target if isinstance(target, (list, tuple)) else [target]
    mixtures = mixture if isinstance(mixture, (list, tuple)) else [mixture]
    if len(targets) != len(mixtures):
        raise SpecmaskInputError("Give as many target STFTs as mixture STFTs.")
    low, high = range_db
    tiny = 1e-12

    def cell(S, Y):
        ys = np.abs(Y) + tiny
        q = []
        for ratio in (np.abs(S) / ys, np.abs(Y - S) / ys):
            db = np.clip(20 * np.log10(ratio + tiny), low, high)
            q.append(np.minimum(((db - low) / (high - low) * n_levels).astype(int), n_levels - 1))
        return q[0] * n_levels + q[1]

    num = np.zeros(n_levels * n_levels, dtype=complex)
    den = np.zeros(n_levels * n_levels)
    cells = []
    for S, Y in zip(targets, mixtures):
        S, Y = np.asarray(S), np.asarray(Y)
        if S.shape != Y.shape or not np.iscomplexobj(Y):
            raise SpecmaskInputError("`target` and `mixture` must be complex STFTs of the same shape.")
        c = cell(S, Y)
        cells.append(c)
        np.add.at(num, c.ravel(), (S * np.conj(Y)).ravel())
        np.add.at(den, c.ravel(), (np.abs(Y) ** 2).ravel())
    value = np.where(den > 0, num / np.maximum(den, tiny), 0.0)
    masks = [value[c] for c in cells]
    all_m = np.concatenate([m.ravel() for m in masks])
    return {"masks": masks, "im_over_re": float(np.abs(all_m.imag).sum() / max(np.abs(all_m.real).sum(), tiny)),
            "cells": int(np.count_nonzero(den))}


def plot_comparison(result: EvaluationResult, metric: str = "SI-SDRi", ax=None, title: str | None = None,
                    methods=None):
    """Grouped bars: for each noise type (and "all"), the mean ``metric`` of every method.

    Drawn with :func:`specmask_edu.plots.plot_metrics` (groups = noise types, one bar per method).

    Parameters
    ----------
    methods : sequence of str, optional
        Which methods to draw, in order (default: all but ``"mixture"``). Leave out ``"oracle cIRM"`` to
        see the others: it rebuilds the target, so its bar reaches the 100 dB cap of the metrics.

    Returns the plot handle (``.fig``, ``.ax``).
    """
    from .. import plots

    if not isinstance(result, EvaluationResult):
        raise SpecmaskInputError("`result` must come from learn.evaluate(...).")
    by_noise = result.table(by="noise", metrics=(metric,))
    if methods is None:
        methods = [m for m in result.methods if m != "mixture"]
    elif isinstance(methods, str):
        methods = [methods]
    unknown = [m for m in methods if m not in by_noise]
    if unknown or not methods:
        raise SpecmaskInputError(f"Unknown method(s) {unknown}; the evaluation has {result.methods}.")
    groups = [g for g in (*NOISE_TYPES, "all") if g in by_noise[methods[0]]]
    groups += [g for g in by_noise[methods[0]] if g not in groups]
    rows = {g: {m: by_noise[m][g] for m in methods} for g in groups}
    if ax is None:
        _, ax = plots.get_figure("learn: comparison", figsize=(9, 3.6))
    unit = "dB" if metric != "STOI" else ""
    if title is None:
        title = f"{metric} on held-out mixtures at {result.snr_db:g} dB input SNR"
    fmt = "{:.1f}" if metric != "STOI" else "{:.2f}"
    handle = plots.plot_metrics(rows, metrics=methods, ax=ax, title=title, unit=unit, fmt=fmt)
    if len(methods) > 1:  # the legend beside the bars, where it hides no bar and no value
        handle.ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return handle


def compare_on_example(models: dict, example: dict, oracles=("irm", "psm", "cirm")) -> dict:
    """Masks and estimates of every learned model and oracle for one mixture (for plots and players).

    Returns
    -------
    dict
        ``"masks"`` ``{name: ndarray (freq, frames)}``, ``"estimates"`` ``{name: waveform}`` (including
        ``"mixture"`` and ``"clean target"``), ``"mixture_stft"``, ``"target_stft"`` and ``"config"``.
    """
    if isinstance(oracles, str):
        oracles = (oracles,)
    if not models:
        raise SpecmaskInputError("`models` must be a non-empty dict {name: model}.")
    config = next(iter(models.values())).config.stft_config()
    y, s = example["mixture"], example["target"]
    S, Y = stft(s, config), stft(y, config)
    masks = {name: estimate_mask(model, y) for name, model in models.items()}
    masks.update({ORACLE_LABELS.get(o, f"oracle {o}"): oracle_mask(o, S, Y) for o in oracles})
    estimates = {"mixture": y}
    estimates.update({name: separate(y, M, config) for name, M in masks.items()})
    estimates["clean target"] = s
    return {"masks": masks, "estimates": estimates, "mixture_stft": Y, "target_stft": S, "config": config}
