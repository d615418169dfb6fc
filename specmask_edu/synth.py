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

import math
import re

import numpy as np

from ._defaults import DEFAULT_SR
from ._validation import SpecmaskInputError, as_rng, as_waveform, check_int, check_number, check_sr
from .audio import peak_gain

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

#: The progression used by :func:`band`: I–V–vi–IV in C major, two beats per chord.
DEFAULT_PROGRESSION = ("C", "G", "Am", "F")
#: Default :func:`drum_loop` pattern: one 4/4 bar on a sixteenth-note grid ("x" hit, "o" soft hit, "." rest).
DEFAULT_DRUM_PATTERN = {
    "kick": "x.....x.x.......",
    "snare": "....x.......x..o",
    "hihat": "x.o.x.o.x.o.x.o.",
}

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


# --------------------------------------------------------------------------------------------------
# argument checks (each message says what was wrong and what to do)
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# pitch helpers
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# tones
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# the band: chords, bass, melody, drums on a shared beat grid
# --------------------------------------------------------------------------------------------------

def _add(out: np.ndarray, start: int, x: np.ndarray) -> None:
    """Add x into out starting at sample `start`, cutting what runs past the end."""
    if start >= out.size:
        return
    stop = min(out.size, start + x.size)
    out[start:stop] += x[: stop - start]


def _check_beats_per_chord(beats_per_chord) -> int:
    beats_per_chord = check_int(beats_per_chord, "beats_per_chord", low=1)
    return int(beats_per_chord)


def chord_progression(duration=5.0, sr=DEFAULT_SR, tempo=96.0, chords=DEFAULT_PROGRESSION, beats_per_chord=2,
                      octave=4, peak=0.5) -> np.ndarray:
    r"""Sustained organ-like chords, one every ``beats_per_chord`` beats, cycling through ``chords``.

    Chord :math:`i` starts at :math:`i \cdot b \cdot 60/\mathrm{tempo}` seconds (:math:`b` = ``beats_per_chord``)
    and lasts until the next one; each note is a :func:`harmonic_tone` with 6 harmonics, rolloff 1.3,
    a 30 ms attack and an 80 ms release (no decay). The progression repeats to fill ``duration``.

    Parameters
    ----------
    duration : float
        Length in seconds (> 0).
    sr : int
        Sample rate in Hz.
    tempo : float
        Beats per minute (> 0). At the default 96 bpm a beat lasts 0.625 s, so the default four chords of
        two beats each fill exactly 5 s.
    chords : sequence
        Chord names (``"C"``, ``"Am"``...) or lists of MIDI numbers. Default I–V–vi–IV in C major.
    beats_per_chord : int
        Beats each chord lasts (default 2).
    octave : int
        Octave of the chord roots given by name (default 4).
    peak : float or None
        Largest absolute sample (default 0.5).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tempo = _check_tempo(tempo)
    bpc = _check_beats_per_chord(beats_per_chord)
    notes = _check_chords(chords, octave)
    span = bpc * 60.0 / tempo
    out = np.zeros(n)
    i = 0
    while True:
        start = int(round(i * span * sr))
        if start >= n:
            break
        stop = min(n, int(round((i + 1) * span * sr)))
        seg = chord(notes[i % len(notes)], (stop - start) / sr, sr, peak=None, n_harmonics=6, rolloff=1.3,
                    attack=0.03, release=0.08)
        _add(out, start, seg)
        i += 1
    return _scale_to_peak(out, peak)


def bass_line(duration=5.0, sr=DEFAULT_SR, tempo=96.0, chords=DEFAULT_PROGRESSION, beats_per_chord=2, octave=2,
              peak=0.5) -> np.ndarray:
    r"""A plucked bass line that follows the chord roots: one note per beat.

    On the beats of each chord it plays root, fifth, octave, fifth (repeating), in ``octave``
    (default 2, i.e. C2 = 65.4 Hz). Each note is a :func:`harmonic_tone` with 6 harmonics, rolloff 1.5,
    a 5 ms attack, a 0.35 s exponential decay and lasts 90 % of a beat.

    Parameters are as in :func:`chord_progression`; ``octave`` sets the register of the roots.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tempo = _check_tempo(tempo)
    bpc = _check_beats_per_chord(beats_per_chord)
    notes = _check_chords(chords, octave)
    beat = 60.0 / tempo
    offsets = (0, 7, 12, 7)
    out = np.zeros(n)
    b = 0
    while True:
        start = int(round(b * beat * sr))
        if start >= n:
            break
        root = min(notes[(b // bpc) % len(notes)])
        midi = root + offsets[(b % bpc) % len(offsets)]
        tone = harmonic_tone(midi_to_hz(midi), 0.9 * beat, sr, n_harmonics=6, rolloff=1.5, attack=0.005,
                             decay=0.35, release=0.03, peak=None)
        _add(out, start, tone)
        b += 1
    return _scale_to_peak(out, peak)


def melody(duration=5.0, sr=DEFAULT_SR, tempo=96.0, chords=DEFAULT_PROGRESSION, beats_per_chord=2, octave=5,
           seed=0, rest_probability=0.15, peak=0.5) -> np.ndarray:
    r"""A random but reproducible melody of eighth notes above the chords, with a little vibrato.

    The notes are chord tones of the current chord in ``octave`` and the octave above (C5 = 523 Hz
    and up). The melody walks over them in small random steps (-2..+2 positions, small steps more
    likely), moves to the nearest tone of the next chord when the chord changes, holds some notes for
    two eighths (probability 0.25) and rests with probability ``rest_probability``. Each note is a
    :func:`harmonic_tone` with 4 harmonics, rolloff 2 (soft, flute-like), vibrato 5.5 Hz / 15 cents.

    Parameters
    ----------
    seed : int or np.random.Generator
        Chooses the notes; the same seed gives the same melody.
    rest_probability : float
        Chance in [0, 1) that an eighth-note slot is silent (default 0.15).

    Other parameters are as in :func:`chord_progression`.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tempo = _check_tempo(tempo)
    bpc = _check_beats_per_chord(beats_per_chord)
    notes = _check_chords(chords, octave)
    rest_probability = check_number(rest_probability, "rest_probability", low=0.0, high=1.0, high_open=True)
    rng = as_rng(seed)
    eighth = 30.0 / tempo
    slots_per_chord = 2 * bpc
    out = np.zeros(n)
    steps, step_p = np.array([-2, -1, 0, 1, 2]), np.array([0.15, 0.3, 0.1, 0.3, 0.15])
    prev = None
    s = 0
    while True:
        start = int(round(s * eighth * sr))
        if start >= n:
            break
        tones = sorted({m + 12 * o for m in notes[(s // slots_per_chord) % len(notes)] for o in (0, 1)})
        tones = [m for m in tones if midi_to_hz(m) < sr / 2.0 / 4.0] or [min(tones)]
        if prev is None:
            idx = int(rng.integers(len(tones)))
        else:
            idx = int(np.argmin([abs(m - prev) for m in tones]))
            idx = int(np.clip(idx + rng.choice(steps, p=step_p), 0, len(tones) - 1))
        length = 2 if (rng.random() < 0.25 and (s + 1) % slots_per_chord != 0) else 1
        if rng.random() >= rest_probability:
            prev = tones[idx]
            tone = harmonic_tone(midi_to_hz(prev), 0.95 * length * eighth, sr, n_harmonics=4, rolloff=2.0,
                                 attack=0.02, release=0.04, vibrato_rate=5.5, vibrato_depth=15.0, peak=None)
            _add(out, start, tone)
        s += length
    return _scale_to_peak(out, peak)


def kick_drum(sr=DEFAULT_SR, duration=0.35, f_start=150.0, f_end=45.0, sweep_time=0.04, decay=0.12,
              peak=0.5) -> np.ndarray:
    r"""A kick drum: a sine whose pitch drops quickly, under an exponential decay.

    .. math::

        f(t) = f_\mathrm{end} + (f_\mathrm{start} - f_\mathrm{end})\, e^{-t/\tau_s},\qquad
        x(t) = e^{-t/\tau_d} \sin\Bigl(2\pi \int_0^t f(\tau)\, d\tau\Bigr)

    with :math:`\tau_s` = ``sweep_time`` and :math:`\tau_d` = ``decay`` (seconds). A 2 ms fade-in and a
    fade-out over the last 20 % avoid clicks.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    f_start = _check_freq(f_start, "f_start", sr)
    f_end = _check_freq(f_end, "f_end", sr)
    sweep_time = check_number(sweep_time, "sweep_time", low=0.0, low_open=True, unit="seconds")
    decay = check_number(decay, "decay", low=0.0, low_open=True, unit="seconds")
    t = np.arange(n) / sr
    # closed-form integral of f(t)
    phase = f_end * t + (f_start - f_end) * sweep_time * (1.0 - np.exp(-t / sweep_time))
    x = np.sin(2 * np.pi * phase) * np.exp(-t / decay)
    x *= _envelope(n, sr, 0.002, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def snare_drum(sr=DEFAULT_SR, duration=0.25, tone_hz=185.0, noise_decay=0.06, tone_decay=0.04, noise_mix=0.7,
               seed=0, peak=0.5) -> np.ndarray:
    r"""A snare drum: a burst of white noise plus a short tone, both decaying exponentially.

    .. math::

        x(t) = \Bigl(m\, w(t)\, e^{-t/\tau_n} + (1-m) \sin(2\pi f_t t)\, e^{-t/\tau_t}\Bigr)

    with white Gaussian noise :math:`w` (std 1), noise share :math:`m` = ``noise_mix`` in [0, 1], tone
    frequency :math:`f_t` = ``tone_hz`` and decay times ``noise_decay``, ``tone_decay`` (seconds).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tone_hz = _check_freq(tone_hz, "tone_hz", sr)
    noise_decay = check_number(noise_decay, "noise_decay", low=0.0, low_open=True, unit="seconds")
    tone_decay = check_number(tone_decay, "tone_decay", low=0.0, low_open=True, unit="seconds")
    noise_mix = check_number(noise_mix, "noise_mix", low=0.0, high=1.0)
    rng = as_rng(seed)
    t = np.arange(n) / sr
    noise = rng.standard_normal(n) * np.exp(-t / noise_decay)
    tone = np.sin(2 * np.pi * tone_hz * t) * np.exp(-t / tone_decay)
    x = noise_mix * noise + (1.0 - noise_mix) * tone
    x *= _envelope(n, sr, 0.001, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def hi_hat(sr=DEFAULT_SR, duration=0.08, cutoff=None, decay=0.02, seed=0, peak=0.5) -> np.ndarray:
    r"""A closed hi-hat: white noise through a 4th-order Butterworth high-pass at ``cutoff`` Hz,
    with an exponential decay :math:`e^{-t/\tau}` (:math:`\tau` = ``decay`` s).

    ``cutoff`` must be below the Nyquist frequency ``sr/2``. The default None means 5000 Hz, or
    ``0.35 * sr`` when that is lower (so at 16 kHz the hat lives between 5 and 8 kHz, at 8 kHz above 2.8 kHz).
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    cutoff = min(5000.0, 0.35 * sr) if cutoff is None else _check_freq(cutoff, "cutoff", sr)
    decay = check_number(decay, "decay", low=0.0, low_open=True, unit="seconds")
    from scipy.signal import butter, sosfilt

    rng = as_rng(seed)
    t = np.arange(n) / sr
    sos = butter(4, cutoff, btype="highpass", fs=sr, output="sos")
    x = sosfilt(sos, rng.standard_normal(n)) * np.exp(-t / decay)
    x *= _envelope(n, sr, 0.0005, None, 0.2 * n / sr)
    return _scale_to_peak(x, peak)


def drum_loop(duration=5.0, sr=DEFAULT_SR, tempo=96.0, pattern=None, steps_per_beat=4, seed=0,
              peak=0.5) -> np.ndarray:
    r"""A drum loop: kick, snare and hi-hat one-shots placed on a step grid, repeating.

    Step :math:`j` starts at :math:`j \cdot 60 / (\mathrm{tempo} \cdot s)` seconds with :math:`s` =
    ``steps_per_beat`` (4 = sixteenth notes). In each pattern string ``"x"`` is a hit, ``"o"`` a soft hit
    (half amplitude) and ``"."`` a rest; each string repeats independently, so strings of 16 steps
    give a one-bar loop in 4/4. Every hit gets fresh noise from ``seed``, so hits vary slightly like
    real ones while the loop stays reproducible.

    Parameters
    ----------
    pattern : dict or None
        Maps ``"kick"``, ``"snare"``, ``"hihat"`` (any subset) to a pattern string. None uses
        :data:`DEFAULT_DRUM_PATTERN` (kick on 1 and the "and" of 2 and 3, snare on 2 and 4, hi-hat on eighths).
    seed : int or np.random.Generator
        Noise of the snare and hi-hat hits.

    Other parameters are as in :func:`chord_progression`.
    """
    sr = check_sr(sr)
    n = _n_samples(duration, sr)
    tempo = _check_tempo(tempo)
    steps_per_beat = check_int(steps_per_beat, "steps_per_beat", low=1)
    pattern = DEFAULT_DRUM_PATTERN if pattern is None else pattern
    makers = {"kick": kick_drum, "snare": snare_drum, "hihat": hi_hat}
    if not isinstance(pattern, dict) or not pattern:
        raise SpecmaskInputError(
            f"`pattern` must be a dict like {{'kick': 'x...x...', 'snare': '..x...x.'}}, got {pattern!r}."
        )
    for name, steps in pattern.items():
        if name not in makers:
            raise SpecmaskInputError(f"Unknown drum {name!r} in `pattern`; use any of {sorted(makers)}.")
        if not isinstance(steps, str) or not steps or set(steps) - set("xo."):
            raise SpecmaskInputError(
                f"The pattern for {name!r} must be a non-empty string of 'x' (hit), 'o' (soft hit) and "
                f"'.' (rest), e.g. 'x...x...', got {steps!r}."
            )
    rng = as_rng(seed)
    step = 60.0 / (tempo * steps_per_beat)
    out = np.zeros(n)
    j = 0
    while True:
        start = int(round(j * step * sr))
        if start >= n:
            break
        for name in ("kick", "snare", "hihat"):
            steps = pattern.get(name)
            if not steps:
                continue
            symbol = steps[j % len(steps)]
            if symbol == ".":
                continue
            gain = 1.0 if symbol == "x" else 0.5
            if name == "kick":
                hit = kick_drum(sr, peak=None)
            else:
                hit = makers[name](sr, seed=int(rng.integers(2**31)), peak=None)
                hit = hit * peak_gain(hit, 1.0)
            gain *= {"kick": 1.0, "snare": 0.8, "hihat": 0.35}[name]
            _add(out, start, gain * hit)
        j += 1
    return _scale_to_peak(out, peak)


#: Default stem levels of :func:`band` in dB, relative to each other (RMS).
BAND_LEVELS_DB = {"bass": -2.0, "chords": -6.0, "melody": -3.0, "drums": 0.0}


def band(duration=5.0, sr=DEFAULT_SR, tempo=96.0, chords=DEFAULT_PROGRESSION, beats_per_chord=2, seed=0,
         levels_db=None, peak=0.5) -> dict:
    r"""A four-piece band playing one chord progression: stems ``bass``, ``chords``, ``melody``, ``drums``.

    Every stem is generated on the same beat grid (:func:`bass_line`, :func:`chord_progression`,
    :func:`melody`, :func:`drum_loop`), scaled to unit RMS and then to its level in ``levels_db``.
    Finally all stems are multiplied by one common gain so that their sum, the mixture
    :math:`y = \sum_i s_i`, peaks at ``peak``. So ``sum(band(...).values())`` is the mixture, and the
    relative levels are exactly those of ``levels_db``.

    Parameters
    ----------
    duration : float
        Length of every stem in seconds (default 5.0 = two bars at 96 bpm).
    sr : int
        Sample rate in Hz (default 16000).
    tempo : float
        Beats per minute (default 96).
    chords : sequence
        Chord names or MIDI lists (default ``("C", "G", "Am", "F")``).
    beats_per_chord : int
        Beats per chord (default 2).
    seed : int or np.random.Generator
        Chooses the melody and the drum noise; the same seed gives the same band.
    levels_db : dict or None
        RMS level of each stem in dB, relative to each other; missing stems keep the defaults of
        :data:`BAND_LEVELS_DB` (bass -2, chords -6, melody -3, drums 0).
    peak : float
        Peak of the mixture (default 0.5); each stem peaks lower.

    Returns
    -------
    dict of str -> ndarray
        ``{"bass", "chords", "melody", "drums"}``, each float64 of length ``round(duration * sr)``.
    """
    sr = check_sr(sr)
    _n_samples(duration, sr)
    peak = _check_peak(peak)
    levels = dict(BAND_LEVELS_DB)
    if levels_db is not None:
        if not isinstance(levels_db, dict) or set(levels_db) - set(levels):
            raise SpecmaskInputError(
                f"`levels_db` must be a dict with keys among {sorted(levels)}, got {levels_db!r}."
            )
        for k, v in levels_db.items():
            levels[k] = check_number(v, f"levels_db[{k!r}]", unit="dB")
    rng = as_rng(seed)
    melody_seed, drum_seed = (int(v) for v in rng.integers(2**31, size=2))
    common = dict(duration=duration, sr=sr, tempo=tempo, peak=None)
    stems = {
        "bass": bass_line(chords=chords, beats_per_chord=beats_per_chord, **common),
        "chords": chord_progression(chords=chords, beats_per_chord=beats_per_chord, **common),
        "melody": melody(chords=chords, beats_per_chord=beats_per_chord, seed=melody_seed, **common),
        "drums": drum_loop(seed=drum_seed, **common),
    }
    for name, x in stems.items():
        r = float(np.sqrt(np.mean(x**2)))
        if r > 0:
            stems[name] = x / r * 10.0 ** (levels[name] / 20.0)
    if peak is not None:
        gain = peak_gain(sum(stems.values()), peak)
        stems = {k: v * gain for k, v in stems.items()}
    return stems


# --------------------------------------------------------------------------------------------------
# noises
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# rooms
# --------------------------------------------------------------------------------------------------

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
