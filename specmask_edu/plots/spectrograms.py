r"""Spectrograms and phase images: :func:`plot_spectrogram`, :func:`plot_phase` and their handle.

Levels in dB are absolute, not relative to each plot's maximum: 0 dB is the STFT magnitude of a
full-scale sine (amplitude 1), see :func:`magnitude_db`. So a masked estimate really looks darker than
the mixture it came from, and all spectrograms share the colour range ``[-80, 0]`` dB by default.
Also the time-frequency axes (seconds, Hz) that every image of :mod:`specmask_edu.plots` uses.
Taught from ``notebooks/01_stft_magnitude_phase.ipynb`` on.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError, check_sr
from ..stft import STFTConfig, _as_config
from ._figure import DB_RANGE, _new_axes


# --------------------------------------------------------------------------- conversions


def _window_gain(config: STFTConfig) -> float:
    """STFT magnitude of a full-scale sine at its bin centre: ``sum(window) / 2``."""
    from scipy.signal import get_window

    return float(np.sum(get_window(config.window, config.n_fft, fftbins=True))) / 2.0


def magnitude_db(X, config: STFTConfig | None = None, floor_db: float = -120.0) -> np.ndarray:
    r"""Magnitude of an STFT in dB re a full-scale sine.

    .. math:: L[k, m] = 20 \log_{10} \frac{|X[k, m]|}{\tfrac12 \sum_n w[n]}

    A sine of amplitude 1 reads about 0 dB at its frequency, whatever ``n_fft`` and window; halving the
    amplitude reads -6 dB. Values are limited below by ``floor_db`` (a silent bin is not ``-inf``).

    Parameters
    ----------
    X : complex STFT or real magnitude, shape (freq, frames)
    config : STFTConfig used to compute ``X`` (its window sets the reference)
    """
    config = _as_config(config)
    A = np.abs(np.asarray(X))  # a new array: the steps below work in place (the same numbers, fewer copies)
    if not np.issubdtype(A.dtype, np.floating):  # integer magnitudes: the dB values need a float array
        A = A.astype(np.float64)
    ref = _window_gain(config)
    floor = ref * 10.0 ** (floor_db / 20.0)
    np.maximum(A, floor, out=A)
    A /= ref
    np.log10(A, out=A)
    A *= 20.0
    return A


def _as_2d(X, name):
    A = np.asarray(X)
    if A.ndim == 1:
        raise SpecmaskInputError(
            f"`{name}` is 1-D (a waveform?). Plot functions take an STFT or a mask shaped (freq, frames): "
            "compute sm.stft(x, config) first, or use plot_waveforms for a waveform."
        )
    if A.ndim != 2:
        raise SpecmaskInputError(f"`{name}` must be 2-D (freq, frames), got shape {A.shape}.")
    return A


def _extent(shape, sr, config):
    """imshow extent (left, right, bottom, top) in seconds and Hz, pixels centred on frames/bins."""
    n_freqs, n_frames = shape
    sr = check_sr(sr)
    if n_freqs != config.n_freqs:
        raise SpecmaskInputError(
            f"The array has {n_freqs} frequency rows but config.n_fft={config.n_fft} gives {config.n_freqs}. "
            "Pass the STFTConfig the STFT was computed with."
        )
    dt = config.hop_length / float(sr)
    df = float(sr) / config.n_fft
    t0 = config.times(1, sr)[0]
    return (t0 - dt / 2, t0 + (n_frames - 0.5) * dt, -df / 2, (n_freqs - 0.5) * df)


def _label_tf(ax, fmax, sr, title):
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    ax.set_ylim(0, float(sr) / 2 if fmax is None else float(fmax))
    if title:
        ax.set_title(title)


# --------------------------------------------------------------------------- handle


class SpectrogramHandle:
    """What :func:`plot_spectrogram`, :func:`plot_mask` and :func:`plot_phase` return.

    Attributes
    ----------
    fig, ax : the figure and axes drawn into
    image : matplotlib.image.AxesImage
    colorbar : matplotlib.colorbar.Colorbar or None

    ``update(data)`` replaces the picture in place (same conversion as when it was drawn: dB for a
    spectrogram, values for a mask, angle for a phase), also when the number of frames or bins changed;
    ``show(image)`` does the same with data converted already (two views of one STFT convert it once).
    """

    def __init__(self, ax, image, colorbar, transform, sr, config):
        self.ax = ax
        self.fig = ax.figure
        self.image = image
        self.colorbar = colorbar
        self._transform = transform
        self.sr = sr
        self.config = config

    @property
    def artists(self) -> list:
        """The artists that ``update`` changes (for blitting in the explorers)."""
        return [self.image]

    def update(self, data, config: STFTConfig | None = None, title: str | None = None):
        """Show new data (same kind as before); pass ``config`` if the STFT parameters changed."""
        if config is not None:
            self.config = _as_config(config)
        return self.show(self._transform(_as_2d(data, "data"), self.config), title=title)

    def show(self, image, config: STFTConfig | None = None, title: str | None = None):
        """Show ``image`` (freq, frames[, colour]) as it is, already converted as ``update`` converts its data
        (dB for a spectrogram: :func:`magnitude_db`), e.g. the one another handle of the same STFT shows."""
        if config is not None:
            self.config = _as_config(config)
        A = np.asarray(image)  # (freq, frames), or (freq, frames, 3) for the colours of a complex mask
        self.image.set_data(A)
        extent = _extent(A.shape[:2], self.sr, self.config)
        if tuple(self.image.get_extent()) != extent:  # only when frames or bins changed (it is not free)
            view = self.ax.get_xlim(), self.ax.get_ylim()
            self.image.set_extent(extent)
            self.ax.set_xlim(view[0])  # set_extent would move the view; the axes (and its ticks) stay
            self.ax.set_ylim(view[1])
        if title is not None:
            self.ax.set_title(title)
        return self


# --------------------------------------------------------------------------- plots


def plot_spectrogram(X, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
                     vmin: float = DB_RANGE[0], vmax: float = DB_RANGE[1], fmax: float | None = None,
                     colorbar: bool = True, cmap: str = "magma") -> SpectrogramHandle:
    """Spectrogram in dB (re a full-scale sine) with time in seconds and frequency in Hz.

    Parameters
    ----------
    X : complex ndarray (freq, frames) or real magnitude
        An STFT from :func:`specmask_edu.stft` (with the same ``config``).
    sr : float
        Sample rate in Hz.
    config : STFTConfig
        The configuration ``X`` was computed with (axes and dB reference come from it).
    ax : matplotlib Axes, optional
        Draw into this axes; otherwise into a new (or reused) figure.
    title : str, optional
    vmin, vmax : float
        Fixed colour range in dB (default -80 to 0) so different spectrograms compare directly.
    fmax : float, optional
        Highest frequency shown (Hz); default ``sr / 2``.

    Returns
    -------
    SpectrogramHandle
    """
    config = _as_config(config)
    A = _as_2d(X, "X")

    def transform(data, cfg):
        return magnitude_db(data, cfg)

    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(transform(A, config), origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                      extent=_extent(A.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    cb = fig.colorbar(image, ax=ax, label="dB", pad=0.01) if colorbar else None
    _label_tf(ax, fmax, sr, title)
    return SpectrogramHandle(ax, image, cb, transform, sr, config)


def plot_phase(X, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
               fmax: float | None = None, colorbar: bool = True, cmap: str = "twilight") -> SpectrogramHandle:
    r"""A phase image in radians, colour range :math:`[-\pi, \pi]` on a cyclic colour map.

    ``X`` may be a complex STFT (its angle is shown) or a real array of phases, e.g. the output of
    :func:`specmask_edu.phase.phase_difference`. Taught in ``notebooks/01_stft_magnitude_phase.ipynb``
    and ``notebooks/03_phase_matters.ipynb``.
    """
    config = _as_config(config)
    A = _as_2d(X, "X")

    def transform(data, cfg):
        data = np.asarray(data)
        return np.angle(data) if np.iscomplexobj(data) else np.asarray(data, dtype=np.float64)

    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(transform(A, config), origin="lower", aspect="auto", cmap=cmap, vmin=-np.pi, vmax=np.pi,
                      extent=_extent(A.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    cb = None
    if colorbar:
        cb = fig.colorbar(image, ax=ax, label="phase (rad)", pad=0.01, ticks=[-np.pi, 0, np.pi])
        cb.ax.set_yticklabels(["-π", "0", "π"])
    _label_tf(ax, fmax, sr, title)
    return SpectrogramHandle(ax, image, cb, transform, sr, config)
