"""Shared input checks: every public function validates through these helpers, so a
student gets the same clear message wherever a wrong array goes in.

Each check names what was wrong and what to do about it.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "SpecmaskInputError",
    "as_waveform",
    "as_stft",
    "as_mask",
    "check_same_shape",
    "check_positive_int",
    "check_finite_number",
    "as_rng",
]


class SpecmaskInputError(ValueError):
    """Raised when an input cannot be used; the message says what to change."""


def _describe(x) -> str:
    arr = np.asarray(x)
    return f"array of shape {arr.shape} and dtype {arr.dtype}"


def as_waveform(x, name: str = "x", *, min_length: int = 1, allow_int: bool = True) -> np.ndarray:
    """Return ``x`` as a 1-D float64 waveform, or raise a :class:`SpecmaskInputError`.

    - Integer PCM (int16, int32, uint8) is converted to floats in [-1, 1] by dividing by the
      format's full scale (32768 for int16), the same convention as soundfile.
    - Stereo is refused with advice (use ``audio.to_mono`` or ``load_audio(..., mono=True)``).
    - NaN/Inf, empty signals and complex arrays are refused.
    """
    if isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if not isinstance(x, np.ndarray):
        raise SpecmaskInputError(
            f"`{name}` must be a NumPy array of audio samples, got {type(x).__name__}. "
            "Load audio with specmask_edu.load_audio(...) or load_example(...)."
        )
    if np.iscomplexobj(x):
        raise SpecmaskInputError(
            f"`{name}` is complex ({_describe(x)}), but a waveform must be real. "
            "Did you pass an STFT? Use istft(...) to go back to a waveform."
        )
    if x.ndim == 2 and 1 in x.shape:
        x = x.reshape(-1)
    if x.ndim != 1:
        if x.ndim == 2:
            raise SpecmaskInputError(
                f"`{name}` has shape {x.shape}: it looks like a multi-channel (stereo) signal or a "
                "spectrogram. Masks here work on one channel: convert with "
                "specmask_edu.audio.to_mono(x) (averages the channels), or pick one channel, e.g. x[:, 0]."
            )
        raise SpecmaskInputError(f"`{name}` must be a 1-D waveform, got {_describe(x)}.")
    if x.dtype.kind in "iu" and not allow_int:
        raise SpecmaskInputError(f"`{name}` must hold floats, got integers ({x.dtype}).")
    if x.dtype.kind == "b":
        raise SpecmaskInputError(f"`{name}` is a boolean array; a waveform needs numeric samples.")
    x = pcm_to_float(x)
    if x.size == 0:
        raise SpecmaskInputError(
            f"`{name}` is empty (0 samples). Check the file or the slice you took: there is no audio to process."
        )
    if not np.all(np.isfinite(x)):
        n_bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise SpecmaskInputError(
            f"`{name}` contains {n_bad} NaN or infinite sample(s). Audio must be finite: find where they "
            "come from (often a division by zero), or replace them with np.nan_to_num(x)."
        )
    if x.size < min_length:
        raise SpecmaskInputError(
            f"`{name}` has {x.size} samples but at least {min_length} are needed "
            f"(one analysis frame). Use a longer clip or a smaller n_fft."
        )
    return x


def pcm_to_float(x: np.ndarray) -> np.ndarray:
    """Samples as float64: integer PCM (int16, int32, uint8) divided by its full scale into [-1, 1] (32768
    for int16, as soundfile reads it; unsigned 8-bit centred on its middle value); floats unchanged."""
    x = np.asarray(x)
    if x.dtype.kind not in "iu":
        return np.asarray(x, dtype=np.float64)
    info = np.iinfo(x.dtype)
    if x.dtype.kind == "u":
        mid = (int(info.max) + 1) / 2.0
        return (x.astype(np.float64) - mid) / mid
    return x.astype(np.float64) / float(-int(info.min))


def as_stft(X, name: str = "X") -> np.ndarray:
    """Return ``X`` as a complex 2-D array shaped (freq, frames), or raise with advice."""
    if not isinstance(X, np.ndarray):
        X = np.asarray(X)
    if not np.iscomplexobj(X):
        if X.ndim == 1:
            raise SpecmaskInputError(
                f"`{name}` is a 1-D real array ({_describe(X)}): that is a waveform, but an STFT is expected. "
                "Compute it first with specmask_edu.stft(x)."
            )
        raise SpecmaskInputError(
            f"`{name}` is real ({_describe(X)}), but a complex STFT is expected. If you have a magnitude "
            "spectrogram, you have lost the phase: use the complex output of specmask_edu.stft(x) instead "
            "(np.abs(...) of it gives the magnitude)."
        )
    if X.ndim != 2:
        raise SpecmaskInputError(
            f"`{name}` must be 2-D, shaped (freq, frames), got {_describe(X)}. "
            "For several channels, process one channel at a time."
        )
    if X.size == 0:
        raise SpecmaskInputError(f"`{name}` is an empty STFT ({_describe(X)}).")
    if not np.all(np.isfinite(X)):
        raise SpecmaskInputError(f"`{name}` contains NaN or infinite values; compute the STFT from finite audio.")
    return X


def as_mask(mask, name: str = "mask") -> np.ndarray:
    """Return a mask (real or complex, 2-D) as an array; refuse NaN/Inf with advice."""
    m = np.asarray(mask)
    if m.dtype.kind == "b":
        m = m.astype(np.float64)
    if m.dtype.kind not in "fciu":
        raise SpecmaskInputError(f"`{name}` must be numeric, got dtype {m.dtype}.")
    if m.ndim != 2:
        raise SpecmaskInputError(
            f"`{name}` must be 2-D, shaped (freq, frames) like the STFT it is applied to, got shape {m.shape}."
        )
    if not np.all(np.isfinite(m)):
        raise SpecmaskInputError(
            f"`{name}` contains NaN or infinite values. Masks must be finite: guard divisions, e.g. "
            "S / np.maximum(np.abs(Y), eps), or use the mask functions of specmask_edu.masks."
        )
    return m


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str, hint: str = "") -> None:
    """Raise if two arrays do not have the same shape."""
    if a.shape != b.shape:
        msg = f"`{name_a}` has shape {a.shape} but `{name_b}` has shape {b.shape}; they must match."
        if hint:
            msg += " " + hint
        raise SpecmaskInputError(msg)


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise SpecmaskInputError(f"`{name}` must be a positive whole number, got {value!r}.")
    return int(value)


def check_finite_number(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SpecmaskInputError(f"`{name}` must be a number, got {value!r}.") from None
    if not np.isfinite(v):
        raise SpecmaskInputError(f"`{name}` must be finite, got {value!r}.")
    return v


def as_rng(rng=None) -> np.random.Generator:
    """Accept None, an int seed or a Generator; return a Generator (the NumPy way to seed)."""
    if rng is None or isinstance(rng, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise SpecmaskInputError(
        f"`rng` must be None, an integer seed or np.random.Generator, got {type(rng).__name__}."
    )
