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

from ._defaults import DEFAULT_SR, MAX_DECODED_SAMPLES
from ._validation import (
    SpecmaskInputError,
    as_waveform,
    check_number,
    check_positive_int,
    check_sr,
    pcm_to_float,
)

__all__ = [
    "DEFAULT_SR",
    "MAX_DURATION",
    "MAX_DECODED_SAMPLES",
    "MAX_SNR_DB",
    "WRITABLE_FORMATS",
    "load_audio",
    "load_upload",
    "upload_limit_text",
    "PHONE_FORMATS",
    "save_audio",
    "to_mono",
    "resample",
    "peak_gain",
    "peak_normalize",
    "rms",
    "mix_at_snr",
    "fit_length",
    "snr_gain",
]

#: Longest clip :func:`load_audio` accepts by default (seconds); lessons stay responsive below this.
MAX_DURATION = 120.0
#: Largest |SNR| in dB that :func:`mix_at_snr` sets: beyond it one signal is below float64 rounding error.
MAX_SNR_DB = 120.0
#: File endings :func:`save_audio` writes, with their soundfile format.
WRITABLE_FORMATS = {".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG"}
#: Frames decoded at a time by :func:`load_audio` (each block is downmixed before the next is read).
_BLOCK_FRAMES = 65536


def _bytes_from_upload(source):
    """The bytes and file name of what ipywidgets' FileUpload gives, or ``(None, None)`` for anything else.

    Accepted: ``upload.value`` of ipywidgets 8 (a tuple of dicts with ``content`` and ``name``), one such
    dict (``upload.value[0]``), an object with a ``content`` attribute, and ipywidgets 7's
    ``{file_name: {"content": ..., "metadata": ...}}``.
    """
    if isinstance(source, (tuple, list)):
        if len(source) == 0:
            raise SpecmaskInputError("The upload is empty: choose a file in the upload widget first.")
        if len(source) > 1:
            raise SpecmaskInputError(f"{len(source)} files were uploaded; pass one at a time, e.g. upload.value[0].")
        source = source[0]
    if isinstance(source, dict) and "content" not in source:
        # ipywidgets 7: {file name: {"content": ..., "metadata": ...}}
        if len(source) == 0:
            raise SpecmaskInputError("The upload is empty: choose a file in the upload widget first.")
        if len(source) > 1:
            raise SpecmaskInputError(f"{len(source)} files were uploaded; pass one at a time.")
        (name, entry), = source.items()
        if not (isinstance(entry, dict) and "content" in entry):
            raise SpecmaskInputError(
                "This dict is not an upload: pass upload.value (or upload.value[0]) of an ipywidgets FileUpload, "
                "a file path, or the bytes of an audio file."
            )
        return _content_bytes(entry["content"]), str(name)
    if isinstance(source, dict) or hasattr(source, "content"):
        content = source["content"] if isinstance(source, dict) else source.content
        name = source.get("name") if isinstance(source, dict) else getattr(source, "name", None)
        return _content_bytes(content), (str(name) if name else None)
    return None, None


def _content_bytes(content) -> bytes:
    try:
        return bytes(content)
    except (TypeError, ValueError):
        raise SpecmaskInputError(
            f"The upload's content must be bytes, got {type(content).__name__}."
        ) from None


def _open_source(source):
    """``(handle, label)`` for soundfile: a path string or a BytesIO over uploaded bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data_bytes, name = bytes(source), None
    else:
        data_bytes, name = _bytes_from_upload(source)
    if data_bytes is not None:
        if len(data_bytes) == 0:
            raise SpecmaskInputError("The audio data is empty (0 bytes): the upload or file did not arrive.")
        return io.BytesIO(data_bytes), (f"the upload '{name}'" if name else "the uploaded data")
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = f"'{path}'"
        if not path.exists():
            raise SpecmaskInputError(
                f"No file at {label}. Check the path (relative paths start from the notebook's folder), "
                "or use load_example(name) for a bundled clip (list_examples() names them)."
            )
        if path.is_dir():
            raise SpecmaskInputError(f"{label} is a folder, not an audio file.")
        return str(path), label
    raise SpecmaskInputError(
        f"`source` must be a file path or the bytes of an audio file, got {type(source).__name__}."
    )


#: Endings of phone and video recordings (AAC/ALAC in an MP4 container, AMR, 3GP) that libsndfile cannot decode.
PHONE_FORMATS = (".m4a", ".mp4", ".aac", ".3gp", ".amr", ".caf", ".mov", ".webm")


def _phone_format_advice(handle, label) -> str | None:
    """Conversion advice when ``handle`` (a path or BytesIO) is a phone/video recording: an MP4 container
    (``ftyp`` at byte 4: .m4a from iPhone Voice Memos and most Android recorders) or a known ending."""
    try:
        head = handle.getvalue()[:12] if isinstance(handle, io.BytesIO) else Path(handle).open("rb").read(12)
    except OSError:
        head = b""
    ending = next((e for e in PHONE_FORMATS if label.lower().rstrip("'").endswith(e)), None)
    if head[4:8] != b"ftyp" and ending is None:
        return None
    kind = ending or ".m4a/.mp4"
    return (f"{label} is a {kind} file, a phone or video format that this package cannot decode (.m4a is what "
            "iPhone Voice Memos and many Android recorders save: AAC audio in an MP4 container). Convert it to WAV first: "
            "`ffmpeg -i recording.m4a -ac 1 recording.wav` in a terminal, or open it in Audacity and use "
            "File > Export > Export as WAV; or set the recorder app to WAV (or FLAC) before you record. "
            "Then upload or load the .wav file.")


def upload_limit_text() -> str:
    """How large an upload this Jupyter server accepts, in words: the limit ``specmask-edu lab`` set (it passes
    it to the kernel in ``SPECMASK_UPLOAD_LIMIT_BYTES``), else the Jupyter server's default of about 10 MB."""
    limit = os.environ.get("SPECMASK_UPLOAD_LIMIT_BYTES", "")
    if limit.isdigit():
        return f"{int(limit) / 1e6:.0f} MB (set by specmask-edu lab)"
    return "about 10 MB (the Jupyter server's default; `specmask-edu lab` raises it to 100 MB)"


def load_upload(upload, default, default_label: str, sr: int = DEFAULT_SR) -> tuple[np.ndarray, str]:
    """``(waveform, label)`` of the file chosen in an ``ipywidgets.FileUpload``, or ``(default, default_label)``
    when nothing arrived (taught in lessons 00, 02 and 04).

    A file larger than the server's websocket message limit never reaches Python: the browser drops it
    without a message and ``upload.value`` stays empty. So when nothing arrived this prints what to do if a
    file *was* chosen: a shorter or compressed file (FLAC, MP3, OGG), or a path instead of an upload.
    """
    value = getattr(upload, "value", upload)
    if value:
        x = load_audio(value, sr=sr)
        first = value[0] if isinstance(value, (tuple, list)) else value
        name = first.get("name") if isinstance(first, dict) else getattr(first, "name", None)
        return x, str(name or "your upload")
    print(f"No upload arrived, so {default_label} is used. If you did choose a file (the button then shows "
          f"'(1)'), it did not reach Python: this server drops uploads above {upload_limit_text()} without a "
          "message. Use a shorter or compressed file (FLAC, MP3 or OGG; two minutes of 16 kHz mono WAV is 3.8 MB), "
          "or copy the file next to this notebook and load it by its path: sm.load_audio(\"my_recording.wav\").")
    return default, default_label


def load_audio(source, sr: int | None = DEFAULT_SR, mono: bool = True,
               max_duration: float | None = MAX_DURATION) -> np.ndarray:
    """Load audio from a file path or from raw bytes, as a float64 waveform at ``sr`` Hz.

    The file's header is read first: a file longer than ``max_duration``, or holding more than
    ``MAX_DECODED_SAMPLES`` decoded samples (frames x channels: 120 s of 48 kHz stereo, 11,520,000
    samples, about 92 MB as float64) is refused **before** anything is decoded, so a small compressed
    file that would expand to gigabytes (many channels at a very high rate) cannot exhaust a shared
    hub's memory. The audio is then decoded in blocks and downmixed to mono block by block, and
    resampled last.

    Parameters
    ----------
    source : str, pathlib.Path, bytes, bytearray, memoryview, or an ipywidgets FileUpload value
        A path to a WAV/FLAC/OGG/MP3 file, the bytes of such a file, or ``upload.value`` /
        ``upload.value[0]`` from an ``ipywidgets.FileUpload`` (ipywidgets 8, or 7's
        ``{name: {"content": ...}}``).
    sr : int or None
        Target sample rate in Hz (default 16000); ``None`` keeps the file's own rate.
    mono : bool
        Average the channels to one (default). With ``mono=False`` a multi-channel file returns an array
        shaped (channels, samples).
    max_duration : float or None
        Longest accepted duration in seconds (default 120); ``None`` accepts any length within the
        decoded-samples budget.

    Returns
    -------
    ndarray of float64 (samples,) — or (channels, samples) when ``mono=False``.

    Raises
    ------
    SpecmaskInputError
        For a missing file, data that is not audio, an empty, over-long or too large clip, NaN samples.
    """
    import soundfile as sf

    if sr is not None:
        sr = check_sr(sr)
    if max_duration is not None:
        max_duration = check_number(max_duration, "max_duration", low=0.0, low_open=True, unit="seconds",
                                    hint="Use None to accept any length within the size budget.")
    handle, label = _open_source(source)
    try:
        with sf.SoundFile(handle) as f:
            frames, channels, file_sr = int(f.frames), int(f.channels), int(f.samplerate)
            _check_header(label, frames, channels, file_sr, max_duration)
            blocks = []
            for block in f.blocks(blocksize=_BLOCK_FRAMES, dtype="float64", always_2d=True):
                blocks.append(block.mean(axis=1) if mono else block.T.copy())
    except SpecmaskInputError:
        raise
    except (RuntimeError, sf.LibsndfileError, TypeError, ValueError, OSError, EOFError) as err:
        phone = _phone_format_advice(handle, label)
        if phone:
            raise SpecmaskInputError(phone) from err
        raise SpecmaskInputError(
            f"Could not read {label} as audio ({err}). Use a WAV, FLAC, OGG or MP3 file; other formats "
            "(m4a, video files) need converting first, e.g. with ffmpeg or Audacity."
        ) from err
    if not blocks:
        raise SpecmaskInputError(f"{label} contains no samples.")
    x = np.concatenate(blocks, axis=-1)
    del blocks
    if x.shape[-1] == 0:
        raise SpecmaskInputError(f"{label} contains no samples.")
    if not np.all(np.isfinite(x)):
        raise SpecmaskInputError(
            f"{label} contains NaN or infinite samples (a damaged float file). Export it again, e.g. from "
            "Audacity as 16-bit PCM WAV."
        )
    if not mono and x.shape[0] == 1:
        x = x[0]
    if sr is not None and sr != file_sr:
        x = resample(x, file_sr, sr)
    return np.ascontiguousarray(x, dtype=np.float64)


def _check_header(label, frames, channels, file_sr, max_duration):
    """Refuse, from the header alone, a file that is empty, too long or too large to decode."""
    if frames <= 0:
        raise SpecmaskInputError(f"{label} contains no samples.")
    if max_duration is not None and frames > max_duration * file_sr:
        raise SpecmaskInputError(
            f"{label} is {frames / file_sr:.1f} s long; the limit is {max_duration:g} s "
            "so that the lessons stay responsive. Trim it (e.g. in Audacity), or pass "
            "max_duration=None if you really want the whole file."
        )
    if frames * channels > MAX_DECODED_SAMPLES:
        raise SpecmaskInputError(
            f"{label} would decode to {frames:,} frames x {channels} channel(s) = {frames * channels:,} samples "
            f"({frames / file_sr:.1f} s at {file_sr} Hz), more than the limit of {MAX_DECODED_SAMPLES:,} "
            "decoded samples (120 s of 48 kHz stereo). Export a shorter, mono or lower-rate version "
            "(e.g. 16 kHz mono in Audacity)."
        )


def save_audio(path, x, sr: int, subtype: str = "PCM_16") -> Path:
    """Write a mono waveform to a WAV, FLAC or OGG file (chosen by the file ending) and return the path.

    Samples beyond ±1 would wrap or clip in 16-bit PCM, so they raise an error that suggests
    :func:`peak_normalize`. MP3 and other endings are refused with advice (see ``WRITABLE_FORMATS``).
    """
    import soundfile as sf

    x = as_waveform(x, "x")
    sr = check_sr(sr)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE_FORMATS:
        what = "MP3 is not written by this package (its encoder is not always installed)" if suffix == ".mp3" \
            else f"the ending {suffix or '(none)'!r} is not an audio format this package writes"
        raise SpecmaskInputError(
            f"Cannot save {str(path)!r}: {what}. Use a file name ending in {', '.join(WRITABLE_FORMATS)}, "
            "e.g. estimate.wav."
        )
    file_format = WRITABLE_FORMATS[suffix]
    if not isinstance(subtype, str) or not sf.check_format(file_format, subtype if suffix != ".ogg" else "VORBIS"):
        raise SpecmaskInputError(
            f"`subtype` {subtype!r} does not fit a {file_format} file; use 'PCM_16' (or 'PCM_24', 'FLOAT' for WAV)."
        )
    if path.is_dir():
        raise SpecmaskInputError(f"{str(path)!r} is a folder; give a file name such as {str(path / 'x.wav')!r}.")
    peak = float(np.max(np.abs(x)))
    if peak > 1.0:
        raise SpecmaskInputError(
            f"The signal peaks at {peak:.3f}, beyond ±1, and would clip in the file. Scale it first, e.g. "
            "save_audio(path, peak_normalize(x), sr)."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(path), x, sr, format=file_format, subtype=subtype if suffix != ".ogg" else "VORBIS")
    except (OSError, RuntimeError, sf.LibsndfileError) as err:
        raise SpecmaskInputError(
            f"Could not write {str(path)!r} ({err}). Check that the folder exists and that you may write to it."
        ) from err
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
    """Change the sample rate from ``orig_sr`` to ``sr`` Hz (librosa's high-quality soxr resampler).

    ``x`` is a waveform (or a (channels, samples) array, resampled along the last axis) of finite numbers;
    integer PCM is scaled to [-1, 1] first. The result may hold at most ``MAX_DECODED_SAMPLES`` samples.
    """
    orig_sr = check_sr(orig_sr, "orig_sr")
    sr = check_sr(sr)
    arr = pcm_to_float(np.asarray(x))  # integer PCM in [-1, 1], as everywhere in the package
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise SpecmaskInputError(f"`x` must be a non-empty waveform (or channels x samples), got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise SpecmaskInputError("`x` contains NaN or infinite samples; audio must be finite. Find where they "
                                 "come from, or replace them with np.nan_to_num(x).")
    if orig_sr == sr:
        return arr.copy()
    if arr.size * sr / orig_sr > MAX_DECODED_SAMPLES:
        raise SpecmaskInputError(
            f"Resampling {arr.size:,} samples from {orig_sr} Hz to {sr} Hz would make "
            f"{int(arr.size * sr / orig_sr):,} samples, above the limit of {MAX_DECODED_SAMPLES:,}. "
            "Check the two rates (16000 is usual)."
        )
    import librosa

    return librosa.resample(arr, orig_sr=orig_sr, target_sr=sr, axis=-1)


def peak_gain(x, peak: float = 0.9) -> float:
    r"""The gain that scales ``x`` so that its largest absolute sample equals ``peak``:
    :math:`g = \text{peak} / \max_n |x[n]|` (1.0 for a silent signal). ``x`` may be one waveform or a
    list of them (one gain for the group). The one peak-scaling rule of the package: :func:`peak_normalize`,
    the generated sources of :mod:`specmask_edu.synth` and ``load_mixture(peak=...)`` use it."""
    peak = check_number(peak, "peak", low=0.0, high=1.0, low_open=True,
                        hint="It is the largest absolute sample after scaling, e.g. 0.9.")
    signals = x if isinstance(x, (list, tuple)) and x and isinstance(x[0], np.ndarray) else [x]
    current = max(float(np.max(np.abs(as_waveform(s, "x")))) for s in signals)
    return 1.0 if current == 0.0 else peak / current


def peak_normalize(x, peak: float = 0.9) -> np.ndarray:
    """Scale so the largest absolute sample equals ``peak`` (in (0, 1]); a silent signal stays silent."""
    x = as_waveform(x, "x")
    return x * peak_gain(x, peak)


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
    n_samples = check_positive_int(n_samples, "n_samples")
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
    snr_db = check_number(snr_db, "snr_db", low=-MAX_SNR_DB, high=MAX_SNR_DB, unit="dB",
                          hint="Beyond that one signal is below float rounding error; -10 to 30 dB are usual.")
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
