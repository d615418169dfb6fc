"""The bundled example clips: speech, noises, instrument stems, a room impulse response, and ready-made mixtures.

The clips live in ``specmask_edu/data`` (mono 16 kHz FLAC, made by ``specmask_edu/data/make_data.py``) and
are described in ``catalog.json`` and ``README.md`` there: what each one is, where it comes from, its
licence and attribution and, for speech, its transcript and whether the learning lesson uses it for
training or keeps it held out. Clips are of two sources: **recorded** (real speakers, real noises, a
chorale played by sampled real instruments) and **generated** (espeak-ng speech and NumPy synthesis);
``list_examples(source="recorded")`` lists one of them.

>>> from specmask_edu.examples import list_examples, load_example, load_mixture
>>> "speech_female_1" in list_examples("speech")
True
>>> mix = load_mixture("speech_female_1", "babble", snr_db=0.0)          # doctest: +SKIP
>>> sorted(mix)                                                          # doctest: +SKIP
['interference', 'mixture', 'noise', 'snr_db', 'speech', 'sr', 'target']

Importing this module is cheap: the catalogue is read on first use, and audio libraries are imported
only when a clip is loaded.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from importlib import resources
from pathlib import Path

import numpy as np

from ._validation import SpecmaskInputError, as_waveform, check_number, check_sr
from .audio import load_audio, mix_at_snr, peak_gain

__all__ = [
    "KINDS",
    "SPLITS",
    "SOURCES",
    "CHORALE_STEMS",
    "list_examples",
    "example_info",
    "example_path",
    "load_example",
    "load_mixture",
    "load_band",
    "BAND_STEMS",
]

#: Kinds of bundled clip (the ``kind`` field of the catalogue).
KINDS = ("speech", "noise", "stem", "rir", "reverberant")
#: Splits of the speech clips (and babble) for the learning lesson.
SPLITS = ("train", "heldout")
#: Where a clip comes from (the ``source`` field): a real recording, or generated (espeak-ng, NumPy synthesis).
SOURCES = ("recorded", "generated")
#: Stem names of the bundled band, in mixing order (the clips are ``band_<stem>``).
BAND_STEMS = ("bass", "chords", "melody", "drums")
#: Stem names of the bundled chorale (Bach, BWV 269, sampled instruments; the clips are ``chorale_<stem>``).
CHORALE_STEMS = ("soprano", "alto", "tenor", "bass")
_PIECES = {"band": BAND_STEMS, "chorale": CHORALE_STEMS}

_DATA_PACKAGE = "specmask_edu.data"


@functools.lru_cache(maxsize=1)
def _catalog() -> dict:
    text = resources.files(_DATA_PACKAGE).joinpath("catalog.json").read_text(encoding="utf-8")
    return json.loads(text)


def _clips() -> dict:
    return _catalog()["clips"]


def _check_name(name) -> str:
    clips = _clips()
    if not isinstance(name, str):
        raise SpecmaskInputError(
            f"An example name must be a string such as 'speech_female_1', got {type(name).__name__}. "
            "list_examples() gives all names."
        )
    if name in clips:
        return name
    close = difflib.get_close_matches(name, list(clips), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise SpecmaskInputError(
        f"There is no bundled example called {name!r}.{hint} Available examples: {', '.join(sorted(clips))}. "
        "To use your own recording, call specmask_edu.load_audio(path) instead."
    )


def list_examples(kind: str | None = None, split: str | None = None, source: str | None = None) -> list[str]:
    """Names of the bundled clips, sorted.

    Parameters
    ----------
    kind : str or None
        Keep only one kind: ``"speech"``, ``"noise"`` (babble, vinyl hiss, fire, water, white, pink,
        brown, hum), ``"stem"`` (the instruments of the band and of the chorale), ``"rir"`` (room
        impulse response) or ``"reverberant"``. None lists all.
    split : str or None
        Keep only clips of one split of the learning lesson, ``"train"`` or ``"heldout"`` (speech and
        some noises have one; other clips have none and are left out when a split is given).
    source : str or None
        Keep only ``"recorded"`` clips (real speakers, real noises, sampled instruments) or only
        ``"generated"`` ones (espeak-ng speech, NumPy synthesis). None lists both.

    >>> list_examples("stem", source="generated")
    ['band_bass', 'band_chords', 'band_drums', 'band_melody']
    >>> list_examples("stem", source="recorded")
    ['chorale_alto', 'chorale_bass', 'chorale_soprano', 'chorale_tenor']
    """
    if kind in SOURCES and source is None:
        raise SpecmaskInputError(
            f"{kind!r} is a source, not a kind: use list_examples(source={kind!r}), or "
            f"list_examples('speech', source={kind!r}) for one kind of it."
        )
    if kind is not None and kind not in KINDS:
        raise SpecmaskInputError(f"Unknown kind {kind!r}; use one of {list(KINDS)} or None for all clips.")
    if split is not None and split not in SPLITS:
        raise SpecmaskInputError(f"Unknown split {split!r}; use 'train', 'heldout' or None.")
    if source is not None and source not in SOURCES:
        raise SpecmaskInputError(f"Unknown source {source!r}; use 'recorded', 'generated' or None.")
    return sorted(
        name for name, c in _clips().items()
        if (kind is None or c["kind"] == kind) and (split is None or c.get("split") == split)
        and (source is None or c["source"] == source)
    )


def example_info(name: str) -> dict:
    """Everything the catalogue says about a clip (a copy): ``file``, ``kind``, ``source`` (``"recorded"``
    or ``"generated"``), ``duration`` (s), ``n_samples``, ``sr``, ``description``, ``origin`` (package and
    file it comes from), ``made_with`` (the exact recipe), ``license``, ``attribution`` and, where they
    apply, ``speaker``, ``sex``, ``voice``, ``text`` (the transcript), ``split``, ``f0_median_hz``,
    ``stem``, ``instrument``, ``dry``, ``rir``."""
    return copy.deepcopy(_clips()[_check_name(name)])


def example_path(name: str) -> Path:
    """Path of a clip's FLAC file inside the installed package (for use with other audio tools)."""
    entry = _clips()[_check_name(name)]
    return Path(str(resources.files(_DATA_PACKAGE).joinpath(entry["file"])))


def load_example(name: str, sr: int = 16000) -> np.ndarray:
    """Load a bundled clip as a float64 mono waveform at ``sr`` Hz.

    The clips are stored at 16 kHz; any other ``sr`` resamples them (see
    :func:`specmask_edu.audio.resample`). ``list_examples()`` gives the names, ``example_info(name)``
    what each clip is.

    >>> x = load_example("speech_male_1")        # doctest: +SKIP
    >>> x.dtype, x.ndim                           # doctest: +SKIP
    (dtype('float64'), 1)
    """
    name = _check_name(name)
    sr = check_sr(sr)
    resource = resources.files(_DATA_PACKAGE).joinpath(_clips()[name]["file"])
    path = Path(str(resource))
    source = path if path.is_file() else resource.read_bytes()  # bytes when installed inside a zip
    return load_audio(source, sr=sr, mono=True, max_duration=None)


def _as_signal(source, what: str, sr: int) -> tuple[np.ndarray, str | None]:
    if isinstance(source, str):
        return load_example(source, sr), source
    if isinstance(source, np.ndarray):
        return as_waveform(source, what), None
    raise SpecmaskInputError(
        f"`{what}` must be the name of a bundled example (see list_examples()) or a waveform array, "
        f"got {type(source).__name__}."
    )


def load_mixture(speech="speech_female_1", noise="babble", snr_db: float = 0.0, sr: int = 16000,
                 duration: float | None = None, peak: float | None = None) -> dict:
    r"""A speech clip mixed with a noise clip at a chosen signal-to-noise ratio.

    .. math:: y = s + g\,n, \qquad g \text{ chosen so that } 10\log_{10}\frac{\sum s^2}{\sum (g n)^2} = \mathrm{SNR}

    The noise is repeated or cut to the speech's length (:func:`specmask_edu.audio.mix_at_snr`).

    Parameters
    ----------
    speech : str or ndarray
        Name of the target clip (default ``"speech_female_1"``; any example works) or a waveform at ``sr``.
    noise : str or ndarray
        Name of the interfering clip (default ``"babble"``) or a waveform at ``sr``.
    snr_db : float
        Target-to-interference ratio in dB (default 0: equal energy; negative = noise louder).
    sr : int
        Sample rate in Hz (default 16000).
    duration : float or None
        Keep only the first ``duration`` seconds of the speech (default: all of it).
    peak : float or None
        If given, scale mixture, target and interference by one common gain so that the mixture peaks
        at ``peak`` (the SNR and ``mixture = target + interference`` stay exact). Default None: no
        scaling, so the mixture may exceed ±1 at low SNR (the players in this package handle that).

    Returns
    -------
    dict
        ``"mixture"``, ``"target"``, ``"interference"`` (float64 arrays of one length, with
        ``mixture == target + interference``), ``"sr"`` (int), ``"snr_db"`` (float), and the clip names
        ``"speech"`` and ``"noise"`` (None for arrays).
    """
    sr = check_sr(sr)
    snr_db = check_number(snr_db, "snr_db", unit="dB")
    target, speech_name = _as_signal(speech, "speech", sr)
    interference, noise_name = _as_signal(noise, "noise", sr)
    if duration is not None:
        d = check_number(duration, "duration", unit="seconds")
        n = int(round(d * sr))
        if n < 1:
            raise SpecmaskInputError(f"`duration` must be a positive number of seconds, got {duration!r}.")
        if n > target.size:
            raise SpecmaskInputError(
                f"`duration` = {d:g} s is longer than the speech ({target.size / sr:.2f} s). Use a shorter "
                "duration, or None for the whole clip."
            )
        target = target[:n]
    mixture, scaled = mix_at_snr(target, interference, snr_db)
    if peak is not None:
        gain = peak_gain(mixture, peak)
        target, scaled = target * gain, scaled * gain
        mixture = target + scaled
    return {
        "mixture": mixture,
        "target": np.asarray(target, dtype=np.float64),
        "interference": scaled,
        "sr": sr,
        "snr_db": snr_db,
        "speech": speech_name,
        "noise": noise_name,
    }


def load_band(sr: int = 16000, include_mixture: bool = True, piece: str = "band") -> dict:
    """The stems of a bundled piece, all of one length.

    ``piece="band"`` (default): the generated band (``synth.band(duration=5.0, seed=0)``, 5 s at 96 bpm),
    stems ``"bass"``, ``"chords"``, ``"melody"``, ``"drums"``. ``piece="chorale"``: the recorded chorale,
    the first phrase of Bach's BWV 269 (9.6 s at 80 bpm) played by sampled real instruments, stems
    ``"soprano"`` (oboe), ``"alto"`` (clarinet), ``"tenor"`` (viola), ``"bass"`` (cello).

    Returns
    -------
    dict of str -> ndarray
        The stems in the order above, and, with ``include_mixture=True`` (default), ``"mixture"`` = their
        sum (peak about 0.5). Leave the mixture out (``include_mixture=False``) when you loop over the
        stems, e.g. for ``soft_masks([stft(s) for s in stems.values()])``.
    """
    sr = check_sr(sr)
    if piece not in _PIECES:
        raise SpecmaskInputError(f"Unknown piece {piece!r}; use one of {list(_PIECES)}.")
    names = _PIECES[piece]
    stems = {stem: load_example(f"{piece}_{stem}", sr) for stem in names}
    n = min(x.size for x in stems.values())  # equal at 16 kHz; guards against resampling rounding
    stems = {k: v[:n] for k, v in stems.items()}
    if include_mixture:
        stems["mixture"] = sum(stems[s] for s in names)
    return stems
