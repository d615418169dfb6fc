"""Argument checks and helpers shared by the generators of :mod:`specmask_edu.synth`."""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, check_number
from ..audio import peak_gain


def _n_samples(duration, sr: int, name: str = "duration") -> int:
    """Check a duration in seconds and return round(duration * sr) (at least one sample)."""
    d = check_number(duration, name, unit="seconds")
    if d <= 0:
        raise SpecmaskInputError(
            f"`{name}` is a length in seconds and must be positive (e.g. 5.0), got {duration!r}."
        )
    n = int(round(d * sr))
    if n < 1:
        raise SpecmaskInputError(
            f"`{name}` = {duration!r} s is shorter than one sample at sr = {sr} Hz; use a longer duration."
        )
    return n


def _check_freq(f, name: str, sr: int) -> float:
    nyq = sr / 2.0
    return check_number(
        f, name, low=0.0, high=nyq, low_open=True, high_open=True, unit="Hz",
        hint=f"Frequencies must lie between 0 and the Nyquist frequency sr/2 = {nyq:g} Hz.",
    )


def _check_peak(peak):
    if peak is None:
        return None
    return check_number(peak, "peak", low=0.0, high=1.0, low_open=True,
                         hint="It is the largest absolute sample of the output; use e.g. 0.5, or None for no scaling.")


def _scale_to_peak(x: np.ndarray, peak) -> np.ndarray:
    """``x`` scaled to ``peak`` (see :func:`specmask_edu.audio.peak_gain`), or unscaled for ``peak=None``."""
    peak = _check_peak(peak)
    return x if peak is None else x * peak_gain(x, peak)


def _check_tempo(tempo) -> float:
    return check_number(tempo, "tempo", low=0.0, low_open=True, unit="beats per minute",
                         hint="A typical tempo is 60-180 bpm.")


def _add(out: np.ndarray, start: int, x: np.ndarray) -> None:
    """Add x into out starting at sample `start`, cutting what runs past the end."""
    if start >= out.size:
        return
    stop = min(out.size, start + x.size)
    out[start:stop] += x[: stop - start]


def _grid(n: int, span: float, sr: int):
    """``(i, start)`` for a regular grid of events ``span`` seconds apart: ``start = round(i * span * sr)``,
    for every start before sample ``n`` (chords, bass notes and drum steps are placed on it)."""
    i = 0
    while (start := int(round(i * span * sr))) < n:
        yield i, start
        i += 1
