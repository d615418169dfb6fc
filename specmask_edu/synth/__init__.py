r"""Deterministic generated sources: tones, chords, a small band, drums, coloured noise, hum and rooms.

Everything here is a pure function of its arguments. Durations are in seconds, frequencies in Hz,
the sample rate ``sr`` in Hz (default 16000), and a signal of ``duration`` seconds has exactly
``round(duration * sr)`` samples. Randomness comes only from ``seed`` (an int, or a
``np.random.Generator``), so the same call gives the same samples on every run.

Outputs are 1-D float64 arrays. Unless documented otherwise they are scaled so that the largest
absolute sample equals ``peak`` (default 0.5, well inside ±1, so sums of a few sources do not clip);
``peak=None`` returns the raw formula without scaling.

The bundled clips in ``specmask_edu/data`` (the band stems, the noises, the room impulse response) were
made with these functions; ``specmask_edu/data/make_data.py`` shows the exact calls.
Used in ``notebooks/05_separating_instruments.ipynb`` (the band) and ``notebooks/02_real_masks.ipynb``
(noises).

>>> from specmask_edu import synth
>>> stems = synth.band(duration=5.0, sr=16000, seed=0)
>>> sorted(stems)
['bass', 'chords', 'drums', 'melody']
>>> len(stems["bass"])
80000
"""

from __future__ import annotations

from .._defaults import DEFAULT_SR
from .drums import DEFAULT_DRUM_PATTERN, drum_loop, hi_hat, kick_drum, snare_drum
from .music import BAND_LEVELS_DB, DEFAULT_PROGRESSION, band, bass_line, chord_progression, melody
from .noise import brown_noise, colored_noise, hum, pink_noise, white_noise
from .pitch import chord_to_midi, hz_to_midi, midi_to_hz, note_to_midi
from .rooms import reverberate, room_impulse_response
from .tones import chord, harmonic_tone

__all__ = [
    "DEFAULT_SR",
    "DEFAULT_PROGRESSION",
    "DEFAULT_DRUM_PATTERN",
    "midi_to_hz",
    "hz_to_midi",
    "note_to_midi",
    "chord_to_midi",
    "harmonic_tone",
    "chord",
    "chord_progression",
    "bass_line",
    "melody",
    "kick_drum",
    "snare_drum",
    "hi_hat",
    "drum_loop",
    "band",
    "white_noise",
    "colored_noise",
    "pink_noise",
    "brown_noise",
    "hum",
    "room_impulse_response",
    "reverberate",
]
