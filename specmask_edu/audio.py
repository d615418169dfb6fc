r"""Getting audio in and out: load (from a path or uploaded bytes), mono, resample, normalise, save,
and mix a target with noise at a chosen SNR (taught in ``notebooks/00_welcome.ipynb`` and
``notebooks/02_real_masks.ipynb``).

All waveforms are 1-D float64 arrays with samples nominally in [-1, 1]; sample rates ``sr`` are in Hz.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from ._validation import SpecmaskInputError, as_waveform, check_finite_number, pcm_to_float

__all__ = [
    "DEFAULT_SR",
    "MAX_DURATION",
    "load_audio",
    "save_audio",
    "to_mono",
    "resample",
    "peak_normalize",
    "rms",
    "mix_at_snr",
    "fit_length",
    "snr_gain",
]

#: Sample rate used throughout the course (Hz).
DEFAULT_SR = 16000
#: Longest clip :func:`load_audio` accepts by default (seconds); lessons stay responsive below this.
MAX_DURATION = 120.0


def _bytes_from_upload(source):
    """Accept what ipywidgets' FileUpload gives: a dict (or a tuple/list of dicts) with ``content``."""
    if isinstance(source, (tuple, list)):
        if len(source) == 0:
            raise SpecmaskInputError("The upload is empty: choose a file in the upload widget first.")
        if len(source) > 1:
            raise SpecmaskInputError(f"{len(source)} files were uploaded; pass one at a time, e.g. upload.value[0].")
        source = source[0]
    if isinstance(source, dict) or hasattr(source, "content"):
        content = source["content"] if isinstance(source, dict) else source.content
        return bytes(content)
    return None


def load_audio(source, sr: int | None = DEFAULT_SR, mono: bool = True,
               max_duration: float | None = MAX_DURATION) -> np.ndarray:
    """Load audio from a file path or from raw bytes, as a float64 waveform at ``sr`` Hz.

    Parameters
    ----------
    source : str, pathlib.Path, bytes, bytearray, memoryview, or an ipywidgets FileUpload value
        A path to a WAV/FLAC/OGG/MP3 file, the bytes of such a file, or ``upload.value`` /
        ``upload.value[0]`` from an ``ipywidgets.FileUpload``.
    sr : int or None
        Target sample rate in Hz (default 16000); ``None`` keeps the file's own rate.
    mono : bool
        Average the channels to one (default). With ``mono=False`` a multi-channel file returns an array
        shaped (channels, samples).
    max_duration : float or None
        Longest accepted duration in seconds (default 120); ``None`` accepts any length.

    Returns
    -------
    ndarray of float64 (samples,) — or (channels, samples) when ``mono=False``.

    Raises
    ------
    SpecmaskInputError
        For a missing file, data that is not audio, an empty or over-long clip.
    """
    import soundfile as sf

    data_bytes = None
    label = "the uploaded data"
    if isinstance(source, (bytes, bytearray, memoryview)):
        data_bytes = bytes(source)
    else:
        data_bytes = _bytes_from_upload(source)
    if data_bytes is not None:
        if len(data_bytes) == 0:
            raise SpecmaskInputError("The audio data is empty (0 bytes): the upload or file did not arrive.")
        handle = io.BytesIO(data_bytes)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = f"'{path}'"
        if not path.exists():
            raise SpecmaskInputError(
                f"No file at {label}. Check the path (relative paths start from the notebook's folder), "
                "or use load_example(name) for a bundled clip (list_examples() names them)."
            )
        if path.is_dir():
            raise SpecmaskInputError(f"{label} is a folder, not an audio file.")
        handle = str(path)
    else:
        raise SpecmaskInputError(
            f"`source` must be a file path or the bytes of an audio file, got {type(source).__name__}."
        )
    try:
        info = sf.info(handle)
        if hasattr(handle, "seek"):
            handle.seek(0)
        if max_duration is not None and info.frames > float(max_duration) * info.samplerate:
            raise SpecmaskInputError(
                f"{label} is {info.frames / info.samplerate:.1f} s long; the limit is {float(max_duration):.0f} s "
                "so that the lessons stay responsive. Trim it (e.g. in Audacity), or pass "
                "max_duration=None if you really want the whole file."
            )
        data, file_sr = sf.read(handle, dtype="float64", always_2d=True)
    except SpecmaskInputError:
        raise
    except (RuntimeError, sf.LibsndfileError, TypeError, ValueError) as err:
        raise SpecmaskInputError(
            f"Could not read {label} as audio ({err}). Use a WAV, FLAC, OGG or MP3 file; other formats "
            "(m4a, video files) need converting first, e.g. with ffmpeg or Audacity."
        ) from err
    if data.shape[0] == 0:
        raise SpecmaskInputError(f"{label} contains no samples.")
    x = data.T  # (channels, samples)
    if mono:
        x = x.mean(axis=0)
    elif x.shape[0] == 1:
        x = x[0]
    if sr is not None and int(sr) != int(file_sr):
        x = resample(x, int(file_sr), int(sr))
    return np.ascontiguousarray(x, dtype=np.float64)


def save_audio(path, x, sr: int, subtype: str = "PCM_16") -> Path:
    """Write a mono waveform to a WAV (or FLAC, by the file ending) file and return the path.

    Samples beyond ±1 would wrap or clip in 16-bit PCM, so they raise an error that suggests
    :func:`peak_normalize`.
    """
    import soundfile as sf

    x = as_waveform(x, "x")
    peak = float(np.max(np.abs(x)))
    if peak > 1.0:
        raise SpecmaskInputError(
            f"The signal peaks at {peak:.3f}, beyond ±1, and would clip in the file. Scale it first, e.g. "
            "save_audio(path, peak_normalize(x), sr)."
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), x, int(sr), subtype=subtype)
    return path


def to_mono(x) -> np.ndarray:
    """Average the channels of a (channels, samples) or (samples, channels) array to one channel.

    The channel axis is taken to be the shorter one (audio has far more samples than channels).
    Integer PCM is scaled to [-1, 1] as everywhere in the package.
    """
    arr = pcm_to_float(np.asarray(x))
    if arr.ndim == 2:
        arr = arr.mean(axis=0 if arr.shape[0] <= arr.shape[1] else 1)
    if arr.ndim != 1:
        raise SpecmaskInputError(f"Expected a 1-D or 2-D array, got shape {arr.shape}.")
    return as_waveform(arr, "x")


def resample(x, orig_sr: int, sr: int) -> np.ndarray:
    """Change the sample rate from ``orig_sr`` to ``sr`` Hz (librosa's high-quality soxr resampler)."""
    if int(orig_sr) <= 0 or int(sr) <= 0:
        raise SpecmaskInputError(f"Sample rates must be positive, got {orig_sr} and {sr}.")
    arr = pcm_to_float(np.asarray(x))  # integer PCM in [-1, 1], as everywhere in the package
    if int(orig_sr) == int(sr):
        return arr.copy()
    import librosa

    return librosa.resample(arr, orig_sr=int(orig_sr), target_sr=int(sr), axis=-1)


def peak_normalize(x, peak: float = 0.9) -> np.ndarray:
    """Scale so the largest absolute sample equals ``peak`` (in (0, 1]); a silent signal stays silent."""
    x = as_waveform(x, "x")
    peak = check_finite_number(peak, "peak")
    if not 0 < peak <= 1:
        raise SpecmaskInputError(f"`peak` must be in (0, 1], got {peak}.")
    current = float(np.max(np.abs(x)))
    if current == 0.0:
        return x.copy()
    return x * (peak / current)


def rms(x) -> float:
    r"""Root-mean-square level :math:`\sqrt{\frac{1}{N}\sum x[n]^2}` (linear, same unit as the samples)."""
    x = as_waveform(x, "x")
    return float(np.sqrt(np.mean(x**2)))


def mix_at_snr(target, noise, snr_db: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Mix ``target`` with ``noise`` scaled to a given SNR.

    .. math:: g = \sqrt{\frac{\|s\|^2}{\|n\|^2\,10^{\mathrm{SNR}/10}}}, \qquad y = s + g\,n

    The noise is cut to the target's length, or repeated (tiled) when it is shorter. The SNR of
    ``target`` against the returned ``scaled_noise`` equals ``snr_db`` (to rounding error).

    Returns
    -------
    (mixture, scaled_noise) : two ndarrays with the target's length

    Notes
    -----
    The mixture is not normalised, so its level is what it physically is; players in
    :mod:`specmask_edu.players` handle playback level.
    """
    s = as_waveform(target, "target")
    n = fit_length(as_waveform(noise, "noise"), s.size)
    scaled_noise = snr_gain(s, n, snr_db) * n
    return s + scaled_noise, scaled_noise


def fit_length(x, n_samples: int) -> np.ndarray:
    """``x`` cut to ``n_samples``, or repeated (tiled) first when it is shorter, as :func:`mix_at_snr` does
    with the noise."""
    x = as_waveform(x, "x")
    if x.size < n_samples:
        x = np.tile(x, int(np.ceil(n_samples / x.size)))
    return x[:n_samples]


def snr_gain(target, noise, snr_db: float) -> float:
    r"""The gain :math:`g` that puts ``noise`` ``snr_db`` dB below ``target`` (both the same length):
    :math:`g = \sqrt{\|s\|^2 / (\|n\|^2\,10^{\mathrm{SNR}/10})}`, so that :math:`y = s + g\,n`.

    :func:`mix_at_snr` mixes with it; an explorer that keeps the STFTs :math:`S` and :math:`N` uses it to
    form :math:`Y = S + gN` without a new STFT (the STFT is linear).
    """
    s = as_waveform(target, "target")
    n = as_waveform(noise, "noise")
    snr_db = check_finite_number(snr_db, "snr_db")
    if n.size != s.size:
        raise SpecmaskInputError(f"`noise` has {n.size} samples but `target` {s.size}: use fit_length(noise, "
                                 "len(target)) first, or mix_at_snr, which does it for you.")
    target_energy = float(np.sum(s**2))
    noise_energy = float(np.sum(n**2))
    if target_energy == 0.0:
        raise SpecmaskInputError("`target` is silent, so no SNR can be set. Use a clip with sound in it.")
    if noise_energy == 0.0:
        raise SpecmaskInputError("`noise` is silent (over the target's length), so it cannot be scaled to an SNR.")
    return float(np.sqrt(target_energy / (noise_energy * 10.0 ** (snr_db / 10.0))))
