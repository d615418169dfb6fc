r"""Rooms: synthetic impulse responses and reverberation by convolution (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import numpy as np

from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_rng, as_waveform, check_int, check_number, check_sr
from ._common import _n_samples


def room_impulse_response(rt60=0.5, sr=DEFAULT_SR, duration=None, seed=0, direct_delay=0.0, drr_db=0.0,
                          n_early=6) -> np.ndarray:
    r"""A synthetic room impulse response: direct path, a few early reflections and a decaying noise tail.

    The tail is Gaussian noise under the envelope :math:`a(t) = 10^{-3t/T_{60}}`, so its energy
    :math:`a^2(t)` falls by 60 dB in :math:`T_{60}` = ``rt60`` seconds (the reverberation time). ``n_early``
    reflections are single taps between 2 and 40 ms after the direct path, 3-8 times stronger than the
    tail around them, with random signs. The reverberant part (reflections + tail) is scaled so that the
    direct-to-reverberant energy ratio is ``drr_db``, and the whole response to unit energy,
    :math:`\sum_n h[n]^2 = 1`, so convolving with it keeps the average power of broadband sound about the
    same. Time :math:`t` counts from the direct path at ``direct_delay`` seconds.

    Parameters
    ----------
    rt60 : float
        Reverberation time in seconds, 0 < rt60 <= 10 (living room ~0.4, classroom ~0.7, church 2-4).
    sr : int
        Sample rate in Hz.
    duration : float or None
        Length in seconds; default ``direct_delay + rt60`` (the tail is then 60 dB down at the end).
    seed : int or np.random.Generator
        Chooses the noise and the reflections.
    direct_delay : float
        Time of the direct path in seconds (>= 0). Default 0, so the reverberant signal stays
        time-aligned with the dry one (useful as a masking target); sound travelling d metres arrives
        d/343 s late.
    drr_db : float
        Direct-to-reverberant ratio in dB (default 0: as much energy in the direct path as in all
        reflections; negative = far from the talker, more reverberant).
    n_early : int
        Number of early reflections (>= 0, default 6).

    Returns
    -------
    ndarray of float64, shape (round(duration * sr),), unit energy; the direct path is sample 0 (the largest
    sample unless ``drr_db`` is strongly negative, when the reverberant tail outweighs it).
    """
    sr = check_sr(sr)
    rt60 = check_number(rt60, "rt60", low=0.0, high=10.0, low_open=True, unit="seconds",
                         hint="It is the time for the reverberation to decay by 60 dB, e.g. 0.5.")
    direct_delay = check_number(direct_delay, "direct_delay", low=0.0, unit="seconds")
    drr_db = check_number(drr_db, "drr_db", low=-40.0, high=40.0, unit="dB")
    n_early = check_int(n_early, "n_early", low=0)
    if duration is None:
        duration = direct_delay + rt60
    n = _n_samples(duration, sr)
    n0 = int(round(direct_delay * sr))
    if n0 + 2 > n:
        raise SpecmaskInputError(
            f"`duration` = {duration!r} s leaves no room after the direct path at {direct_delay!r} s; "
            "make duration longer than direct_delay (by at least rt60 for a full tail)."
        )
    rng = as_rng(seed)
    t = (np.arange(n) - n0) / sr
    envelope = np.where(t > 0, 10.0 ** (-3.0 * np.maximum(t, 0.0) / rt60), 0.0)
    reverb = rng.standard_normal(n) * envelope
    delays = np.sort(rng.uniform(0.002, 0.040, size=int(n_early)))
    strengths = rng.uniform(3.0, 8.0, size=int(n_early)) * rng.choice([-1.0, 1.0], size=int(n_early))
    for d, s in zip(delays, strengths):
        i = n0 + int(round(d * sr))
        if i < n:
            reverb[i] += s * 10.0 ** (-3.0 * d / rt60)
    h = np.zeros(n)
    h[n0] = 1.0
    e_rev = float(np.sum(reverb**2))
    if e_rev > 0:
        h += reverb * np.sqrt(1.0 / (e_rev * 10.0 ** (drr_db / 10.0)))
    return h / np.sqrt(np.sum(h**2))


def reverberate(x, rir) -> np.ndarray:
    r"""Convolve a dry signal with a room impulse response: :math:`y[n] = \sum_m h[m]\, x[n-m]`.

    The output keeps the length of ``x`` (the reverberation tail after the end of ``x`` is cut), so it
    lines up sample by sample with the dry signal. It is not rescaled: with a unit-energy ``rir`` from
    :func:`room_impulse_response` the level stays about the same, but the peak can grow.

    Parameters
    ----------
    x : ndarray
        Dry waveform, 1-D.
    rir : ndarray
        Impulse response, 1-D (same sample rate as ``x``).

    Returns
    -------
    ndarray of float64, same length as ``x``
    """
    x = as_waveform(x, "x")
    h = as_waveform(rir, "rir")
    from scipy.signal import fftconvolve

    return fftconvolve(x, h, mode="full")[: x.size]
