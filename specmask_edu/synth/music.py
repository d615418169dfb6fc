r"""The small band of lesson 05: chords, bass, melody and drums on one beat grid (:mod:`specmask_edu.synth`)."""

from __future__ import annotations

import numpy as np

from .._defaults import DEFAULT_SR
from .._validation import SpecmaskInputError, as_rng, check_int, check_number, check_sr
from ..audio import peak_gain
from ._common import _add, _grid, _check_peak, _check_tempo, _n_samples, _scale_to_peak
from .drums import drum_loop
from .pitch import _check_chords, midi_to_hz
from .tones import chord, harmonic_tone


#: The progression used by :func:`band`: I–V–vi–IV in C major, two beats per chord.
DEFAULT_PROGRESSION = ("C", "G", "Am", "F")


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
    for i, start in _grid(n, span, sr):
        stop = min(n, int(round((i + 1) * span * sr)))
        seg = chord(notes[i % len(notes)], (stop - start) / sr, sr, peak=None, n_harmonics=6, rolloff=1.3,
                    attack=0.03, release=0.08)
        _add(out, start, seg)
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
    for b, start in _grid(n, beat, sr):
        root = min(notes[(b // bpc) % len(notes)])
        midi = root + offsets[(b % bpc) % len(offsets)]
        tone = harmonic_tone(midi_to_hz(midi), 0.9 * beat, sr, n_harmonics=6, rolloff=1.5, attack=0.005,
                             decay=0.35, release=0.03, peak=None)
        _add(out, start, tone)
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
