r"""Short-time Fourier transform and its inverse (taught in ``notebooks/01_stft_magnitude_phase.ipynb``).

The STFT of a waveform :math:`x[n]` with window :math:`w` of length ``n_fft`` and hop ``hop_length`` is

.. math::

    X[k, m] = \sum_{n=0}^{N-1} x[n + mH]\, w[n]\, e^{-j 2\pi k n / N},
    \qquad k = 0,\dots,N/2, \quad m = 0,\dots,M-1

with :math:`N` = ``n_fft`` and :math:`H` = ``hop_length``. It is a complex array shaped
``(freq, frames) = (n_fft // 2 + 1, M)``. Bin :math:`k` is at :math:`k \cdot sr / N` Hz and frame
:math:`m` is centred at :math:`m \cdot H / sr` seconds (``center=True``). The phase :math:`\angle X[k, m]` refers
to the **first** sample of the frame (:math:`n = 0` in the sum), as in librosa: for a sinusoid at the bin
frequency it differs from the phase at the frame centre by :math:`\pi k`.

Bins are :math:`sr/N` Hz apart, but two tones are resolved only if they are further apart than the window's
main lobe (for Hann, :math:`4\, sr/N` wide between its first zeros; the peaks merge below about
:math:`2\, sr/N`): bin spacing is not frequency resolution (lesson 01, section 3).

The inverse is weighted overlap-add divided by the summed squared windows
:math:`\sum_m w^2[n - mH]`, so ``istft(stft(x), length=len(x))`` gives ``x`` back to rounding error whenever that
sum is non-zero at every sample (the NOLA condition: nonzero overlap-add). The stricter COLA condition
(the windows themselves add up to a constant) is not needed. A Hann window with ``hop_length = n_fft`` fails
NOLA: the window is zero at the frame edges, so those samples are lost (lesson 01, section 4).
Both directions use librosa (imported on first use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import SpecmaskInputError, as_stft, as_waveform, check_positive_int

__all__ = ["STFTConfig", "MAX_STFT_VALUES", "stft", "istft", "magnitude_phase"]

#: Largest STFT (frequency bins x frames) :func:`stft` computes: 16 Mi values, 256 MB of complex128. A clip's
#: STFT stays far below it with usual settings (120 s at 16 kHz, n_fft 512, hop 128: 3.9 M); a hop of a few
#: samples would not, and is refused with the limit in the message (re-exported by ``_defaults``).
MAX_STFT_VALUES = 16 * 1024 * 1024


#: Window names scipy.signal.get_window always knows; other names are checked with scipy.
_COMMON_WINDOWS = frozenset({"hann", "hamming", "blackman", "boxcar", "bartlett", "triang", "blackmanharris"})


@dataclass(frozen=True)
class STFTConfig:
    """Parameters of an STFT, shared by analysis and synthesis.

    Parameters
    ----------
    n_fft : int
        Frame (and FFT) length in samples; gives ``n_fft // 2 + 1`` frequency bins.
        Longer frames: finer frequency resolution, coarser time resolution. Default 512
        (32 ms at 16 kHz).
    hop_length : int
        Samples between the starts of two frames, at most ``n_fft``. Default 128 (8 ms at 16 kHz),
        i.e. 75 % overlap.
    window : str
        Window name understood by ``scipy.signal.get_window`` (``"hann"``, ``"hamming"``,
        ``"blackman"``, ``"boxcar"``...). Default ``"hann"``.
    center : bool
        Pad the signal by ``n_fft // 2`` on both sides so frame ``m`` is centred at sample ``m * hop_length``.

    Examples
    --------
    >>> cfg = STFTConfig(n_fft=1024, hop_length=256)
    >>> cfg.n_freqs
    513
    """

    n_fft: int = 512
    hop_length: int = 128
    window: str = "hann"
    center: bool = True

    def __post_init__(self):
        check_positive_int(self.n_fft, "n_fft")
        check_positive_int(self.hop_length, "hop_length")
        if self.n_fft < 2:
            raise SpecmaskInputError(f"`n_fft` must be at least 2, got {self.n_fft}.")
        if self.hop_length > self.n_fft:
            raise SpecmaskInputError(
                f"`hop_length` ({self.hop_length}) is larger than `n_fft` ({self.n_fft}): samples between "
                "frames would never be analysed. Use hop_length <= n_fft (n_fft // 4 is a good default)."
            )
        if not isinstance(self.window, str):
            raise SpecmaskInputError(
                f"`window` must be a window name such as 'hann', got {type(self.window).__name__}."
            )
        if self.window in _COMMON_WINDOWS:  # known to scipy: no need to load it (keeps the import light)
            return
        try:
            from scipy.signal import get_window

            get_window(self.window, self.n_fft)
        except (ValueError, TypeError) as err:
            raise SpecmaskInputError(
                f"Unknown window {self.window!r}: use a name scipy.signal.get_window knows, "
                "e.g. 'hann', 'hamming', 'blackman' or 'boxcar'."
            ) from err

    @property
    def n_freqs(self) -> int:
        """Number of frequency bins, ``n_fft // 2 + 1``."""
        return self.n_fft // 2 + 1

    def n_frames(self, n_samples: int) -> int:
        """Number of STFT frames for a signal of ``n_samples`` samples."""
        n_samples = check_positive_int(n_samples, "n_samples")
        if self.center:  # padded by n_fft // 2 on both sides (for an odd n_fft that is not n_fft / 2)
            return 1 + (n_samples + 2 * (self.n_fft // 2) - self.n_fft) // self.hop_length
        if n_samples < self.n_fft:
            return 0
        return 1 + (n_samples - self.n_fft) // self.hop_length

    def frequencies(self, sr: float) -> np.ndarray:
        """Centre frequency of each bin in Hz: ``k * sr / n_fft`` for ``k = 0..n_fft//2``."""
        return np.arange(self.n_freqs) * float(sr) / self.n_fft

    def times(self, n_frames: int, sr: float) -> np.ndarray:
        """Time in seconds of the centre of each frame (with ``center=False`` frame 0 starts at 0 s, so its
        centre is at ``n_fft / 2 / sr``)."""
        t = np.arange(int(n_frames)) * self.hop_length / float(sr)
        if not self.center:
            t = t + self.n_fft / (2.0 * float(sr))
        return t

    def frequency_resolution(self, sr: float) -> float:
        """Spacing between bins in Hz (``sr / n_fft``). Not the smallest distance at which two tones are told apart:
        that is set by the window's main lobe (Hann: about ``2 * sr / n_fft`` or more)."""
        return float(sr) / self.n_fft

    def time_resolution(self, sr: float) -> float:
        """Spacing between frames in seconds (``hop_length / sr``)."""
        return self.hop_length / float(sr)


def _as_config(config) -> STFTConfig:
    if config is None:
        return STFTConfig()
    if not isinstance(config, STFTConfig):
        raise SpecmaskInputError(
            f"`config` must be an STFTConfig, e.g. STFTConfig(n_fft=512, hop_length=128), got {config!r}."
        )
    return config


def stft(x, config: STFTConfig | None = None) -> np.ndarray:
    """Complex STFT of a mono waveform, shaped ``(n_fft // 2 + 1, frames)``.

    Parameters
    ----------
    x : ndarray, shape (n_samples,)
        Mono waveform (float; integer PCM is scaled to [-1, 1]). At least one frame (``n_fft``
        samples) long; a shorter clip raises an error rather than analysing mostly padding.
    config : STFTConfig, optional
        Frame length, hop, window and centring. Default ``STFTConfig()``.

    Returns
    -------
    ndarray of complex128, shape (freq, frames)

    Taught in ``notebooks/01_stft_magnitude_phase.ipynb``.
    """
    config = _as_config(config)
    x = as_waveform(x, "x", min_length=config.n_fft)
    size = config.n_freqs * config.n_frames(x.size)
    if size > MAX_STFT_VALUES:
        raise SpecmaskInputError(
            f"This STFT would hold {config.n_freqs} bins x {config.n_frames(x.size)} frames = {size:,} values, "
            f"more than the limit of {MAX_STFT_VALUES:,} (256 MB). Use a larger hop_length (n_fft // 4 = "
            f"{max(1, config.n_fft // 4)} is usual) or a shorter clip."
        )
    import librosa

    X = librosa.stft(
        x,
        n_fft=config.n_fft,
        hop_length=config.hop_length,
        window=config.window,
        center=config.center,
        dtype=np.complex128,
    )
    if not np.all(np.isfinite(X)):
        raise SpecmaskInputError(
            f"The STFT of `x` overflows (its largest sample is {float(np.max(np.abs(x))):.3g}): audio samples "
            "belong near [-1, 1]. Scale the signal first, e.g. peak_normalize(x)."
        )
    return X


def istft(X, config: STFTConfig | None = None, length: int | None = None) -> np.ndarray:
    """Waveform from a complex STFT by weighted overlap-add.

    Parameters
    ----------
    X : complex ndarray, shape (freq, frames)
        An STFT, possibly modified by a mask. ``freq`` must equal ``config.n_fft // 2 + 1``.
    config : STFTConfig, optional
        The configuration used for analysis.
    length : int, optional
        Output length in samples. Pass ``len(x)`` to get exactly the input's length back; otherwise the
        length is ``hop_length * (frames - 1)``.

    Returns
    -------
    ndarray of float64, shape (length,)

    Notes
    -----
    A modified STFT (after masking) is generally not the STFT of any signal; ``istft`` returns the
    signal whose STFT is closest in the least-squares sense (Griffin & Lim, 1984).
    """
    config = _as_config(config)
    X = as_stft(X, "X")
    if X.shape[0] != config.n_freqs:
        raise SpecmaskInputError(
            f"The STFT has {X.shape[0]} frequency bins but config.n_fft={config.n_fft} expects "
            f"{config.n_freqs}. Use the same STFTConfig for stft and istft."
        )
    if length is not None:
        length = check_positive_int(length, "length")
    return _istft_stack(X, config, length)


def _istft_stack(X, config: STFTConfig, length: int | None) -> np.ndarray:
    """:func:`istft` without the checks, of one STFT ``(freq, frames)`` or a stack ``(..., freq, frames)``.

    A stack gives ``out[i] == istft(X[i], config, length)`` exactly (every frame is inverted and added
    in the same order), in one pass: the explorers invert several masked mixtures at once this way.
    ``X`` must be a finite complex array with ``config.n_freqs`` rows (as :func:`istft` checks).
    """
    import librosa

    return librosa.istft(
        X,
        n_fft=config.n_fft,
        hop_length=config.hop_length,
        window=config.window,
        center=config.center,
        length=length,
        dtype=np.float64,
    )


def magnitude_phase(X) -> tuple[np.ndarray, np.ndarray]:
    r"""Split an STFT into magnitude :math:`|X|` and phase :math:`\angle X` in radians, (-π, π].

    ``magnitude * np.exp(1j * phase)`` gives ``X`` back.
    """
    X = as_stft(X, "X")
    return np.abs(X), np.angle(X)
