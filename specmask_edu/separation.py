r"""Applying a mask and going back to a waveform (taught in ``notebooks/02_real_masks.ipynb``).

.. math:: \hat S = M \odot Y, \qquad \hat s = \mathrm{iSTFT}(\hat S)

For a real mask this scales each bin's magnitude and keeps the mixture phase
(:math:`|\hat S| = M |Y|`, :math:`\angle \hat S = \angle Y`); a complex mask also rotates the phase.
"""

from __future__ import annotations

import numpy as np

from ._validation import SpecmaskInputError, as_mask, as_stft, as_waveform, check_same_shape
from .masks import oracle_mask
from .stft import STFTConfig, _as_config, istft, stft

__all__ = ["apply_mask", "separate", "oracle_separate", "oracle_improvements"]


def apply_mask(mixture_stft, mask) -> np.ndarray:
    r"""Multiply a mixture STFT by a mask, bin by bin.

    * Real mask :math:`M \ge 0`: :math:`\hat S = M |Y| e^{j\angle Y}`: the magnitude is scaled and the
      mixture phase kept (a negative real value, as in a raw PSM, flips the sign, i.e. adds π).
    * Complex mask: :math:`\hat S = M Y`: :math:`|\hat S| = |M||Y|` and
      :math:`\angle\hat S = \angle Y + \angle M`.

    Parameters
    ----------
    mixture_stft : complex ndarray (freq, frames)
    mask : real or complex ndarray, same shape

    Returns
    -------
    complex ndarray (freq, frames)
    """
    Y = as_stft(mixture_stft, "mixture_stft")
    M = as_mask(mask)
    check_same_shape(M, Y, "mask", "mixture_stft", "Compute the mask from STFTs made with the same STFTConfig.")
    # For a real mask, M * Y is exactly M |Y| e^{j angle Y}: the same thing, computed without a detour
    # through magnitude and phase.
    if np.iscomplexobj(M):
        return M * Y
    return M.astype(np.float64) * Y


def separate(mixture, mask, config: STFTConfig | None = None) -> np.ndarray:
    """Waveform in, waveform out: STFT of ``mixture``, apply ``mask``, inverse STFT to the same length.

    Parameters
    ----------
    mixture : ndarray (n_samples,)
        Mono mixture waveform.
    mask : ndarray (freq, frames)
        Real or complex mask shaped like ``stft(mixture, config)``.
    config : STFTConfig, optional

    Returns
    -------
    ndarray (n_samples,) of float64
    """
    config = _as_config(config)
    y = as_waveform(mixture, "mixture")
    Y = stft(y, config)
    return istft(apply_mask(Y, mask), config, length=len(y))


def oracle_separate(target, interference, mask: str = "irm", config: STFTConfig | None = None,
                    detail: bool = False, **mask_params):
    """Oracle separation in one call: mix, compute the named oracle mask from the true sources, separate.

    Parameters
    ----------
    target, interference : ndarray (n_samples,)
        Waveforms of the wanted source and of everything else; the mixture is their sum.
    mask : str
        ``"ibm"``, ``"irm"``, ``"wiener"``, ``"iam"``, ``"psm"``, ``"psm_raw"``, ``"cirm"`` or
        ``"cirm_bounded"`` (see :func:`specmask_edu.masks.oracle_mask`).
    config : STFTConfig, optional
    detail : bool
        If True, return a dict with ``estimate``, ``mixture``, ``mask``, ``target_stft``,
        ``mixture_stft`` and ``estimate_stft`` for plotting.
    **mask_params
        Passed to the mask (``lc_db=...`` for IBM, ``beta=...`` for IRM).

    Returns
    -------
    ndarray (n_samples,) or dict
    """
    config = _as_config(config)
    s = as_waveform(target, "target")
    n = as_waveform(interference, "interference")
    if s.shape != n.shape:
        raise SpecmaskInputError(
            f"`target` has {s.size} samples but `interference` has {n.size}; they must be the same length. "
            "Trim or pad one of them (e.g. interference[:len(target)])."
        )
    y = s + n
    S = stft(s, config)
    Y = stft(y, config)
    M = oracle_mask(mask, S, Y, **mask_params)
    S_hat = apply_mask(Y, M)
    estimate = istft(S_hat, config, length=len(y))
    if not detail:
        return estimate
    return {
        "estimate": estimate,
        "mixture": y,
        "mask": M,
        "target_stft": S,
        "mixture_stft": Y,
        "estimate_stft": S_hat,
    }


def oracle_improvements(target, noise, snr_dbs, masks=("ibm", "irm", "wiener", "iam", "psm", "psm_raw", "cirm"),
                        config: STFTConfig | None = None, include_random: bool = True, rng=0) -> dict:
    """SI-SDR improvement (dB) of oracle masks for a target mixed with a noise at several input SNRs.

    For each SNR in ``snr_dbs`` the noise is scaled with :func:`specmask_edu.audio.mix_at_snr`, every
    named oracle mask is computed from the true target and mixture, applied, and scored with
    :func:`specmask_edu.metrics.si_sdr_improvement`. With ``include_random`` the source article's random
    real and random complex masks are scored too, as a baseline.

    Returns
    -------
    dict
        ``{mask_name: {snr_db: improvement_db}}``, masks in the given order (random ones first).
        Used by ``notebooks/04_complex_masks.ipynb`` (real vs complex across SNRs) and the benchmark
        ``benchmarks/bench_core.py``.
    """
    from .audio import mix_at_snr
    from .masks import random_complex_mask, random_real_mask
    from .metrics import si_sdr
    from ._validation import as_rng

    config = _as_config(config)
    s = as_waveform(target, "target")
    generator = as_rng(rng)
    names = (["random_real", "random_complex"] if include_random else []) + list(masks)
    table = {name: {} for name in names}
    S = stft(s, config)
    for snr_db in snr_dbs:
        y, _ = mix_at_snr(s, noise, snr_db)
        Y = stft(y, config)
        baseline = si_sdr(y, s)  # the SI-SDRi of every mask is measured from the same mixture
        for name in names:
            if name == "random_real":
                M = random_real_mask(Y.shape, rng=generator)
            elif name == "random_complex":
                M = random_complex_mask(Y.shape, rng=generator)
            else:
                M = oracle_mask(name, S, Y)
            estimate = istft(apply_mask(Y, M), config, length=len(y))
            table[name][float(snr_db)] = si_sdr(estimate, s) - baseline
    return table
