"""Every input check of the package, in one place and one voice: each public function validates through
these helpers, so a student gets the same clear message wherever a wrong value goes in.

Each check names the argument, the value it got, what was wrong and what to do about it, and raises a
:class:`SpecmaskInputError` (a ``ValueError``). The checks return the cleaned value (``check_sr(16000.0)``
gives ``16000``), so a function reads ``sr = check_sr(sr)``.

This is the bottom layer: it imports NumPy only (no other module of the package), so every module may use it.
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
from pathlib import Path

import numpy as np

__all__ = [
    "SpecmaskInputError",
    "PCM_DTYPES",
    "as_waveform",
    "as_stft",
    "as_mask",
    "as_rng",
    "pcm_to_float",
    "check_same_shape",
    "check_same_length",
    "check_sr",
    "check_number",
    "check_finite_number",
    "check_int",
    "check_positive_int",
    "check_seed",
    "check_choice",
    "check_bool",
    "check_output_files",
]

#: Integer sample formats read as PCM (divided by their full scale into [-1, 1]): the widths audio files and
#: decoders use (16- and 32-bit signed, 8-bit unsigned). Other integer arrays (``int64`` from ``np.array([1, -1])``
#: or ``np.random.randint``) are plain numbers and are converted value for value.
PCM_DTYPES = (np.dtype(np.int16), np.dtype(np.int32), np.dtype(np.uint8))


class SpecmaskInputError(ValueError):
    """Raised when an input cannot be used; the message says what to change."""


def _describe(x) -> str:
    arr = np.asarray(x)
    return f"array of shape {arr.shape} and dtype {arr.dtype}"


def as_waveform(x, name: str = "x", *, min_length: int = 1, allow_int: bool = True) -> np.ndarray:
    """Return ``x`` as a 1-D float64 waveform, or raise a :class:`SpecmaskInputError`.

    - Integer PCM (int16, int32, uint8: see ``PCM_DTYPES``) is converted to floats in [-1, 1] by dividing by
      the format's full scale (32768 for int16), the same convention as soundfile. Other integers (int64, as
      ``np.array([1, -1])`` makes) are numbers: ``[1, -1]`` stays ``[1.0, -1.0]``.
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
    if x.dtype.kind not in "iuf":
        raise SpecmaskInputError(
            f"`{name}` must hold numbers (audio samples), got {_describe(x)}. "
            "Load audio with specmask_edu.load_audio(...) or load_example(...)."
        )
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
    """Samples as float64: integer PCM (int16, int32, uint8, the ``PCM_DTYPES``) divided by its full scale into
    [-1, 1] (32768 for int16, as soundfile reads it; unsigned 8-bit centred on its middle value); any other
    array (floats, int64 numbers) converted value for value."""
    x = np.asarray(x)
    if x.dtype not in PCM_DTYPES:
        if x.dtype.kind not in "iufb":
            raise SpecmaskInputError(
                f"Audio samples must be numbers, got an array of dtype {x.dtype} (for example strings). "
                "Load audio with specmask_edu.load_audio(...) or load_example(...)."
            )
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
            "(np.abs(...) of it gives the magnitude). If you built it as magnitude * np.exp(phase), the "
            "imaginary unit is missing: write magnitude * np.exp(1j * phase)."
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


def check_same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str, hint: str = "") -> None:
    """Raise if two waveforms do not have the same number of samples."""
    if np.shape(a) != np.shape(b):
        msg = (f"`{name_a}` has {np.size(a)} samples but `{name_b}` has {np.size(b)}; they must be the same "
               "length.")
        msg += " " + (hint or f"Trim or pad one of them, e.g. {name_b}[:len({name_a})].")
        raise SpecmaskInputError(msg)


def check_number(value, name: str, *, low=None, high=None, low_open: bool = False, high_open: bool = False,
                 unit: str = "", hint: str = "") -> float:
    """``value`` as a finite float within optional bounds (``low_open``/``high_open`` exclude the bound).

    Booleans, strings, ``None``, NaN and infinities are refused; the message gives the allowed range.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)) or np.ndim(value):
        raise SpecmaskInputError(f"`{name}` must be a number{unit and ' in ' + unit}, got {value!r}."
                                 + (" " + hint if hint else ""))
    v = float(value)
    if not math.isfinite(v):
        raise SpecmaskInputError(f"`{name}` must be a finite number, got {value!r}." + (" " + hint if hint else ""))
    bad = (low is not None and (v < low or (low_open and v == low))) or (
        high is not None and (v > high or (high_open and v == high))
    )
    if bad:
        lo = "" if low is None else ("> " if low_open else ">= ") + f"{low:g}"
        hi = "" if high is None else ("< " if high_open else "<= ") + f"{high:g}"
        allowed = " and ".join(part for part in (lo, hi) if part)
        msg = f"`{name}` must be {allowed}{unit and ' ' + unit}, got {value!r}."
        if hint:
            msg += " " + hint
        raise SpecmaskInputError(msg)
    return v


def check_finite_number(value, name: str) -> float:
    """``value`` as a finite float (any sign): :func:`check_number` without bounds."""
    return check_number(value, name)


def check_int(value, name: str, *, low=None, high=None, hint: str = "", allow_float: bool = False) -> int:
    """``value`` as an int within ``[low, high]``: a Python or NumPy integer (with ``allow_float``, also an
    integral float such as ``16000.0``); booleans, ``1.5``, NaN and strings are refused."""
    integral = isinstance(value, numbers.Integral) or (
        allow_float and isinstance(value, numbers.Real) and math.isfinite(float(value))
        and float(value) == int(value)
    )
    if isinstance(value, (bool, np.bool_)) or not integral:
        raise SpecmaskInputError(f"`{name}` must be a whole number, got {value!r}." + (" " + hint if hint else ""))
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        if high is None:
            allowed = "a positive whole number" if low == 1 else f"a whole number >= {low}"
        elif low is None:
            allowed = f"a whole number <= {high}"
        else:
            allowed = f"a whole number between {low} and {high}"
        raise SpecmaskInputError(f"`{name}` must be {allowed}, got {value!r}."
                                 + (" " + hint if hint else ""))
    return v


def check_positive_int(value, name: str, *, high=None, hint: str = "") -> int:
    """``value`` as an int >= 1 (see :func:`check_int`)."""
    return check_int(value, name, low=1, high=high, hint=hint)


def check_sr(sr, name: str = "sr") -> int:
    """A sample rate in Hz as an int: a positive whole number (``16000`` or ``16000.0``; not ``True``, 0,
    negative, ``1.5``, NaN or a string). The one sample-rate check of the package."""
    return check_int(sr, name, low=1, hint="It is the sample rate in Hz, e.g. 16000.", allow_float=True)


def check_seed(seed, name: str = "seed") -> int:
    """A random seed: a whole number >= 0 (NumPy seeds cannot be negative)."""
    return check_int(seed, name, low=0, hint="Use a seed such as 0 or 42.")


def check_choice(value, name: str, choices, what: str = "") -> str:
    """``value`` if it is one of ``choices`` (strings), else an error naming them and the closest match
    (``what`` names the kind of thing, e.g. ``"mask kind"``)."""
    choices = list(choices)
    if isinstance(value, str) and value in choices:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
    raise SpecmaskInputError(f"Unknown {what or name} {value!r}: `{name}` must be one of {choices}.{hint}")


def check_bool(value, name: str) -> bool:
    """``value`` as a bool: ``True``/``False`` (or a NumPy bool); ``"yes"``, 1 or ``None`` are refused."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise SpecmaskInputError(f"`{name}` must be True or False, got {value!r}.")


def as_rng(rng=None, name: str = "rng") -> np.random.Generator:
    """Accept None, a seed (a whole number >= 0) or a Generator; return a Generator (the NumPy way to seed)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(check_seed(rng, name))
    raise SpecmaskInputError(
        f"`{name}` must be None, a seed (a whole number >= 0) or np.random.Generator, got {rng!r}."
    )


def check_output_files(folder, names, *, overwrite: bool = False, protect=()):
    """Check, before any work is done, that ``names`` can be written into ``folder`` without destroying
    anything: ``folder`` is not an existing file, it is (or can be made) a writable folder, none of
    ``names`` exists there yet unless ``overwrite`` is True, and none of them is one of the ``protect`` paths
    (the command's own input, never overwritten even with ``overwrite``). Returns the folder as a Path
    (created when missing)."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise SpecmaskInputError(
            f"The output folder {str(out)!r} is an existing file, not a folder. Pass a folder name with --out, "
            "e.g. --out demo_output."
        )
    protected = {Path(p).resolve() for p in protect if p is not None}
    targets = [out / name for name in names]
    for target in targets:
        if target.resolve() in protected:
            raise SpecmaskInputError(
                f"Writing {str(target)!r} would replace your input file. Choose another output folder, "
                "e.g. --out demo_output."
            )
    existing = [str(t) for t in targets if t.exists()]
    if existing and not overwrite:
        raise SpecmaskInputError(
            f"{len(existing)} file(s) in {str(out)!r} would be replaced ({', '.join(existing[:4])}"
            f"{', ...' if len(existing) > 4 else ''}). Choose an empty or new folder, or pass --overwrite "
            "(overwrite=True) to replace them."
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SpecmaskInputError(f"Cannot create the output folder {str(out)!r} ({err.strerror}). "
                                 "Choose a folder you can write to.") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise SpecmaskInputError(f"The output folder {str(out)!r} is not writable. Choose a folder you can "
                                 "write to, e.g. one in your home folder.")
    return out
