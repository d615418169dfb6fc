r"""Pitch helpers: MIDI numbers, note names and chord names to frequencies (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import re

import numpy as np

from .._validation import SpecmaskInputError


_PITCH_CLASSES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_CHORD_QUALITIES = {
    "": (0, 4, 7),
    "maj": (0, 4, 7),
    "m": (0, 3, 7),
    "min": (0, 3, 7),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
}


def midi_to_hz(midi):
    r"""Convert MIDI note numbers to frequencies in Hz.

    .. math:: f = 440 \cdot 2^{(m - 69)/12}

    MIDI 69 is A4 = 440 Hz, 60 is middle C (261.63 Hz); one step is a semitone. Works element-wise on
    arrays; fractional numbers give detuned pitches.

    >>> midi_to_hz(69)
    440.0
    """
    m = np.asarray(midi, dtype=np.float64)
    if not np.all(np.isfinite(m)):
        raise SpecmaskInputError(f"`midi` must be finite note numbers, got {midi!r}.")
    f = 440.0 * 2.0 ** ((m - 69.0) / 12.0)
    return float(f) if f.ndim == 0 else f


def hz_to_midi(freq):
    r"""Convert frequencies in Hz (> 0) to (fractional) MIDI note numbers: :math:`m = 69 + 12\log_2(f/440)`."""
    f = np.asarray(freq, dtype=np.float64)
    if not np.all(np.isfinite(f)) or np.any(f <= 0):
        raise SpecmaskInputError(f"`freq` must be positive frequencies in Hz, got {freq!r}.")
    m = 69.0 + 12.0 * np.log2(f / 440.0)
    return float(m) if m.ndim == 0 else m


def note_to_midi(note: str) -> int:
    """MIDI number of a note name such as ``"C4"`` (60), ``"A4"`` (69), ``"F#3"`` or ``"Bb2"``.

    The octave number follows scientific pitch notation (C4 = middle C).
    """
    m = re.fullmatch(r"\s*([A-Ga-g])([#b]?)(-?\d+)\s*", str(note))
    if not m:
        raise SpecmaskInputError(
            f"Cannot read the note name {note!r}. Write a letter A-G, an optional # or b, and an octave "
            "number, e.g. 'C4' (middle C), 'F#3' or 'Bb2'."
        )
    letter, acc, octave = m.groups()
    pc = _PITCH_CLASSES[letter.upper()] + {"": 0, "#": 1, "b": -1}[acc]
    return 12 * (int(octave) + 1) + pc


def chord_to_midi(name: str, octave: int = 4) -> list[int]:
    """MIDI numbers of a chord given by its name, root in the given octave.

    Names are a root letter A-G, an optional ``#``/``b`` and a quality: ``""`` (major), ``"m"`` (minor),
    ``"7"``, ``"maj7"``, ``"m7"``, ``"dim"``, ``"aug"``, ``"sus2"``, ``"sus4"``.

    >>> chord_to_midi("C")
    [60, 64, 67]
    >>> chord_to_midi("Am", octave=3)
    [57, 60, 64]
    """
    m = re.fullmatch(r"\s*([A-Ga-g])([#b]?)(\w*)\s*", str(name))
    if not m or m.group(3) not in _CHORD_QUALITIES:
        raise SpecmaskInputError(
            f"Cannot read the chord name {name!r}. Write a root A-G, an optional # or b, and one of the "
            f"qualities {sorted(_CHORD_QUALITIES)} (empty = major), e.g. 'C', 'Am', 'G7', 'F#m'."
        )
    letter, acc, quality = m.groups()
    root = 12 * (int(octave) + 1) + _PITCH_CLASSES[letter.upper()] + {"": 0, "#": 1, "b": -1}[acc]
    return [root + i for i in _CHORD_QUALITIES[quality]]


def _chord_notes(c, octave: int) -> list[float]:
    """A chord given as a name or as a sequence of MIDI numbers -> list of MIDI numbers."""
    if isinstance(c, str):
        return [float(v) for v in chord_to_midi(c, octave)]
    notes = np.atleast_1d(np.asarray(c, dtype=np.float64))
    if notes.ndim != 1 or notes.size == 0 or not np.all(np.isfinite(notes)):
        raise SpecmaskInputError(
            f"A chord must be a name like 'Am' or a list of MIDI note numbers like [57, 60, 64], got {c!r}."
        )
    return [float(v) for v in notes]


def _check_chords(chords, octave: int) -> list[list[float]]:
    if isinstance(chords, str) or not hasattr(chords, "__len__") or len(chords) == 0:
        raise SpecmaskInputError(
            f"`chords` must be a non-empty list of chords, e.g. ['C', 'G', 'Am', 'F'], got {chords!r}."
        )
    return [_chord_notes(c, octave) for c in chords]
