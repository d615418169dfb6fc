r"""Noises: white, coloured (pink, brown...) and mains hum (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import numpy as np

from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_rng, check_int, check_number, check_sr
from ._common import _check_freq, _check_peak, _n_samples, _scale_to_peak


def white_noise(duration, sr=DEFAULT_SR, seed=0, peak=0.5) -> np.ndarray:
    r"""White Gaussian noise: independent samples :math:`w[n] \sim \mathcal{N}(0, 1)`, flat power spectrum.

    Parameters
    ----------
    duration : float
        Length in seconds (> 0).
    sr : int
        Sample rate in Hz (default 16000).
    seed : int or np.random.Generator
        The same seed gives the same noise.
    peak : float or None
        Largest absolute sample (default 0.5; the RMS is then about peak / 4.5); None keeps std 1.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    _check_peak(peak)
    return _scale_to_peak(as_rng(seed).standard_normal(n), peak)


def colored_noise(duration, sr=DEFAULT_SR, exponent=1.0, seed=0, fmin=20.0, peak=0.5) -> np.ndarray:
    r"""Noise with power spectral density :math:`P(f) \propto 1/f^{\alpha}`, made by shaping white noise in
    the frequency domain.

    .. math::

        X[k] = \mathrm{FFT}(w)[k] \cdot
        \begin{cases} f_k^{-\alpha/2} & f_k \ge f_\mathrm{min} \\ 0 & f_k < f_\mathrm{min} \end{cases},
        \qquad x = \mathrm{IFFT}(X)

    :math:`\alpha` = ``exponent``: 0 white, 1 pink (equal power per octave, like rain or a waterfall),
    2 brown/red (rumble), -1 blue. Nothing is kept below ``fmin`` Hz (default 20 Hz, below hearing),
    so the level is not set by inaudible rumble. Because the shaping is circular, the noise loops
    without a click (``np.tile(x, 2)`` is seamless).

    Parameters
    ----------
    duration : float
        Length in seconds (> 0).
    sr : int
        Sample rate in Hz.
    exponent : float
        :math:`\alpha`, between -2 and 4.
    seed : int or np.random.Generator
        The same seed gives the same noise.
    fmin : float
        Lowest frequency kept, 0 < fmin < sr/2, in Hz.
    peak : float or None
        Largest absolute sample (default 0.5).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    exponent = check_number(exponent, "exponent", low=-2.0, high=4.0)
    fmin = _check_freq(fmin, "fmin", sr)
    _check_peak(peak)
    w = as_rng(seed).standard_normal(n)
    f = np.fft.rfftfreq(n, 1.0 / sr)
    gain = np.zeros_like(f)
    keep = f >= fmin
    if not np.any(keep):
        raise SpecmaskInputError(
            f"`fmin` = {fmin:g} Hz leaves no frequencies for a {n}-sample signal; lower fmin or make it longer."
        )
    gain[keep] = f[keep] ** (-exponent / 2.0)
    x = np.fft.irfft(np.fft.rfft(w) * gain, n)
    return _scale_to_peak(x, peak)


def pink_noise(duration, sr=DEFAULT_SR, seed=0, fmin=20.0, peak=0.5) -> np.ndarray:
    r"""Pink noise, power :math:`\propto 1/f` (-3 dB per octave, equal energy in every octave).

    Same as ``colored_noise(duration, sr, exponent=1.0, seed=seed, fmin=fmin, peak=peak)``; see
    :func:`colored_noise` for the formula.
    """
    return colored_noise(duration, sr, exponent=1.0, seed=seed, fmin=fmin, peak=peak)


def brown_noise(duration, sr=DEFAULT_SR, seed=0, fmin=20.0, peak=0.5) -> np.ndarray:
    r"""Brown (red) noise, power :math:`\propto 1/f^2` (-6 dB per octave), a deep rumble.

    Same as ``colored_noise(duration, sr, exponent=2.0, ...)``; see :func:`colored_noise`.
    """
    return colored_noise(duration, sr, exponent=2.0, seed=seed, fmin=fmin, peak=peak)


def hum(duration, sr=DEFAULT_SR, f0=50.0, n_harmonics=8, rolloff=1.0, seed=0, peak=0.5) -> np.ndarray:
    r"""Mains hum: a steady tone at the mains frequency and its harmonics.

    .. math:: x(t) = \sum_{k=1}^{K} k^{-\rho} \sin(2\pi k f_0 t + \varphi_k)

    with fixed random phases :math:`\varphi_k` drawn from ``seed`` and only harmonics below ``sr/2``.
    Use ``f0=50`` (Europe, Asia, Africa, Australia) or ``f0=60`` (the Americas).

    Parameters
    ----------
    duration : float
        Length in seconds (> 0).
    sr : int
        Sample rate in Hz.
    f0 : float
        Mains frequency in Hz (default 50.0).
    n_harmonics : int
        K, number of partials including the fundamental (default 8: 50, 100, ..., 400 Hz).
    rolloff : float
        :math:`\rho` >= 0, amplitude :math:`k^{-\rho}` of harmonic k (default 1.0).
    seed : int or np.random.Generator
        Chooses the phases.
    peak : float or None
        Largest absolute sample (default 0.5).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    f0 = _check_freq(f0, "f0", sr)
    n_harmonics = check_int(n_harmonics, "n_harmonics", low=1)
    rolloff = check_number(rolloff, "rolloff", low=0.0)
    _check_peak(peak)
    phases = as_rng(seed).uniform(0.0, 2 * np.pi, size=int(n_harmonics))
    t = np.arange(n) / sr
    x = np.zeros(n)
    for k in range(1, int(n_harmonics) + 1):
        if k * f0 >= sr / 2.0:
            break
        x += k ** (-rolloff) * np.sin(2 * np.pi * k * f0 * t + phases[k - 1])
    return _scale_to_peak(x, peak)
