r"""Two ways to tell a mask estimator what is right (taught in ``notebooks/07_learning_masks.ipynb``).

**Mask approximation (MA)** compares the network output with the oracle mask, bin by bin:

.. math:: \mathcal{L}_\mathrm{MA} = \frac{1}{KM}\sum_{k,m} \big(\hat M[k,m] - M^\star[k,m]\big)^2

Every bin counts the same, loud or silent: a wrong gain in a bin where there is almost no energy costs
as much as in a loud one, although it changes the sound very little.

**Signal approximation (SA)** applies the estimated mask to the mixture and compares the result with
the target spectrum, so each bin is weighted by its energy:

.. math::

    \mathcal{L}_\mathrm{SA} = \frac{\sum_{k,m} \big|\hat S[k,m] - S_\star[k,m]\big|^2}{\sum_{k,m} |Y[k,m]|^2}

with, depending on ``kind``:

* ``"magnitude"`` (real mask): :math:`\hat S = \hat M |Y|`, :math:`S_\star = |S|` — magnitude SA;
* ``"phase_sensitive"`` (real mask): :math:`\hat S = \hat M |Y|`,
  :math:`S_\star = |S|\cos(\angle S - \angle Y)` — the PSA of Erdogan et al. (2015), whose best real
  mask is the PSM; it equals the complex-spectrum error of a real mask up to a constant;
* ``"complex"`` (complex mask): :math:`\hat S = \hat M Y`, :math:`S_\star = S` — the complex-spectrum error.

Dividing by the mixture energy makes the loss independent of the level of the clip.

**SDR loss** is signal approximation measured in decibels, one value per mixture, then averaged:

.. math::

    \mathcal{L}_\mathrm{SDR} = \frac{1}{B}\sum_{b=1}^{B} 10\log_{10}\left(
    \frac{\sum_{k,m} |\hat M Y_b - S_b|^2}{\sum_{k,m} |S_b|^2} + 10^{-4}\right)

i.e. minus the signal-to-distortion ratio of each masked spectrum (floored at 40 dB). Averaging decibels,
as the evaluation does, gives a hard mixture (babble at -5 dB) as much say as an easy one; with the
energy ratio above, the easy mixtures with much energy dominate. The complex-spectrum error is used
(for a real mask it differs from the phase-sensitive error by a term the mask cannot change).

**Compressed loss** (``loss="compressed"``, the recipe of GTCRN, Rong et al. 2024) compares power-law
compressed spectra (:math:`X_c = |X|^{0.3} e^{j\angle X}`) of the estimate :math:`\hat S` and the target
:math:`S`, and adds the SI-SDR of the reconstructed waveforms (inverse STFT inside the graph,
``torch.istft``, so the gradient reaches the network through the waveform):

.. math::

    \mathcal{L}_\mathrm{c} = 30\,\overline{(\Re\hat S_c - \Re S_c)^2 + (\Im\hat S_c - \Im S_c)^2}
    + 70\,\overline{(|\hat S|^{0.3} - |S|^{0.3})^2} - \frac{\mathrm{SI\text{-}SDR}(\hat s, s)}{10\ \mathrm{dB}}

(bars: means over bins and batch; the last term is the SI-SDR in bels, averaged over the batch, as in
GTCRN's code). Compression makes quiet bins count more than in signal approximation, and the SI-SDR
term measures the waveform the way the evaluation does (scale-free). Tensors follow the
layout of :mod:`specmask_edu.learn.data`: STFTs ``(batch, 2, freq, frames)`` (real, imaginary), real masks
``(batch, freq, frames)``, complex masks ``(batch, 2, freq, frames)``.
"""

from __future__ import annotations

import torch

from .._validation import SpecmaskInputError
from .models import compress_spectrum

__all__ = ["SIGNAL_KINDS", "LOSSES", "COMPRESSED_WEIGHTS", "mask_approximation_loss", "signal_approximation_loss",
           "sdr_loss", "compressed_loss", "si_sdr_torch", "compute_loss"]

#: Signal-approximation variants: name -> does it need a complex mask?
SIGNAL_KINDS = {"magnitude": False, "phase_sensitive": False, "complex": True}
#: Training losses: name -> what it is.
LOSSES = {
    "mask": "mask approximation (MSE to the oracle mask)",
    "signal": "signal approximation (spectrum error / mixture energy)",
    "sdr": "signal approximation in dB (minus the SDR of each masked spectrum)",
    "compressed": "30 x compressed Re/Im MSE + 70 x compressed magnitude MSE - SI-SDR/10 of the waveform (GTCRN)",
}
#: Weights (complex, magnitude, SI-SDR) of :func:`compressed_loss`.
COMPRESSED_WEIGHTS = (30.0, 70.0, 1.0)


def mask_approximation_loss(output: torch.Tensor, target_mask: torch.Tensor) -> torch.Tensor:
    r"""Mean squared error between the network output and the oracle (training-target) mask."""
    if output.shape != target_mask.shape:
        raise SpecmaskInputError(
            f"The model output has shape {tuple(output.shape)} but the target mask {tuple(target_mask.shape)}: "
            "train with a dataset made for the same mask kind (MixtureDataset(mask=model.config.mask))."
        )
    return torch.mean((output - target_mask) ** 2)


def _energy(x):
    return x[:, 0] ** 2 + x[:, 1] ** 2


def signal_approximation_loss(mask: torch.Tensor, mixture: torch.Tensor, target: torch.Tensor,
                              kind: str | None = None) -> torch.Tensor:
    r"""Error of the masked mixture against the target, relative to the mixture energy (see module).

    Parameters
    ----------
    mask : tensor
        Real ``(batch, freq, frames)`` or complex ``(batch, 2, freq, frames)`` mask (after
        :meth:`~specmask_edu.learn.models.MaskEstimator.output_to_mask`).
    mixture, target : tensor ``(batch, 2, freq, frames)``
        STFTs :math:`Y` and :math:`S`.
    kind : {"magnitude", "phase_sensitive", "complex"} or None
        Default: ``"phase_sensitive"`` for a real mask, ``"complex"`` for a complex one.
    """
    is_complex = mask.ndim == 4
    if kind is None:
        kind = "complex" if is_complex else "phase_sensitive"
    if kind not in SIGNAL_KINDS:
        raise SpecmaskInputError(f"Unknown signal-approximation kind {kind!r}; choose one of {list(SIGNAL_KINDS)}.")
    if SIGNAL_KINDS[kind] != is_complex:
        need = "a complex mask (batch, 2, freq, frames)" if SIGNAL_KINDS[kind] else "a real mask (batch, freq, frames)"
        raise SpecmaskInputError(f"Signal approximation {kind!r} needs {need}; got shape {tuple(mask.shape)}.")
    mixture_energy = _energy(mixture)
    if kind == "complex":
        est_re, est_im = _masked(mask, mixture)
        error = (est_re - target[:, 0]) ** 2 + (est_im - target[:, 1]) ** 2
    else:
        mixture_mag = torch.sqrt(mixture_energy + 1e-20)
        if kind == "magnitude":
            wanted = torch.sqrt(_energy(target) + 1e-20)
        else:  # |S| cos(angle S - angle Y) = Re(S conj(Y)) / |Y|
            wanted = (target[:, 0] * mixture[:, 0] + target[:, 1] * mixture[:, 1]) / mixture_mag
        error = (mask * mixture_mag - wanted) ** 2
    per_item = error.sum(dim=(1, 2)) / mixture_energy.sum(dim=(1, 2)).clamp_min(1e-12)
    return per_item.mean()


def _masked(mask, mixture):
    """Real and imaginary parts of mask * mixture (real mask: both parts scaled)."""
    if mask.ndim == 4:
        return (mask[:, 0] * mixture[:, 0] - mask[:, 1] * mixture[:, 1],
                mask[:, 0] * mixture[:, 1] + mask[:, 1] * mixture[:, 0])
    return mask * mixture[:, 0], mask * mixture[:, 1]


def sdr_loss(mask: torch.Tensor, mixture: torch.Tensor, target: torch.Tensor, floor: float = 1e-4) -> torch.Tensor:
    r"""Minus the SDR (dB) of each masked spectrum :math:`\hat M Y` against :math:`S`, averaged over the
    batch (see the module docstring); ``floor`` caps the SDR at :math:`-10\log_{10}(\text{floor})` = 40 dB."""
    est_re, est_im = _masked(mask, mixture)
    error = ((est_re - target[:, 0]) ** 2 + (est_im - target[:, 1]) ** 2).sum(dim=(1, 2))
    reference = _energy(target).sum(dim=(1, 2)).clamp_min(1e-12)
    return (10.0 * torch.log10(error / reference + floor)).mean()


def si_sdr_torch(estimate: torch.Tensor, reference: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    r"""SI-SDR in dB of each row of ``estimate`` against ``reference`` (``(batch, samples)``), zero-mean, as
    :func:`specmask_edu.metrics.si_sdr` computes it, differentiable; ``eps`` keeps silent rows finite."""
    estimate = estimate - estimate.mean(dim=-1, keepdim=True)
    reference = reference - reference.mean(dim=-1, keepdim=True)
    alpha = (estimate * reference).sum(-1, keepdim=True) / ((reference ** 2).sum(-1, keepdim=True) + eps)
    projection = alpha * reference
    noise = estimate - projection
    return 10 * torch.log10(((projection ** 2).sum(-1) + eps) / ((noise ** 2).sum(-1) + eps))


def _istft(spectrum, n_fft, hop_length, length):
    window = torch.hann_window(n_fft, dtype=spectrum.dtype, device=spectrum.device)
    return torch.istft(torch.complex(spectrum[:, 0], spectrum[:, 1]), n_fft=n_fft, hop_length=hop_length,
                       window=window, center=True, length=length)


def compressed_loss(estimate: torch.Tensor, target: torch.Tensor, n_fft: int = 512, hop_length: int = 128,
                    weights=COMPRESSED_WEIGHTS) -> torch.Tensor:
    """The compressed loss of GTCRN (see the module docstring) of an estimated STFT ``(batch, 2, freq,
    frames)`` against the target STFT; ``n_fft`` and ``hop_length`` are the STFT's (Hann window, centred)."""
    if estimate.shape != target.shape or estimate.ndim != 4 or estimate.shape[1] != 2:
        raise SpecmaskInputError(
            f"compressed_loss needs two STFT tensors shaped (batch, 2, freq, frames); got {tuple(estimate.shape)} "
            f"and {tuple(target.shape)}."
        )
    w_complex, w_magnitude, w_sisdr = weights
    er, ei, em = compress_spectrum(estimate[:, 0], estimate[:, 1])
    tr, ti, tm = compress_spectrum(target[:, 0], target[:, 1])
    loss = w_complex * (torch.mean((er - tr) ** 2) + torch.mean((ei - ti) ** 2))
    loss = loss + w_magnitude * torch.mean((em - tm) ** 2)
    if w_sisdr:
        length = hop_length * (target.shape[-1] - 1)
        s_hat = _istft(estimate, n_fft, hop_length, length)
        s = _istft(target, n_fft, hop_length, length)
        loss = loss - w_sisdr * si_sdr_torch(s_hat, s).mean() / 10.0
    return loss


def compute_loss(model, batch: dict, loss: str = "mask", signal_kind: str | None = None) -> torch.Tensor:
    """Run ``model`` on a batch of :class:`~specmask_edu.learn.data.MixtureDataset` items and return the loss.

    Parameters
    ----------
    loss : {"mask", "signal", "sdr", "compressed"}
        Mask approximation (for a mapping model: MSE to the compressed clean spectrum), signal
        approximation, signal approximation in dB (:func:`sdr_loss`), or the compressed loss of GTCRN
        (:func:`compressed_loss`).
    signal_kind : str or None
        Variant of signal approximation (see :func:`signal_approximation_loss`).
    """
    if loss == "signal" and model.config.is_mapping:
        raise SpecmaskInputError(
            f"A {model.config.mask} model predicts the compressed spectrum |S|^0.3: the plain signal-approximation "
            "error barely moves it (its gradient vanishes as the output shrinks). Train it with loss='mask' (the "
            "error of the compressed spectra), 'compressed' or 'sdr'."
        )
    if loss == "mask" and "target_mask" not in batch:
        raise SpecmaskInputError(
            "loss='mask' needs each item's oracle target mask, but this batch has none: make the "
            "MixtureDataset with with_target_mask=True (the default)."
        )
    output = model(batch["mixture"])
    if loss == "mask":
        return mask_approximation_loss(output, batch["target_mask"])
    if loss == "signal":
        return signal_approximation_loss(model.output_to_mask(output, batch["mixture"]), batch["mixture"],
                                         batch["target"], signal_kind)
    if loss == "sdr":
        return sdr_loss(model.output_to_mask(output, batch["mixture"]), batch["mixture"], batch["target"])
    if loss == "compressed":
        return compressed_loss(model.estimate_spectrum(output, batch["mixture"]), batch["target"],
                               n_fft=model.config.n_fft, hop_length=model.config.hop_length)
    raise SpecmaskInputError(f"`loss` must be one of {list(LOSSES)}, got {loss!r}.")
