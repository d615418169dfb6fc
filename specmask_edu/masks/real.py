r"""Real-valued masks: they scale the magnitude and keep the mixture phase.

The random baseline of the source article, the IBM, the local SNR it thresholds, the IRM, the Wiener
mask, the IAM, the phase-sensitive mask (PSM) and a low-pass filter written as a mask. Notation:
:math:`S` target, :math:`Y` mixture, :math:`N = Y - S` interference STFTs, estimate :math:`\hat S = M \odot Y`.
Taught in ``notebooks/02_real_masks.ipynb`` and ``notebooks/03_phase_matters.ipynb`` (PSM).
Part of :mod:`specmask_edu.masks`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, as_rng, check_finite_number, check_number, check_sr
from ..stft import _as_config
from ._common import EPS, _check_shape, _safe_divide, _target_and_mixture
from .complex import complex_ideal_ratio_mask  # the PSM is Re(cIRM)


# --------------------------------------------------------------------------- random baseline


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


# --------------------------------------------------------------------------- a filter as a mask


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
