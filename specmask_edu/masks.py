r"""Every spectral mask of the course, real-valued and complex.

Notation used in all docstrings: :math:`S` is the target STFT, :math:`Y` the mixture STFT and
:math:`N = Y - S` the interference, all complex arrays shaped ``(freq, frames)``. A mask :math:`M` gives
the estimate :math:`\hat S = M \odot Y` (see :func:`specmask_edu.separation.apply_mask`).

* Real-valued masks scale the magnitude and keep the mixture phase:
  random (the source article's baseline), IBM, IRM, Wiener, IAM, PSM, multi-source soft masks.
  Taught in ``notebooks/02_real_masks.ipynb`` and ``notebooks/03_phase_matters.ipynb`` (PSM).
* Complex masks also rotate the phase: random :math:`A e^{j\phi}`, cIRM :math:`S/Y`, polar construction,
  compression and bounding. Taught in ``notebooks/04_complex_masks.ipynb``.

Silent bins. No mask is ever NaN or infinite. Every division is guarded inside the division:
where the denominator is below ``EPS`` (``1e-12`` in STFT magnitude units) the mask takes a documented
value instead (see each function's *Silent bins* note).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import (
    SpecmaskInputError,
    as_mask,
    as_rng,
    as_stft,
    check_finite_number,
    check_number,
    check_same_shape,
    check_sr,
)
from .stft import _as_config

__all__ = [
    "EPS",
    "random_real_mask",
    "random_complex_mask",
    "ideal_binary_mask",
    "local_snr_db",
    "ideal_ratio_mask",
    "wiener_mask",
    "ideal_amplitude_mask",
    "phase_sensitive_mask",
    "soft_masks",
    "hpss_masks",
    "hpss_medians",
    "hpss_soft_masks",
    "lowpass_mask",
    "polar_mask",
    "complex_ideal_ratio_mask",
    "compress_mask",
    "decompress_mask",
    "bound_complex_mask",
    "oracle_mask",
    "ORACLE_MASKS",
    "MASKS",
    "MaskInfo",
    "mask_info",
    "mask_label",
    "ibm",
    "irm",
    "iam",
    "psm",
    "cirm",
]

#: Smallest denominator (STFT magnitude units) a mask divides by; below it the silent-bin value is used.
EPS = 1e-12


def _safe_divide(numerator, denominator, fill, threshold):
    """``numerator / denominator`` where ``|denominator| > threshold``, else ``fill`` (never NaN/Inf)."""
    numerator = np.asarray(numerator)
    denominator = np.asarray(denominator)
    out_dtype = np.result_type(numerator, denominator, np.float64)
    out = np.full(np.broadcast(numerator, denominator).shape, fill, dtype=out_dtype)
    np.divide(numerator, denominator, out=out, where=np.abs(denominator) > threshold)
    return out


def _target_and_mixture(target, mixture):
    S = as_stft(target, "target")
    Y = as_stft(mixture, "mixture")
    check_same_shape(
        S,
        Y,
        "target",
        "mixture",
        "Compute both with the same STFTConfig from waveforms of the same length.",
    )
    return S, Y


def _check_shape(shape):
    try:
        shape = tuple(int(s) for s in np.atleast_1d(shape))
    except (TypeError, ValueError):
        raise SpecmaskInputError(f"`shape` must be a tuple of sizes such as (257, 626), got {shape!r}.") from None
    if any(s <= 0 for s in shape):
        raise SpecmaskInputError(f"`shape` must contain positive sizes, got {shape}.")
    return shape


# --------------------------------------------------------------------------- random baselines


def random_real_mask(shape, rng=None) -> np.ndarray:
    r"""Random real mask, uniform in [0, 1): the baseline of the source article's script.

    .. math:: M[k, m] \sim \mathcal{U}[0, 1)

    The article used ``np.random.rand(*magnitude.shape)``; here the randomness comes from ``rng`` so the
    result is reproducible. A random mask knows nothing about the target, so it does not separate: it
    only lowers the level (by about 4.8 dB in power on average, since :math:`E[M^2] = 1/3`) and adds
    musical-noise-like fluctuations.

    Parameters
    ----------
    shape : tuple of int
        ``(freq, frames)``, usually ``X.shape`` of the STFT to mask.
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    ndarray of float64 in [0, 1)
    """
    return as_rng(rng).random(_check_shape(shape))


def random_complex_mask(shape, rng=None) -> np.ndarray:
    r"""Random complex mask :math:`A e^{j\phi}` as in the source article's script.

    .. math:: A \sim \mathcal{U}[0, 1), \quad \phi \sim \mathcal{U}[0, 2\pi), \quad M = A\, e^{j\phi}

    Besides scaling each bin like :func:`random_real_mask`, it scrambles the phase, so consecutive frames
    no longer add up coherently in the inverse STFT: the result sounds noisy and "phasey".

    Returns
    -------
    ndarray of complex128 with ``|M| < 1``
    """
    shape = _check_shape(shape)
    rng = as_rng(rng)
    amplitude = rng.random(shape)
    phase = rng.random(shape) * 2.0 * np.pi
    return polar_mask(amplitude, phase)


# --------------------------------------------------------------------------- real-valued oracle masks


def ideal_binary_mask(target, mixture, lc_db: float = 0.0) -> np.ndarray:
    r"""Ideal binary mask (IBM) with a local criterion ``lc_db``.

    .. math::

        M_\mathrm{IBM}[k, m] = \begin{cases} 1 & 10\log_{10}\dfrac{|S|^2}{|N|^2} > \mathrm{LC} \\
        0 & \text{otherwise} \end{cases}, \qquad N = Y - S

    Range: {0, 1} (float64). Silent bins (:math:`S = N = 0`): 0. The comparison is made as
    :math:`|S|^2 > 10^{\mathrm{LC}/10} |N|^2`, so there is no division at all.

    Parameters
    ----------
    target, mixture : complex ndarray (freq, frames)
        STFTs of the target and of the mixture.
    lc_db : float
        Local criterion in dB. Raising it keeps fewer bins (cleaner but more distorted); the usual values
        are between -10 and +5 dB.

    References
    ----------
    Wang, D. (2005). On ideal binary mask as the computational goal of auditory scene analysis.
    Wang, Y., Narayanan, A., & Wang, D. (2014). On training targets for supervised speech separation.
    IEEE/ACM TASLP 22(12).
    """
    S, Y = _target_and_mixture(target, mixture)
    lc_db = check_finite_number(lc_db, "lc_db")
    target_power = np.abs(S) ** 2
    interference_power = np.abs(Y - S) ** 2
    return (target_power > 10.0 ** (lc_db / 10.0) * interference_power).astype(np.float64)


def local_snr_db(target, mixture) -> np.ndarray:
    r"""The SNR of every time-frequency bin in dB, what the IBM compares with its local criterion:

    .. math:: \mathrm{SNR}[k, m] = 10\log_{10}\frac{|S[k,m]|^2}{|Y[k,m] - S[k,m]|^2}

    Powers below ``EPS**2`` count as ``EPS**2``, so a bin with no interference reads very high (240 dB for
    a unit-power target) and a silent target bin very low, never ``inf`` or NaN. Used in notebooks 03 (phase error
    against local SNR) and 07 (bins where target and noise are about equally loud).
    """
    S, Y = _target_and_mixture(target, mixture)
    floor = EPS**2
    return 10.0 * np.log10(np.maximum(np.abs(S) ** 2, floor) / np.maximum(np.abs(Y - S) ** 2, floor))


def ideal_ratio_mask(target, mixture, beta: float = 0.5) -> np.ndarray:
    r"""Ideal ratio mask (IRM) with exponent :math:`\beta`.

    .. math:: M_\mathrm{IRM} = \left(\frac{|S|^2}{|S|^2 + |N|^2}\right)^{\beta}, \qquad N = Y - S

    Range: [0, 1]. :math:`\beta = 0.5` (default) is the square-root Wiener-like IRM of Wang et al.;
    :math:`\beta = 1` is the Wiener mask (:func:`wiener_mask`). Smaller :math:`\beta` keeps more of the
    mixture, larger :math:`\beta` suppresses more. Silent bins (:math:`|S|^2 + |N|^2 < \mathrm{EPS}^2`):
    the ratio is taken as 1/2 (equal share), so Wiener masks of target and interference still sum to 1.

    References
    ----------
    Wang, Y., Narayanan, A., & Wang, D. (2014). On training targets for supervised speech separation.
    IEEE/ACM TASLP 22(12), 1849-1858.
    """
    S, Y = _target_and_mixture(target, mixture)
    beta = check_finite_number(beta, "beta")
    if beta <= 0:
        raise SpecmaskInputError(f"`beta` must be positive (0.5 or 1 are usual), got {beta}.")
    target_power = np.abs(S) ** 2
    total_power = target_power + np.abs(Y - S) ** 2
    ratio = _safe_divide(target_power, total_power, fill=0.5, threshold=EPS**2)
    return np.clip(ratio, 0.0, 1.0) ** beta


def wiener_mask(target, mixture) -> np.ndarray:
    r"""Wiener mask: the IRM with :math:`\beta = 1`.

    .. math:: M_\mathrm{W} = \frac{|S|^2}{|S|^2 + |N|^2}

    Range [0, 1]; the Wiener masks of target and interference sum to 1 in every bin. Silent bins: 1/2.
    It is the minimum-mean-square-error gain when target and interference are uncorrelated.
    """
    return ideal_ratio_mask(target, mixture, beta=1.0)


def ideal_amplitude_mask(target, mixture) -> np.ndarray:
    r"""Ideal amplitude mask (IAM, also called the spectral magnitude mask, FFT-mask).

    .. math:: M_\mathrm{IAM} = \frac{|S|}{|Y|}

    Range [0, ∞): unbounded, because target and interference can partly cancel so that
    :math:`|Y| < |S|`. Applied with the mixture phase it gives exactly the target magnitude.
    Silent mixture bins (:math:`|Y| <` ``EPS``): 0.

    References
    ----------
    Wang, Y., Narayanan, A., & Wang, D. (2014). On training targets for supervised speech separation.
    """
    S, Y = _target_and_mixture(target, mixture)
    return _safe_divide(np.abs(S), np.abs(Y), fill=0.0, threshold=EPS)


def phase_sensitive_mask(target, mixture, truncate=(0.0, 1.0)) -> np.ndarray:
    r"""Phase-sensitive mask (PSM): the real part of :math:`S/Y`.

    .. math:: M_\mathrm{PSM} = \mathrm{Re}\left(\frac{S}{Y}\right) = \frac{|S|}{|Y|}\cos(\theta_S - \theta_Y)

    It is the real mask that minimises :math:`|M Y - S|^2` in each bin: the best real gain **per bin, in the
    STFT domain**. It is not the best real mask for the waveform: the masked STFT is not consistent (lesson 01,
    section 5), and a real mask fitted through the inverse STFT
    (:func:`specmask_edu.separation.fit_real_mask`) reaches a clearly higher SNR (lesson 03, section 4).
    Raw range: :math:`(-\infty, \infty)`; with
    ``truncate=(0, 1)`` (default) it is clipped to [0, 1] as in Erdogan et al. The raw PSMs of all
    sources of a mixture sum to exactly 1. Silent mixture bins (:math:`|Y| <` ``EPS``): 0.

    Parameters
    ----------
    truncate : (low, high) or None
        Clip range; ``None`` returns the raw, untruncated mask.

    References
    ----------
    Erdogan, H., Hershey, J. R., Watanabe, S., & Le Roux, J. (2015). Phase-sensitive and
    recognition-boosted speech separation using deep recurrent neural networks. ICASSP.
    """
    raw = complex_ideal_ratio_mask(target, mixture).real  # PSM = Re(S / Y): the same silent-bin rule
    if truncate is None:
        return raw
    try:
        low, high = (float(v) for v in truncate)
    except (TypeError, ValueError):
        raise SpecmaskInputError(
            f"`truncate` must be a pair (low, high) such as (0, 1), or None for the raw mask; got {truncate!r}."
        ) from None
    if not low < high:
        raise SpecmaskInputError(f"`truncate` needs low < high, got {truncate!r}.")
    return np.clip(raw, low, high)


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
    weights = [np.abs(s) ** power for s in sources]
    total = np.sum(weights, axis=0)
    fill = 1.0 / len(sources)
    return [_safe_divide(w, total, fill=fill, threshold=EPS**power) for w in weights]


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


def lowpass_mask(shape, sr: float, cutoff_hz: float, config=None) -> np.ndarray:
    r"""A low-pass filter written as a mask: 1 below ``cutoff_hz``, 0 above, the same in every frame.

    .. math:: M[k, m] = \begin{cases} 1 & f_k < f_c \\ 0 & f_k \ge f_c \end{cases}, \qquad f_k = k\,\frac{sr}{n_{fft}}

    A mask that knows nothing about the target: applied to a clean signal it gives a muffled copy, the
    "same score, different sound" example of ``notebooks/06_evaluating_separation.ipynb``
    (``notebooks/02_real_masks.ipynb`` builds the same mask by hand in an exercise).

    Parameters
    ----------
    shape : (freq, frames)
        Shape of the STFT to filter; ``freq`` must be ``config.n_fft // 2 + 1``.
    sr : float
        Sample rate in Hz.
    cutoff_hz : float
        Cut-off frequency :math:`f_c` in Hz, 0 to ``sr / 2``.
    config : STFTConfig, optional
        The configuration of the STFT (default ``STFTConfig()``).
    """
    config = _as_config(config)
    shape = _check_shape(shape)
    if len(shape) != 2 or shape[0] != config.n_freqs:
        raise SpecmaskInputError(
            f"`shape` {shape} does not fit config.n_fft={config.n_fft} ({config.n_freqs} frequency rows). "
            "Pass X.shape of an STFT computed with the same STFTConfig."
        )
    sr = check_sr(sr)
    cutoff_hz = check_number(cutoff_hz, "cutoff_hz", low=0.0, high=sr / 2, unit="Hz",
                             hint=f"A cut-off lies between 0 and sr/2 = {sr / 2:g} Hz.")
    keep = (config.frequencies(sr) < cutoff_hz).astype(np.float64)
    return np.repeat(keep[:, None], shape[1], axis=1)


# --------------------------------------------------------------------------- complex masks


def polar_mask(amplitude, phase) -> np.ndarray:
    r"""Build a complex mask from an amplitude and a phase: :math:`M = A\, e^{j\phi}`.

    Parameters
    ----------
    amplitude : array_like, >= 0
        Gain :math:`A` of each bin (broadcast against ``phase``).
    phase : array_like
        Rotation :math:`\phi` in radians.

    Returns
    -------
    ndarray of complex128
    """
    A = np.asarray(amplitude, dtype=np.float64)
    phi = np.asarray(phase, dtype=np.float64)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(phi))):
        raise SpecmaskInputError("`amplitude` and `phase` must be finite.")
    if np.any(A < 0):
        raise SpecmaskInputError(
            "`amplitude` has negative values. A polar mask needs A >= 0; put a sign change into the phase "
            "instead (a negative gain is a rotation by pi)."
        )
    return A * np.exp(1j * phi)


def complex_ideal_ratio_mask(target, mixture) -> np.ndarray:
    r"""Complex ideal ratio mask (cIRM): :math:`M = S / Y`.

    .. math::

        M_\mathrm{cIRM} = \frac{S}{Y} = \frac{Y_r S_r + Y_i S_i}{Y_r^2 + Y_i^2}
        + j\,\frac{Y_r S_i - Y_i S_r}{Y_r^2 + Y_i^2}

    Applied to the mixture it gives the target exactly (magnitude and phase). Unbounded; the cIRMs of
    all sources of a mixture sum to 1. Silent mixture bins (:math:`|Y| <` ``EPS``): 0.
    For learning, compress it (:func:`compress_mask`) or bound it (:func:`bound_complex_mask`).

    References
    ----------
    Williamson, D. S., Wang, Y., & Wang, D. (2016). Complex ratio masking for monaural speech
    separation. IEEE/ACM TASLP 24(3), 483-492.
    """
    S, Y = _target_and_mixture(target, mixture)
    return _safe_divide(S * np.conj(Y), np.abs(Y) ** 2, fill=0.0, threshold=EPS**2)


def _check_k_c(K, C):
    K = check_finite_number(K, "K")
    C = check_finite_number(C, "C")
    if K <= 0 or C <= 0:
        raise SpecmaskInputError(f"`K` and `C` must be positive (Williamson et al. use K=10, C=0.1), got K={K}, C={C}.")
    return K, C


def compress_mask(mask, K: float = 10.0, C: float = 0.1) -> np.ndarray:
    r"""Compress a mask into (-K, K) with a hyperbolic tangent, on real and imaginary parts separately.

    .. math:: \tilde M = K \tanh\!\left(\frac{C\, M}{2}\right) = K\,\frac{1 - e^{-C M}}{1 + e^{-C M}}
              \quad\text{(for the real and the imaginary part)}

    This is the bounded training target of Williamson et al. (2016): ``K`` sets the range, ``C`` the
    steepness. A real mask stays real. Values whose :math:`|C M / 2|` exceeds about 19 saturate at
    :math:`\pm K` in float64 and cannot be recovered exactly.

    References
    ----------
    Williamson, D. S., Wang, Y., & Wang, D. (2016). Complex ratio masking for monaural speech separation.
    """
    K, C = _check_k_c(K, C)
    M = as_mask(mask)
    if np.iscomplexobj(M):
        return K * np.tanh(C * M.real / 2.0) + 1j * (K * np.tanh(C * M.imag / 2.0))
    return K * np.tanh(C * M.astype(np.float64) / 2.0)


def decompress_mask(compressed, K: float = 10.0, C: float = 0.1) -> np.ndarray:
    r"""Exact inverse of :func:`compress_mask` for any ``K`` and ``C``.

    .. math:: M = \frac{2}{C}\,\operatorname{artanh}\!\left(\frac{\tilde M}{K}\right)
              = -\frac{1}{C}\ln\frac{K - \tilde M}{K + \tilde M}

    Values at or beyond :math:`\pm K` (which a network's output can reach) are clipped just inside the
    open interval, so the result is always finite.
    """
    K, C = _check_k_c(K, C)
    Mc = as_mask(compressed, "compressed")
    limit = np.nextafter(1.0, 0.0)

    def _inverse(part):
        return (2.0 / C) * np.arctanh(np.clip(part / K, -limit, limit))

    if np.iscomplexobj(Mc):
        return _inverse(Mc.real) + 1j * _inverse(Mc.imag)
    return _inverse(Mc.astype(np.float64))


def bound_complex_mask(mask, method: str = "tanh") -> np.ndarray:
    r"""Bound a complex mask's magnitude to at most 1, keeping its phase.

    .. math::

        M_b = \tanh(|M|)\, e^{j \angle M} \quad (\texttt{method="tanh"}), \qquad
        M_b = \min(|M|, 1)\, e^{j \angle M} \quad (\texttt{method="clip"})

    Range: :math:`|M_b| \le 1` (``"tanh"``: below 1, reached in float64 once :math:`|M| > 19`). Zero stays
    zero; the phase is never changed.

    The two are not the same bound. ``"tanh"`` is the output layer of DCCRN (Hu et al., 2020): it squashes a
    **network's output**, whose magnitude the network learns to push where it needs it. Applied to the oracle
    cIRM it shrinks **every** bin, not only those with :math:`|M| > 1`: :math:`\tanh 1 = 0.76`,
    :math:`\tanh 0.5 = 0.46`. On lesson 04's clip (0 dB babble) the estimate comes out about 2.4 dB too quiet,
    so its SNR (12.05 dB) is no better than the truncated PSM's (12.11 dB), while its SI-SDR (21.4 dB), which
    ignores the overall level, stays high. ``"clip"`` caps the magnitude at 1 and leaves every other bin exact: it costs
    accuracy only where :math:`|M| > 1` (target and interference partly cancel, :math:`|S| > |Y|`), and on the
    same clip reaches about 19.7 dB SNR (20.5 dB SI-SDR). Taught in ``notebooks/04_complex_masks.ipynb``.

    Parameters
    ----------
    mask : complex (or real) ndarray
    method : ``"tanh"`` (default) or ``"clip"``

    References
    ----------
    Hu, Y., et al. (2020). DCCRN: Deep complex convolution recurrent network for phase-aware speech
    enhancement. Interspeech.
    """
    M = as_mask(mask)
    magnitude = np.abs(M)
    if method == "tanh":
        bounded = np.tanh(magnitude)
    elif method == "clip":
        bounded = np.minimum(magnitude, 1.0)
    else:
        raise SpecmaskInputError(
            f"`method` must be 'tanh' (DCCRN's squashing, shrinks every bin) or 'clip' (caps |M| at 1, "
            f"keeps every other bin), got {method!r}."
        )
    return bounded * np.exp(1j * np.angle(M))


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class MaskInfo:
    """One entry of the mask registry :data:`MASKS`.

    Attributes
    ----------
    name : str
        Short name used in code (``oracle_mask(name, ...)``, ``oracle_separate(..., mask=name)``).
    label : str
        Display label for tables, legends and explorers (``"IRM"``, ``"cIRM"``...).
    kind : str
        ``"real"`` (scales the magnitude, keeps the mixture phase) or ``"complex"`` (also rotates the phase).
    value_range : str
        The mask's range, e.g. ``"[0, 1]"``, ``"{0, 1}"``, ``"[0, inf)"``, ``"|M| < 1"``.
    function : callable
        Oracle masks: ``function(target_stft, mixture_stft, **params)``; random masks:
        ``function(shape, rng=None)``.
    params : tuple of str
        Keyword parameters the function accepts (``("lc_db",)`` for the IBM).
    oracle : bool
        True for masks computed from the true target (the oracles), False for the random baselines.
    """

    name: str
    label: str
    kind: str
    value_range: str
    function: Callable
    params: tuple = ()
    oracle: bool = True


def _psm_raw(target, mixture):
    return phase_sensitive_mask(target, mixture, truncate=None)


def _cirm_bounded(target, mixture):
    return bound_complex_mask(complex_ideal_ratio_mask(target, mixture))


#: Every mask of the course by short name: label, real/complex, range and function. Tables, plots, the
#: separation helpers and the explorers take their names and labels from here.
MASKS = {
    info.name: info
    for info in (
        MaskInfo("random_real", "random real", "real", "[0, 1)", random_real_mask, ("rng",), oracle=False),
        MaskInfo("random_complex", "random complex", "complex", "|M| < 1", random_complex_mask, ("rng",),
                 oracle=False),
        MaskInfo("ibm", "IBM", "real", "{0, 1}", ideal_binary_mask, ("lc_db",)),
        MaskInfo("irm", "IRM", "real", "[0, 1]", ideal_ratio_mask, ("beta",)),
        MaskInfo("wiener", "Wiener", "real", "[0, 1]", wiener_mask),
        MaskInfo("iam", "IAM", "real", "[0, inf)", ideal_amplitude_mask),
        MaskInfo("psm", "PSM", "real", "[0, 1]", phase_sensitive_mask, ("truncate",)),
        MaskInfo("psm_raw", "raw PSM", "real", "(-inf, inf)", _psm_raw),
        MaskInfo("cirm", "cIRM", "complex", "unbounded", complex_ideal_ratio_mask),
        MaskInfo("cirm_bounded", "bounded cIRM", "complex", "|M| < 1", _cirm_bounded),
    )
}

#: Oracle masks by short name: each takes ``(target, mixture, **params)`` (the oracle entries of :data:`MASKS`).
ORACLE_MASKS = {name: info.function for name, info in MASKS.items() if info.oracle}


def mask_info(name: str) -> MaskInfo:
    """The registry entry of a mask by its short name (case-insensitive), or an error naming the choices."""
    key = name.lower() if isinstance(name, str) else name
    if key not in MASKS:
        close = difflib.get_close_matches(key, MASKS, n=1) if isinstance(key, str) else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SpecmaskInputError(f"Unknown mask {name!r}. Choose one of {sorted(MASKS)}.{hint}")
    return MASKS[key]


def mask_label(name: str) -> str:
    """Display label of a mask by short name (``mask_label("cirm") == "cIRM"``)."""
    return mask_info(name).label


def oracle_mask(name: str, target, mixture, **params) -> np.ndarray:
    """Compute an oracle mask by its short name (``"ibm"``, ``"irm"``, ``"wiener"``, ``"iam"``,
    ``"psm"``, ``"psm_raw"``, ``"cirm"``, ``"cirm_bounded"``; see :data:`MASKS`), passing ``params`` on
    (``lc_db`` for IBM, ``beta`` for IRM, ``truncate`` for PSM); a parameter the mask does not take is refused.
    """
    info = mask_info(name)
    if not info.oracle:
        raise SpecmaskInputError(
            f"{name!r} is not an oracle mask (it needs no target). Choose one of {sorted(ORACLE_MASKS)}, or call "
            f"{info.function.__name__}(Y.shape, rng=...) for the random baseline."
        )
    unknown = sorted(set(params) - set(info.params))
    if unknown:
        takes = f"takes only {', '.join(info.params)}" if info.params else "takes no parameters"
        raise SpecmaskInputError(
            f"The {info.label} mask ({info.name!r}) {takes}, not {', '.join(unknown)}. "
            "(beta is the IRM's exponent, lc_db the IBM's local criterion.)"
        )
    return info.function(target, mixture, **params)


# Short aliases (the full names above are the documented ones).
ibm = ideal_binary_mask
irm = ideal_ratio_mask
iam = ideal_amplitude_mask
psm = phase_sensitive_mask
cirm = complex_ideal_ratio_mask
