r"""Training mixtures made on the fly, and a held-out split the training never sees.

Taught in ``notebooks/07_learning_masks.ipynb``.

Where the material comes from
-----------------------------
* **Speech** — the bundled speech clips; ``catalog.json`` marks each one ``train`` or ``heldout``
  (:func:`specmask_edu.examples.list_examples` with ``split=...``). The held-out clips are new sentences
  by the two training voices *and* a voice that is never trained on.
* **Noise** — synthetic and recorded (:data:`NOISE_TYPES`). Babble made of espeak-ng talkers has its own
  held-out clip (``babble_heldout``: other talkers, other sentences), so training uses ``babble`` and the
  held-out split uses ``babble_heldout``. The synthetic noises (white, pink, brown, hum) have no split in the
  catalogue, so each clip is cut in time: the **first 70 %** (3.5 s of 5 s) is for training and the
  **last 30 %** (1.5 s) is held out. The recorded noises are single clips with a split in the catalogue:
  ``babble_real`` (four recorded talkers), ``vinyl_hiss`` and ``fire_crackle`` are training noises
  (:data:`TRAIN_ONLY_NOISES`), and ``water_stream`` is held out (:data:`HELDOUT_ONLY_NOISES`): a recorded
  noise of a kind no training mixture contains. A held-out mixture therefore never contains a sample of
  speech or noise that training has seen (:func:`split_clips` lists exactly what each split uses).

One training mixture (:class:`MixtureDataset`)
----------------------------------------------
A random segment :math:`s` of a training speech clip (optionally sped up or slowed down a little,
``speed_factors``) and a random segment :math:`n` of a training noise
region, mixed at a random SNR (uniform in ``snr_range`` dB) with :func:`specmask_edu.audio.mix_at_snr`,
then both scaled by a random gain (uniform in ``gain_range_db``) so the model does not rely on the level:

.. math:: y = g\,(s + a\,n), \qquad a \text{ sets the SNR}, \quad g = 10^{G/20}

Its STFTs :math:`S` and :math:`Y` (``STFTConfig()``: n_fft 512, hop 128 at 16 kHz) and the training
target — the oracle mask of :mod:`specmask_edu.masks` for the model's mask kind — are what one item
holds. Item ``i`` is a pure function of ``(seed, epoch, i)``, so a run is reproducible, and
:meth:`MixtureDataset.set_epoch` gives fresh mixtures each epoch.
"""

from __future__ import annotations

import numpy as np
import torch

from .._defaults import DEFAULT_SR
from .._validation import (
    SpecmaskInputError,
    check_choice,
    check_finite_number,
    check_number,
    check_positive_int,
    check_seed,
)
from ..audio import mix_at_snr, resample
from ..examples import example_info, list_examples, load_example, load_mixture
from ..stft import STFTConfig, _as_config, stft
from .models import MASK_KINDS, training_target

__all__ = [
    "SR",
    "NOISE_TYPES",
    "SHARED_NOISE_TYPES",
    "TRAIN_ONLY_NOISES",
    "HELDOUT_ONLY_NOISES",
    "noise_types",
    "TRAIN_FRACTION",
    "SPLITS",
    "noise_regions",
    "split_clips",
    "MixtureDataset",
    "HeldoutExample",
    "heldout_examples",
    "stft_to_tensor",
]

#: Sample rate of the lesson (Hz): the course's one default.
SR = DEFAULT_SR
#: Noise types with material in both splits (synthetic noises cut in time; babble with a held-out clip).
SHARED_NOISE_TYPES = ("babble", "white_noise", "pink_noise", "brown_noise", "hum")
#: Recorded noises used only for training (their one clip is all training material).
TRAIN_ONLY_NOISES = ("babble_real", "vinyl_hiss", "fire_crackle")
#: Recorded noise used only for evaluation: a kind of noise the models never hear in training.
HELDOUT_ONLY_NOISES = ("water_stream",)
#: Every noise type of the lesson, in display order.
NOISE_TYPES = SHARED_NOISE_TYPES + TRAIN_ONLY_NOISES + HELDOUT_ONLY_NOISES
#: Share of each synthetic noise clip (from its start) used for training; the rest is held out.
TRAIN_FRACTION = 0.7
SPLITS = ("train", "heldout")

_HELDOUT_SUFFIX = "_heldout"


def _check_split(split) -> str:
    return check_choice(split, "split", SPLITS)


def noise_types(split: str = "train") -> tuple[str, ...]:
    """The noise types that have material in ``split``, in the order of :data:`NOISE_TYPES`.

    >>> noise_types("heldout")        # doctest: +SKIP
    ('babble', 'white_noise', 'pink_noise', 'brown_noise', 'hum', 'water_stream')
    """
    split = _check_split(split)
    only_other = HELDOUT_ONLY_NOISES if split == "train" else TRAIN_ONLY_NOISES
    return tuple(n for n in NOISE_TYPES if n not in only_other)


def _check_noises(noises, split: str) -> tuple[str, ...]:
    available = noise_types(split)
    if noises is None:
        return available
    if isinstance(noises, str):
        noises = (noises,)
    try:
        noises = tuple(noises)
    except TypeError:
        raise SpecmaskInputError(f"`noises` must be None or a list of noise types, got {noises!r}.") from None
    unknown = [n for n in noises if n not in NOISE_TYPES]
    if unknown or not noises:
        raise SpecmaskInputError(
            f"Unknown noise type(s) {unknown or noises!r}: choose from {list(NOISE_TYPES)} "
            "(the held-out babble clip is picked automatically for the held-out split)."
        )
    elsewhere = [n for n in noises if n not in available]
    if elsewhere:
        other = "held out: the models never hear it in training" if split == "train" else \
            "a training noise: scoring on it would not measure generalisation"
        raise SpecmaskInputError(
            f"Noise type(s) {elsewhere} have no {split} material ({other}). The {split} split has "
            f"{list(available)}."
        )
    return noises


def noise_regions(split: str = "train", noises=None) -> dict[str, tuple[str, int, int]]:
    """Which part of which noise clip each noise type uses in a split.

    Returns
    -------
    dict
        ``{noise_type: (clip_name, start_sample, stop_sample)}``. Clips with a split in the catalogue
        (``babble`` / ``babble_heldout`` and the recorded noises) are used whole by their split; the others
        are cut at ``TRAIN_FRACTION`` of their length: ``[0, cut)`` for training, ``[cut, end)`` held out.
        ``noises`` (default: every type of :func:`noise_types` ``(split)``) may only name types with
        material in ``split``.
    """
    split = _check_split(split)
    noises = _check_noises(noises, split)
    regions = {}
    for clip in list_examples("noise"):
        info = example_info(clip)
        clip_split = info.get("split")
        kind = clip[: -len(_HELDOUT_SUFFIX)] if clip.endswith(_HELDOUT_SUFFIX) else clip
        if kind not in noises:
            continue
        n = int(info["n_samples"])
        if clip_split is None:
            cut = int(round(TRAIN_FRACTION * n))
            regions[kind] = (clip, 0, cut) if split == "train" else (clip, cut, n)
        elif clip_split == split:
            regions[kind] = (clip, 0, n)
    missing = [k for k in noises if k not in regions]
    if missing:
        raise SpecmaskInputError(f"No {split} material for noise type(s) {missing} in the bundled catalogue.")
    return {k: regions[k] for k in noises}


def split_clips(split: str = "train", noises=None) -> dict:
    """Everything a split uses: ``{"speech": [clip names], "noise": noise_regions(split)}``.

    >>> sorted(split_clips("heldout")["speech"])        # doctest: +SKIP
    ['speech_female_5', 'speech_male_5', 'speech_scottish_1', 'speech_scottish_2']
    """
    split = _check_split(split)
    return {"speech": list_examples("speech", split=split), "noise": noise_regions(split, noises)}


def stft_to_tensor(X) -> torch.Tensor:
    """A complex STFT ``(freq, frames)`` as a float32 tensor ``(2, freq, frames)``: real and imaginary
    parts stacked (the layout every model and loss of this package uses)."""
    X = np.asarray(X)
    return torch.from_numpy(np.stack([X.real, X.imag]).astype(np.float32))


def _check_range(value, name, low=None, high=None):
    try:
        a, b = (check_finite_number(v, name) for v in value)
    except (TypeError, ValueError):
        raise SpecmaskInputError(f"`{name}` must be a pair (low, high) of numbers, got {value!r}.") from None
    if a > b:
        raise SpecmaskInputError(f"`{name}` needs low <= high, got {value!r}.")
    return a, b


class MixtureDataset(torch.utils.data.Dataset):
    """Speech + noise mixtures made on the fly, with the oracle mask as training target.

    Parameters
    ----------
    split : {"train", "heldout"}
        Which material to draw from (see the module docstring and :func:`split_clips`).
    mask : str
        The model's mask kind, one of :data:`specmask_edu.learn.models.MASK_KINDS` (``"irm"``, ``"psm"``,
        ``"cirm"``, ``"cirm_bounded"``); decides the ``"target_mask"`` of each item.
    n_items : int
        Number of mixtures per epoch (default 512).
    segment_seconds : float
        Length of each mixture in seconds (default 1.0, i.e. 126 STFT frames).
    snr_range : (float, float)
        Input SNR in dB is drawn uniformly from this range (default -5 to 10 dB).
    gain_range_db : (float, float)
        Random overall level change in dB (default -6 to 6).
    noises : sequence of str or None
        Noise types to use (default every type with material in ``split``: :func:`noise_types`).
    seed : int
        Item ``i`` of epoch ``e`` is made from ``numpy.random.default_rng([seed, e, i])``.
    config : STFTConfig, optional
        Default ``STFTConfig()`` (n_fft 512, hop 128).
    K, C : float
        Compression of the cIRM target (:func:`specmask_edu.masks.compress_mask`), used when
        ``mask="cirm"``.
    speed_factors : sequence of float
        Speed perturbation of the speech (a classic augmentation for small data sets): each item plays
        its speech clip at one of these speeds, chosen at random (1.1 = 10 % faster and 10 % higher in
        pitch, made by resampling). Default ``(1.0,)``: no change.
    with_target_mask : bool
        Compute each item's oracle ``"target_mask"`` (default True). Only the mask-approximation loss
        (``loss="mask"``) reads it, so :func:`~specmask_edu.learn.train.train` switches it off for the
        other losses: the bounded cIRM target costs about 2 ms per item, a quarter of a lesson model's
        training time.

    Each item is a dict of float32 tensors: ``"mixture"`` and ``"target"`` (the STFTs :math:`Y` and
    :math:`S` as ``(2, freq, frames)``: real and imaginary parts) and ``"target_mask"`` (``(freq, frames)``
    for a real mask, ``(2, freq, frames)`` for a complex one; absent when ``with_target_mask=False``).
    :meth:`waveforms` gives the audio of an item.
    """

    def __init__(self, split: str = "train", mask: str = "irm", n_items: int = 512,
                 segment_seconds: float = 1.0, snr_range=(-5.0, 10.0), gain_range_db=(-6.0, 6.0),
                 noises=None, seed: int = 0, config: STFTConfig | None = None,
                 K: float = 10.0, C: float = 0.1, speed_factors=(1.0,), with_target_mask: bool = True):
        self.split = _check_split(split)
        self.mask = check_choice(mask, "mask", MASK_KINDS, what="mask kind")
        self.n_items = check_positive_int(n_items, "n_items")
        seconds = check_number(segment_seconds, "segment_seconds", low=0.0, low_open=True, unit="seconds")
        self.segment_length = int(round(seconds * SR))
        self.config = _as_config(config)
        if self.segment_length < self.config.n_fft:
            raise SpecmaskInputError(f"`segment_seconds` = {seconds} s is shorter than one STFT frame.")
        self.snr_range = _check_range(snr_range, "snr_range")
        self.gain_range_db = _check_range(gain_range_db, "gain_range_db")
        self.seed = check_seed(seed)
        self.K = check_number(K, "K", low=0.0, low_open=True)
        self.C = check_number(C, "C", low=0.0, low_open=True)
        self.epoch = 0
        self.with_target_mask = bool(with_target_mask)
        clips = split_clips(self.split, noises)
        try:
            self.speed_factors = tuple(check_finite_number(f, "speed_factors") for f in speed_factors)
        except TypeError:
            raise SpecmaskInputError(f"`speed_factors` must be a sequence such as (0.9, 1.0, 1.1), got {speed_factors!r}.") from None
        if not self.speed_factors or not all(0.5 <= f <= 2.0 for f in self.speed_factors):
            raise SpecmaskInputError(f"`speed_factors` must be speeds between 0.5 and 2, got {speed_factors!r}.")
        self.speech = {}
        for name in clips["speech"]:
            x = load_example(name, SR)
            for f in self.speed_factors:
                self.speech[(name, f)] = x if f == 1.0 else resample(x, int(round(SR * f)), SR)
        self.noise = {}
        for kind, (clip, start, stop) in clips["noise"].items():
            self.noise[kind] = load_example(clip, SR)[start:stop]
        self.noise_types = tuple(self.noise)
        self.speech_names = tuple(clips["speech"])
        short = [n for n, x in self.speech.items() if x.size < self.segment_length]
        if short:
            raise SpecmaskInputError(f"`segment_seconds` is longer than speech clip(s) {short}; use a shorter segment.")

    def __len__(self) -> int:
        return self.n_items

    def set_epoch(self, epoch: int) -> None:
        """Draw a fresh set of mixtures for epoch ``epoch`` (the training loop calls this)."""
        self.epoch = int(epoch)

    def recipe(self, index: int) -> dict:
        """How item ``index`` of the current epoch is made: speech clip and start sample, noise type and
        start sample, SNR and gain in dB. Deterministic for ``(seed, epoch, index)``."""
        if not 0 <= int(index) < self.n_items:
            raise IndexError(f"item {index} out of range for a dataset of {self.n_items} items")
        rng = np.random.default_rng([self.seed, self.epoch, int(index)])
        speech = self.speech_names[rng.integers(len(self.speech_names))]
        noise = self.noise_types[rng.integers(len(self.noise_types))]
        speed = self.speed_factors[rng.integers(len(self.speed_factors))] if len(self.speed_factors) > 1 else 1.0
        n = self.segment_length
        speech_start = int(rng.integers(self.speech[(speech, speed)].size - n + 1))
        noise_start = int(rng.integers(max(self.noise[noise].size - n, 0) + 1))
        return {
            "speech": speech,
            "speed": speed,
            "speech_start": speech_start,
            "noise": noise,
            "noise_start": noise_start,
            "snr_db": float(rng.uniform(*self.snr_range)),
            "gain_db": float(rng.uniform(*self.gain_range_db)),
        }

    def waveforms(self, index: int) -> dict:
        """The audio of item ``index``: ``"mixture"``, ``"target"``, ``"interference"`` (float64,
        ``mixture == target + interference``), ``"sr"`` and the :meth:`recipe`."""
        r = self.recipe(index)
        n = self.segment_length
        target = self.speech[(r["speech"], r["speed"])][r["speech_start"]: r["speech_start"] + n]
        noise = self.noise[r["noise"]][r["noise_start"]: r["noise_start"] + n]  # tiled by mix_at_snr if short
        mixture, interference = mix_at_snr(target, noise, r["snr_db"])
        gain = 10.0 ** (r["gain_db"] / 20.0)
        return {"mixture": gain * mixture, "target": gain * target, "interference": gain * interference,
                "sr": SR, **r}

    def __getitem__(self, index: int) -> dict:
        w = self.waveforms(index)
        S = stft(w["target"], self.config)
        Y = stft(w["mixture"], self.config)
        item = {"mixture": stft_to_tensor(Y), "target": stft_to_tensor(S)}
        if self.with_target_mask:
            item["target_mask"] = training_target(S, Y, self.mask, K=self.K, C=self.C)
        return item


class HeldoutExample(dict):
    """One held-out mixture: the dict of :func:`specmask_edu.examples.load_mixture` (``"mixture"``,
    ``"target"``, ``"interference"``, ``"sr"``, ``"snr_db"``, ``"speech"``) with ``"noise"`` set to the
    noise type and ``"name"`` = ``"<speech> + <noise>"``."""


def heldout_examples(snr_db: float = 0.0, noises=None, speech=None) -> list[HeldoutExample]:
    """Every held-out speech clip mixed with every held-out noise region at ``snr_db``.

    The whole speech clip is used (3-7 s); the held-out noise region (e.g. the last 1.5 s of
    ``white_noise``, all of ``babble_heldout`` or of the recorded ``water_stream``) is repeated to the speech's length by
    :func:`specmask_edu.audio.mix_at_snr`. No randomness: the same call gives the same mixtures.

    Parameters
    ----------
    snr_db : float
        Input SNR in dB (default 0).
    noises : sequence of str or None
        Noise types (default every held-out type, :func:`noise_types` ``("heldout")``).
    speech : sequence of str or None
        Held-out speech clips (default all of them); a training clip is refused.
    """
    snr_db = check_finite_number(snr_db, "snr_db")
    clips = split_clips("heldout", noises)
    names = clips["speech"] if speech is None else ([speech] if isinstance(speech, str) else list(speech))
    leaked = [n for n in names if n not in clips["speech"]]
    if leaked:
        raise SpecmaskInputError(
            f"{leaked} are not held-out speech clips; evaluation must use unseen material: choose from "
            f"{clips['speech']}."
        )
    examples = []
    for kind, (clip, start, stop) in clips["noise"].items():
        noise = load_example(clip, SR)[start:stop]
        for name in names:
            mix = load_mixture(name, noise, snr_db=snr_db, sr=SR)
            mix["noise"] = kind
            mix["name"] = f"{name} + {kind}"
            examples.append(HeldoutExample(mix))
    return examples
