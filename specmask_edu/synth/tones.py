r"""Harmonic tones with an envelope, and chords of them (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import math

import numpy as np

from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, check_int, check_number, check_sr
from ._common import _check_freq, _check_peak, _n_samples, _scale_to_peak
from .pitch import _chord_notes, chord_to_midi, midi_to_hz


def _envelope(n: int, sr: int, attack: float, decay, release: float) -> np.ndarray:
    """Linear attack, optional exponential decay, linear release; attack+release scaled to fit n."""
    t = np.arange(n) / sr
    duration = n / sr
    if attack + release > duration:
        scale = duration / (attack + release)
        attack, release = attack * scale, release * scale
    env = np.ones(n)
    if attack > 0:
        env = np.minimum(env, t / attack)
    if decay is not None:
        env = env * np.exp(-np.maximum(t - attack, 0.0) / decay)
    if release > 0:
        env = env * np.clip((duration - t) / release, 0.0, 1.0)
    return env


def harmonic_tone(f0, duration, sr=DEFAULT_SR, n_harmonics=8, rolloff=1.0, attack=0.01, decay=None,
                  release=0.05, vibrato_rate=0.0, vibrato_depth=0.0, peak=0.5) -> np.ndarray:
    r"""A harmonic note: a fundamental and its overtones under an amplitude envelope.

    .. math::

        x(t) = e(t) \sum_{k=1}^{K} k^{-\rho} \sin\bigl(2\pi k\,\phi(t)\bigr), \qquad
        \phi(t) = \int_0^t f_0\, 2^{\,d \sin(2\pi r \tau)/1200}\, d\tau

    with :math:`\rho` = ``rolloff``, vibrato rate :math:`r` (Hz) and depth :math:`d` (cents). Harmonics that
    would reach the Nyquist frequency ``sr/2`` are left out, so the tone never aliases. The envelope
    :math:`e(t)` rises linearly over ``attack`` s, decays as :math:`e^{-t/\tau}` with :math:`\tau` = ``decay``
    (plucked string, piano-like) or stays flat when ``decay=None`` (organ-like), and falls linearly to 0
    over the last ``release`` s. When ``attack + release`` exceeds ``duration`` both are shortened in
    proportion.

    Parameters
    ----------
    f0 : float
        Fundamental frequency in Hz, 0 < f0 < sr/2 (use :func:`midi_to_hz` for note numbers).
    duration : float
        Length in seconds (> 0); the output has ``round(duration * sr)`` samples.
    sr : int
        Sample rate in Hz (default 16000).
    n_harmonics : int
        Number of partials K including the fundamental (>= 1, default 8); fewer below Nyquist.
    rolloff : float
        Spectral tilt :math:`\rho` >= 0: partial k has amplitude :math:`k^{-\rho}` (0 = all equal,
        1 = sawtooth-like, 2 = soft/flute-like). Default 1.0.
    attack, release : float
        Fade-in and fade-out times in seconds (>= 0). Defaults 0.01 and 0.05.
    decay : float or None
        Exponential decay time constant in seconds (> 0), or None for a sustained note.
    vibrato_rate : float
        Vibrato frequency in Hz (>= 0, default 0 = no vibrato; singers use about 5-6 Hz).
    vibrato_depth : float
        Vibrato depth in cents (>= 0; 100 cents = one semitone).
    peak : float or None
        Largest absolute sample of the output (default 0.5); None returns the raw sum.

    Returns
    -------
    ndarray of float64, shape (round(duration * sr),)

    >>> x = harmonic_tone(220.0, 1.0)
    >>> x.shape, round(float(abs(x).max()), 3)
    ((16000,), 0.5)
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    f0 = _check_freq(f0, "f0", sr)
    n_harmonics = check_int(n_harmonics, "n_harmonics", low=1)
    rolloff = check_number(rolloff, "rolloff", low=0.0)
    attack = check_number(attack, "attack", low=0.0, unit="seconds")
    release = check_number(release, "release", low=0.0, unit="seconds")
    if decay is not None:
        decay = check_number(decay, "decay", low=0.0, low_open=True, unit="seconds",
                              hint="Use None for a sustained (organ-like) note.")
    vibrato_rate = check_number(vibrato_rate, "vibrato_rate", low=0.0, unit="Hz")
    vibrato_depth = check_number(vibrato_depth, "vibrato_depth", low=0.0, high=1200.0, unit="cents")
    _check_peak(peak)

    t = np.arange(n) / sr
    if vibrato_rate > 0 and vibrato_depth > 0:
        inst = f0 * 2.0 ** (vibrato_depth / 1200.0 * np.sin(2 * np.pi * vibrato_rate * t))
        phase = np.concatenate(([0.0], np.cumsum(inst[:-1]))) / sr
        f_max = f0 * 2.0 ** (vibrato_depth / 1200.0)
    else:
        phase = f0 * t
        f_max = f0
    k_max = max(1, min(int(n_harmonics), int(math.ceil(sr / 2.0 / f_max)) - 1))
    x = np.zeros(n)
    for k in range(1, k_max + 1):
        x += k ** (-rolloff) * np.sin(2 * np.pi * k * phase)
    x *= _envelope(n, sr, attack, decay, release)
    return _scale_to_peak(x, peak)


def chord(notes, duration, sr=DEFAULT_SR, unit="midi", octave=4, peak=0.5, **tone_kwargs) -> np.ndarray:
    r"""Several :func:`harmonic_tone` notes sounding together: :math:`x = \sum_i \mathrm{tone}(f_i)`.

    Parameters
    ----------
    notes : str or sequence of float
        A chord name (``"C"``, ``"Am"``, ``"G7"``; see :func:`chord_to_midi`), or note numbers in ``unit``.
    duration : float
        Length in seconds (> 0).
    sr : int
        Sample rate in Hz (default 16000).
    unit : {"midi", "hz"}
        How to read a numeric ``notes`` list: MIDI note numbers (default) or frequencies in Hz.
    octave : int
        Octave of the root when ``notes`` is a chord name (4 = middle C's octave).
    peak : float or None
        Largest absolute sample (default 0.5); None for the raw sum.
    **tone_kwargs
        Passed to :func:`harmonic_tone` (``n_harmonics``, ``rolloff``, ``attack``, ``decay``, ...).

    >>> chord("Am", 0.5).shape
    (8000,)
    """
    sr = check_sr(sr)
    if unit not in ("midi", "hz"):
        raise SpecmaskInputError(f"`unit` must be 'midi' or 'hz', got {unit!r}.")
    if isinstance(notes, str):
        freqs = [midi_to_hz(m) for m in chord_to_midi(notes, octave)]
    else:
        values = _chord_notes(notes, octave)
        freqs = [midi_to_hz(v) for v in values] if unit == "midi" else values
    x = sum(harmonic_tone(f, duration, sr, peak=None, **tone_kwargs) for f in freqs)
    return _scale_to_peak(np.asarray(x, dtype=np.float64), peak)
