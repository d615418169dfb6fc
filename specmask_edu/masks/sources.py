r"""Masks for more than two sources: multi-source soft masks and harmonic-percussive (HPSS) masks.

Each set of masks shares one mixture; with the default parameters they sum to one in every bin.
Taught in ``notebooks/05_separating_instruments.ipynb``. Part of :mod:`specmask_edu.masks`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, as_stft, check_finite_number, check_same_shape
from ._common import EPS, _safe_divide


# --------------------------------------------------------------------------- soft masks


def soft_masks(sources, power: float = 2.0) -> list[np.ndarray]:
    r"""Soft masks for any number of sources that sum to one in every bin.

    .. math:: M_i = \frac{|S_i|^p}{\sum_j |S_j|^p}

    ``power=2`` gives the multi-source Wiener masks, ``power=1`` magnitude ratio masks. Range [0, 1];
    :math:`\sum_i M_i = 1` everywhere. Silent bins (all sources below ``EPS``): every mask is
    :math:`1/n`. Taught in ``notebooks/05_separating_instruments.ipynb``.

    Parameters
    ----------
    sources : sequence of complex ndarray (freq, frames)
        STFTs of the sources (at least two), all the same shape.
    power : float
        Exponent :math:`p > 0`.
    """
    if isinstance(sources, np.ndarray) and sources.ndim == 2:
        raise SpecmaskInputError("`sources` must be a list of STFTs (one per source), not a single STFT.")
    sources = [as_stft(s, f"sources[{i}]") for i, s in enumerate(sources)]
    if len(sources) < 2:
        raise SpecmaskInputError(f"`soft_masks` needs at least two sources, got {len(sources)}.")
    for i, s in enumerate(sources[1:], start=1):
        check_same_shape(s, sources[0], f"sources[{i}]", "sources[0]", "Use the same STFTConfig and length.")
    power = check_finite_number(power, "power")
    if power <= 0:
        raise SpecmaskInputError(f"`power` must be positive (1 or 2 are usual), got {power}.")
    return list(_soft_masks_from_magnitudes(np.stack([np.abs(s) for s in sources]), power))


def _soft_masks_from_magnitudes(magnitudes, power: float) -> np.ndarray:
    r""":func:`soft_masks` from the sources' magnitudes :math:`|S_i|`, stacked ``(n, freq, frames)``, without
    the checks: :math:`M_i = |S_i|^p / \sum_j |S_j|^p`, and :math:`1/n` where the sum is below ``EPS**p``.
    Returns the masks stacked the same way. The mixing console of lesson 05 keeps the magnitudes and calls
    this on every change of ``p``."""
    weights = np.asarray(magnitudes) ** power
    total = np.sum(weights, axis=0)
    return _safe_divide(weights, total, fill=1.0 / len(weights), threshold=EPS**power)


# --------------------------------------------------------------------------- harmonic-percussive separation


def hpss_masks(mixture, margin: float = 1.0, kernel_size=17, power: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Blind harmonic and percussive masks from the mixture alone (median-filtering HPSS).

    .. math::

        H = \operatorname{median}_\text{time}|Y|,\quad P = \operatorname{median}_\text{freq}|Y|,\qquad
        M_H = \frac{H^p}{H^p + (\mu P)^p},\quad M_P = \frac{P^p}{P^p + (\mu H)^p}

    with margin :math:`\mu`. Sustained notes are horizontal lines in a spectrogram (a median along time
    keeps them), drum hits are vertical lines (a median along frequency keeps them). With ``margin=1``
    the two masks sum to 1; a larger margin keeps only bins that are clearly one or the other, so
    :math:`1 - M_H - M_P` is a residual that belongs to neither. Computed by
    ``scipy.ndimage.median_filter`` and ``librosa.util.softmask``, exactly as
    ``librosa.decompose.hpss(..., mask=True)`` does (FitzGerald, 2010; Driedger et al., 2014). Range [0, 1].
    Taught in ``notebooks/05_separating_instruments.ipynb``.

    Parameters
    ----------
    mixture : complex ndarray (freq, frames)
        Mixture STFT. Long frames (``n_fft=2048`` at 16 kHz) resolve harmonics better.
    margin : float >= 1
        Separation margin :math:`\mu`.
    kernel_size : int or (int, int)
        Median filter lengths (harmonic in frames, percussive in bins).
    power : float > 0
        Exponent :math:`p` of the soft masks.

    Returns
    -------
    (harmonic_mask, percussive_mask) : two float64 arrays shaped like ``mixture``
    """
    Y = as_stft(mixture, "mixture")
    margin, power = _check_margin_power(margin, power)
    harmonic, percussive = hpss_medians(np.abs(Y), kernel_size)
    return hpss_soft_masks(harmonic, percussive, margin, power)


def _check_margin_power(margin, power):
    margin = check_finite_number(margin, "margin")
    if margin < 1.0:
        raise SpecmaskInputError(f"`margin` must be at least 1 (1 = the masks sum to one), got {margin}.")
    power = check_finite_number(power, "power")
    if power <= 0:
        raise SpecmaskInputError(f"`power` must be positive (2 is usual), got {power}.")
    return margin, power


def hpss_medians(magnitude, kernel_size=17) -> tuple[np.ndarray, np.ndarray]:
    r"""The two median-filtered spectrograms of HPSS, the first step of :func:`hpss_masks`.

    .. math:: H = \operatorname{median}_\text{time}|Y|,\qquad P = \operatorname{median}_\text{freq}|Y|

    computed with ``scipy.ndimage.median_filter`` (``mode="reflect"``), as ``librosa.decompose.hpss`` does.
    They depend only on the magnitude and the kernel lengths, so an explorer computes them once per kernel
    and re-weights them with :func:`hpss_soft_masks` for every margin and power. Taught in
    ``notebooks/05_separating_instruments.ipynb``.

    Parameters
    ----------
    magnitude : ndarray (freq, frames)
        Mixture magnitude :math:`|Y|` (>= 0).
    kernel_size : int or (int, int)
        Median filter lengths (harmonic in frames, percussive in bins).

    Returns
    -------
    (harmonic, percussive) : two arrays shaped like ``magnitude``, filtered along time and along frequency
    """
    magnitude = np.asarray(magnitude)
    if magnitude.ndim != 2 or np.iscomplexobj(magnitude):
        raise SpecmaskInputError(f"`magnitude` must be a real 2-D array (freq, frames), np.abs(Y); got shape "
                                 f"{magnitude.shape} and dtype {magnitude.dtype}.")
    sizes = np.atleast_1d(kernel_size)
    if sizes.size not in (1, 2) or not all(isinstance(k, (int, np.integer)) and k >= 1 for k in sizes.tolist()):
        raise SpecmaskInputError(f"`kernel_size` must be a positive whole number or a pair of them, got {kernel_size!r}.")
    win_harm, win_perc = (int(sizes[0]), int(sizes[-1]))
    n_freqs, n_frames = magnitude.shape
    # A median longer than twice the data only repeats reflected copies; the cost grows with the kernel.
    if win_harm > 2 * n_frames + 1 or win_perc > 2 * n_freqs + 1:
        raise SpecmaskInputError(
            f"`kernel_size` {kernel_size!r} is too long for this STFT of {n_frames} frames and {n_freqs} bins: "
            f"the limit is {2 * n_frames + 1} frames (harmonic) and {2 * n_freqs + 1} bins (percussive), twice "
            "the clip plus one. 17 or 31 are usual."
        )
    from scipy.ndimage import median_filter

    harmonic = median_filter(magnitude, size=(1, win_harm), mode="reflect")
    percussive = median_filter(magnitude, size=(win_perc, 1), mode="reflect")
    return harmonic, percussive


def hpss_soft_masks(harmonic, percussive, margin: float = 1.0, power: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Harmonic and percussive soft masks from the two medians of :func:`hpss_medians`.

    .. math:: M_H = \frac{H^p}{H^p + (\mu P)^p},\qquad M_P = \frac{P^p}{P^p + (\mu H)^p}

    with margin :math:`\mu \ge 1` and power :math:`p > 0`, computed by ``librosa.util.softmask`` as in
    ``librosa.decompose.hpss(..., mask=True)`` (with ``margin=1`` a bin where both are zero is split
    half and half, so the masks sum to one). Range [0, 1]. ``hpss_masks(Y, margin, kernel_size, power)``
    equals ``hpss_soft_masks(*hpss_medians(abs(Y), kernel_size), margin, power)``. Taught in
    ``notebooks/05_separating_instruments.ipynb``.
    """
    margin, power = _check_margin_power(margin, power)
    import librosa

    split_zeros = margin == 1.0
    mask_h = librosa.util.softmask(harmonic, percussive * margin, power=power, split_zeros=split_zeros)
    mask_p = librosa.util.softmask(percussive, harmonic * margin, power=power, split_zeros=split_zeros)
    return mask_h.astype(np.float64), mask_p.astype(np.float64)
