r"""Applying a mask and going back to a waveform (taught in ``notebooks/02_real_masks.ipynb``).

.. math:: \hat S = M \odot Y, \qquad \hat s = \mathrm{iSTFT}(\hat S)

For a real mask this scales each bin's magnitude and keeps the mixture phase
(:math:`|\hat S| = M |Y|`, :math:`\angle \hat S = \angle Y`); a complex mask also rotates the phase.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    SpecmaskInputError,
    as_mask,
    as_rng,
    as_stft,
    as_waveform,
    check_positive_int,
    check_same_length,
    check_same_shape,
)
from .audio import mix_at_snr
from .masks import MASKS, oracle_mask, phase_sensitive_mask
from .metrics import si_sdr
from .stft import STFTConfig, _as_config, istft, stft

__all__ = ["apply_mask", "resynthesize", "separate", "sweep", "oracle_separate", "oracle_improvements",
           "fit_real_mask"]


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


def resynthesize(mixture_stft, mask, config: STFTConfig | None = None, length: int | None = None) -> np.ndarray:
    r"""Apply a mask to a mixture STFT and go back to a waveform: :math:`\hat s = \mathrm{iSTFT}(M \odot Y)`.

    The one "mask, then inverse STFT" of the package: :func:`separate`, the oracle helpers, the demo and
    the explorers all call it.

    Parameters
    ----------
    mixture_stft : complex ndarray (freq, frames)
    mask : real or complex ndarray, same shape (see :func:`apply_mask`)
    config : STFTConfig, optional
        The configuration the STFT was made with.
    length : int, optional
        Output length in samples; pass ``len(mixture)`` to get exactly the mixture's length.

    Returns
    -------
    ndarray (length,) of float64
    """
    return istft(apply_mask(mixture_stft, mask), _as_config(config), length=length)


def sweep(mixture_stft, make_mask, values, reference, config: STFTConfig | None = None, metric=None,
          detail: bool = False) -> dict:
    """Score a family of masks: for each value ``v`` of a parameter, ``make_mask(v)`` gives a mask, it is
    applied (:func:`resynthesize`, to ``len(reference)`` samples) and the estimate is scored against
    ``reference``.

    Notebooks and explorers share it for curves such as "SI-SDR against the IBM's local criterion"
    (``sweep(Y, lambda lc: ideal_binary_mask(S, Y, lc), range(-20, 21, 2), s)``).

    Parameters
    ----------
    mixture_stft : complex ndarray (freq, frames)
    make_mask : callable value -> mask (freq, frames)
    values : iterable of parameter values
    reference : ndarray (n_samples,)
        The clean target the estimates are scored against.
    config : STFTConfig, optional
    metric : callable (estimate, reference) -> float, optional
        Default :func:`specmask_edu.metrics.si_sdr` (dB).
    detail : bool
        If True, each value maps to a dict with ``mask``, ``estimate`` and ``score``.

    Returns
    -------
    dict ``{value: score}`` in the order of ``values`` (or ``{value: {...}}`` with ``detail=True``)
    """
    if not callable(make_mask):
        raise SpecmaskInputError("`make_mask` must be a function value -> mask, e.g. lambda lc: ibm(S, Y, lc).")
    ref = as_waveform(reference, "reference")
    metric = si_sdr if metric is None else metric
    config = _as_config(config)
    out = {}
    for value in values:
        mask = make_mask(value)
        estimate = resynthesize(mixture_stft, mask, config, length=ref.size)
        score = float(metric(estimate, ref))
        out[value] = {"mask": mask, "estimate": estimate, "score": score} if detail else score
    return out


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
    return resynthesize(stft(y, config), mask, config, length=len(y))


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
    check_same_length(s, n, "target", "interference")
    y = s + n
    S = stft(s, config)
    Y = stft(y, config)
    M = oracle_mask(mask, S, Y, **mask_params)
    estimate = resynthesize(Y, M, config, length=len(y))
    if not detail:
        return estimate
    S_hat = apply_mask(Y, M)
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
            info = MASKS[name] if name in MASKS else None
            if info is not None and not info.oracle:  # the random baselines of the source article
                M = info.function(Y.shape, rng=generator)
            else:
                M = oracle_mask(name, S, Y)
            estimate = resynthesize(Y, M, config, length=len(y))
            table[name][float(snr_db)] = si_sdr(estimate, s) - baseline
    return table


def _istft_adjoint(residual, config: STFTConfig, n_frames: int) -> np.ndarray:
    r"""The adjoint of ``X -> istft(X, config, length=len(residual))`` for the real inner product
    :math:`\langle X, Z\rangle = \mathrm{Re}\sum \overline{X} Z`: divide by the summed squared windows, analyse
    with the same windowed frames (zero padding at the ends), and weight bin :math:`k` by :math:`c_k / N`
    (:math:`c_k = 1` for DC and Nyquist, 2 otherwise: the half spectrum stands for both halves). So
    :math:`\sum_n \mathrm{istft}(X)[n]\, r[n] = \mathrm{Re}\sum \overline{X}\, \mathrm{adjoint}(r)` (a test checks it).
    """
    import librosa

    n_fft = config.n_fft
    start = n_fft // 2 if config.center else 0
    window_sum = librosa.filters.window_sumsquare(window=config.window, n_frames=n_frames, win_length=n_fft,
                                                  n_fft=n_fft, hop_length=config.hop_length, dtype=np.float64)
    window_sum = window_sum[start:start + residual.size]
    if window_sum.size < residual.size:  # istft pads with zeros beyond the last frame: those samples are constant
        window_sum = np.concatenate([window_sum, np.zeros(residual.size - window_sum.size)])
    nonzero = window_sum > np.finfo(np.float64).tiny  # where librosa's istft divides (elsewhere it does not)
    scaled = np.where(nonzero, residual / np.where(nonzero, window_sum, 1.0), residual)
    weights = np.full(config.n_freqs, 2.0 / n_fft)
    weights[0] = 1.0 / n_fft
    if n_fft % 2 == 0:
        weights[-1] = 1.0 / n_fft
    # the same windowed frames as stft(), with zero padding at both ends (librosa's default pad_mode)
    frames = librosa.stft(scaled, n_fft=n_fft, hop_length=config.hop_length, window=config.window,
                           center=config.center, pad_mode="constant", dtype=np.complex128)
    return frames[:, :n_frames] * weights[:, None]


def fit_real_mask(target, mixture, config: STFTConfig | None = None, n_iter: int = 50, bounds=None,
                  detail: bool = False):
    r"""A real mask fitted *through the inverse STFT*: the real mask whose waveform is closest to the target.

    The phase-sensitive mask :math:`\mathrm{Re}(S/Y)` is the best real gain **per bin**: it minimises
    :math:`|S - M Y|^2` in every bin of the STFT. But the masked array :math:`M \odot Y` is not the STFT of any
    signal (lesson 01, section 5), and what a listener and the waveform metrics (SNR, SI-SDR) get is
    :math:`\mathrm{iSTFT}(M \odot Y)`. This function minimises the **waveform** error instead,

    .. math::

        \min_{M \in \mathbb{R}^{F\times T},\; \text{low} \le M \le \text{high}}\;
        \frac{\|s - \mathrm{iSTFT}(M \odot Y)\|^2}{\|s\|^2},
        \qquad
        \nabla_M = -\frac{2}{\|s\|^2}\,\mathrm{Re}\!\left(\overline{Y} \odot \mathrm{iSTFT}^{*}(s - \hat s)\right),

    where :math:`\mathrm{iSTFT}^{*}` is the adjoint of the inverse STFT (an STFT of the residual divided by the
    summed squared windows). It starts from the raw PSM (clipped to ``bounds``) and runs ``n_iter`` iterations of
    L-BFGS-B (``scipy.optimize.minimize``), which never increases the error, so the result is at least as close
    to the target in the waveform as the PSM. Overlapping frames let neighbouring bins' gains work together,
    which the per-bin optimum cannot: with the lesson's clip at 0 dB babble, 50 iterations of an unbounded mask
    reach about 21 dB SNR where the raw PSM reaches 14 dB, and a mask bounded to [0, 1] reaches 13.2 dB where
    the truncated PSM reaches 12.1 dB.

    It is an oracle, like the PSM: it needs the true target. It shows that "the best a real mask can do" depends
    on where the error is measured (per bin in the STFT, or in the waveform); end-to-end training with a
    waveform loss (Wang, Le Roux et al., 2018) moves a network's mask the same way. Taught in
    ``notebooks/03_phase_matters.ipynb``.

    Parameters
    ----------
    target, mixture : ndarray (n_samples,)
        Clean target :math:`s` and mixture :math:`y` waveforms, the same length.
    config : STFTConfig, optional
    n_iter : int
        L-BFGS-B iterations (default 50: a few seconds for a 4 s clip at ``n_fft=512``). More iterations keep
        improving slowly (about 23 dB SNR after 100 and 27.5 dB after 300 on the lesson's clip, unbounded).
    bounds : None or (low, high)
        ``None`` (default): any real gain, negative included (compare with the raw PSM). ``(0, 1)``: the range
        of a truncated PSM or a sigmoid output. ``None`` for one side leaves it open, e.g. ``(0, None)``.
    detail : bool
        If True, return a dict with ``mask``, ``estimate``, ``initial_mask`` (the clipped PSM it started from),
        ``n_iter`` (iterations run; fewer than asked when converged) and ``loss`` (the final relative error).

    Returns
    -------
    ndarray (freq, frames) of float64, finite, within ``bounds``; or a dict (``detail=True``)

    References
    ----------
    Griffin, D., & Lim, J. (1984). Signal estimation from modified short-time Fourier transform. IEEE TASSP 32(2).
    Wang, Z.-Q., Le Roux, J., Wang, D., & Hershey, J. R. (2018). End-to-end speech separation with unfolded
    iterative phase reconstruction. Interspeech.
    Erdogan, H., Hershey, J. R., Watanabe, S., & Le Roux, J. (2015). Phase-sensitive and recognition-boosted
    speech separation using deep recurrent neural networks. ICASSP.
    """
    from scipy.optimize import Bounds, minimize

    config = _as_config(config)
    s = as_waveform(target, "target")
    y = as_waveform(mixture, "mixture")
    check_same_length(s, y, "target", "mixture", "The mixture is target + interference.")
    energy = float(np.sum(s**2))
    if energy == 0.0:
        raise SpecmaskInputError("`target` is silent (all zeros): there is no waveform to fit a mask to.")
    n_iter = check_positive_int(n_iter, "n_iter")
    low, high = _mask_bounds(bounds)
    S, Y = stft(s, config), stft(y, config)
    initial = np.clip(phase_sensitive_mask(S, Y, truncate=None), low, high)
    shape, n_frames = Y.shape, Y.shape[1]

    def loss_and_gradient(flat):
        M = flat.reshape(shape)
        residual = s - istft(M * Y, config, length=s.size)
        gradient = -2.0 * np.real(np.conj(Y) * _istft_adjoint(residual, config, n_frames)) / energy
        return float(np.sum(residual**2)) / energy, gradient.ravel()

    result = minimize(loss_and_gradient, initial.ravel(), jac=True, method="L-BFGS-B",
                      bounds=None if (low, high) == (-np.inf, np.inf) else Bounds(low, high),
                      options={"maxiter": n_iter})
    mask = np.clip(np.nan_to_num(result.x.reshape(shape)), low, high)  # L-BFGS-B stays inside; rounding cannot leave
    if not detail:
        return mask
    return {"mask": mask, "estimate": istft(mask * Y, config, length=s.size), "initial_mask": initial,
            "n_iter": int(result.nit), "loss": float(result.fun)}


def _mask_bounds(bounds):
    """``bounds`` of :func:`fit_real_mask` as a pair of floats (``-inf``/``inf`` for an open side)."""
    if bounds is None:
        return -np.inf, np.inf
    try:
        low, high = bounds
        low = -np.inf if low is None else float(low)
        high = np.inf if high is None else float(high)
    except (TypeError, ValueError):
        raise SpecmaskInputError(
            f"`bounds` must be None (any real gain) or a pair (low, high) such as (0, 1); got {bounds!r}."
        ) from None
    if np.isnan(low) or np.isnan(high) or not low < high:
        raise SpecmaskInputError(f"`bounds` needs low < high, got {bounds!r}.")
    return low, high
