"""Shared constants, defined once: every module that needs a default sample rate or the music STFT
settings imports them from here, so a change lands everywhere at once.

- ``DEFAULT_SR`` (Hz): the sample rate of the bundled clips and of every lesson (16 kHz is enough for
  speech and keeps the explorers fast).
- ``MUSIC_CONFIG``: the STFT used for music (lesson 05): a 2048-sample window (128 ms at 16 kHz) resolves
  the harmonics of low notes that the 512-sample speech window blurs.
- ``MAX_DECODED_SAMPLES``: the budget of decoded samples (frames x channels) an audio file may hold before
  it is decoded at all (120 s x 48 kHz x 2 channels), so an upload cannot exhaust a shared hub's memory.
- ``MAX_STFT_VALUES``: the largest STFT (frequency bins x frames) the package computes on request, about
  256 MB of complex128; it bounds choices such as ``hop_length=1`` relative to the clip (defined beside
  ``stft``, which checks it, and re-exported here).
"""

from __future__ import annotations

from .stft import MAX_STFT_VALUES, STFTConfig

__all__ = ["DEFAULT_SR", "MUSIC_CONFIG", "MAX_DECODED_SAMPLES", "MAX_STFT_VALUES"]

DEFAULT_SR = 16000
MUSIC_CONFIG = STFTConfig(n_fft=2048, hop_length=512)
MAX_DECODED_SAMPLES = 120 * 48000 * 2
