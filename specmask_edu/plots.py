r"""Plots for the lessons: spectrograms, masks, complex masks, phase, waveforms and metric bars.

Every ``plot_*`` function

* takes the data first, then ``sr`` (Hz) and ``config`` (:class:`~specmask_edu.stft.STFTConfig`) where
  axes in seconds and Hz are needed, and an optional ``ax`` to draw into;
* returns a small *handle* (``.ax``, ``.fig``, the matplotlib artists, and ``.update(new_data)``) so an
  explorer in :mod:`specmask_edu.widgets` can change the picture in place with ``set_data`` instead of
  drawing a new figure on every slider move.

Every figure of a lesson is shown with :func:`show` (``plots.show(handle, alt="what it shows and the point
it makes")``): it renders the figure to PNG itself, so it appears under any matplotlib backend (also with
``MPLBACKEND=Agg``), carries its text alternative (an ``<img alt>`` for JupyterLab, Notebook 7, Colab and
the HTML edition; ``alt`` in the output metadata; the text itself for consoles and logs), and closes
the pyplot figure so the inline backend does not show it a second time.

Figures never pile up: without ``ax`` a function draws into :func:`get_figure`, which reuses (clears)
the pyplot figure of the same ``name`` instead of opening another one. Explorers use
``get_figure(managed=False)``: a figure that pyplot does not track at all, rendered to PNG with
:func:`figure_to_png`.

Levels in dB are absolute, not relative to each plot's maximum: 0 dB is the STFT magnitude of a
full-scale sine (amplitude 1), see :func:`magnitude_db`. So a masked estimate really looks darker than
the mixture it came from, and all spectrograms share the colour range ``[-80, 0]`` dB by default.

matplotlib is imported inside the functions, so ``import specmask_edu`` stays light.
Used from ``notebooks/00_welcome.ipynb`` onwards.
"""

from __future__ import annotations

import numpy as np

from ._validation import SpecmaskInputError, as_waveform, check_sr
from .stft import STFTConfig, _as_config

__all__ = [
    "DB_RANGE",
    "show",
    "image_bundle",
    "get_figure",
    "close_figure",
    "figure_to_png",
    "canvas_to_bytes",
    "magnitude_db",
    "complex_to_rgb",
    "waveform_envelope",
    "plot_spectrogram",
    "plot_mask",
    "plot_complex_mask",
    "plot_magnitude_phase",
    "plot_color_wheel",
    "plot_phase",
    "plot_waveforms",
    "plot_metrics",
    "plot_sweep",
    "SpectrogramHandle",
    "ComplexMaskHandle",
    "WaveformHandle",
    "MetricsHandle",
    "AxesHandle",
    "MagnitudePhaseHandle",
]

#: Default colour range of every spectrogram, in dB re a full-scale sine.
DB_RANGE = (-80.0, 0.0)

# A fixed palette so the same role has the same colour in every lesson.
ROLE_COLORS = {
    "mixture": "#7f7f7f",
    "target": "#1f77b4",
    "clean": "#1f77b4",
    "estimate": "#d62728",
    "interference": "#2ca02c",
    "noise": "#2ca02c",
    "removed": "#2ca02c",
}
_CYCLE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
# Lines of a sweep also differ by marker shape, so they can be told apart without colour.
_MARKERS = ["o", "s", "D", "v", "P", "X", "*", "h"]


# --------------------------------------------------------------------------- figures


def get_figure(name: str | None = None, nrows: int = 1, ncols: int = 1, figsize=None,
               managed: bool = True, dpi: float | None = None, **subplots_kw):
    """Return ``(fig, axes)``, reusing the figure called ``name`` instead of opening a new one.

    Parameters
    ----------
    name : str, optional
        Label of the figure. If a pyplot figure with this label is open it is cleared and reused, so
        re-running a cell (or a loop that plots) never leaves a pile of figures behind.
        ``None`` opens a fresh figure (pyplot's inline backend closes it after the cell is shown).
    nrows, ncols : int
        Grid of axes, as in ``plt.subplots``; ``0`` rows gives a figure without axes (``axes=None``),
        for layouts built with ``fig.add_gridspec``.
    figsize : (width, height) in inches, optional
    managed : bool
        ``True``: a pyplot figure (shown by the notebook like any other). ``False``: a standalone
        :class:`matplotlib.figure.Figure` with an Agg canvas that pyplot does not track; explorers use
        it and show it as PNG (see :func:`figure_to_png`), so it can never stack up in the output.
    dpi : float, optional
    **subplots_kw
        Passed to ``fig.subplots`` (``sharex``, ``sharey``, ``gridspec_kw``, ``squeeze``...).

    Returns
    -------
    (matplotlib.figure.Figure, Axes or array of Axes or None)
    """
    if managed:
        import matplotlib.pyplot as plt

        if name is not None and name in plt.get_figlabels():
            fig = plt.figure(name)
            fig.clear()
            if figsize is not None:
                fig.set_size_inches(*figsize)
        else:
            fig = plt.figure(num=name, figsize=figsize, dpi=dpi, layout="constrained")
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        if name is not None:
            fig.set_label(name)
    if nrows == 0:
        return fig, None
    axes = fig.subplots(nrows, ncols, **subplots_kw)
    return fig, axes


def close_figure(fig) -> None:
    """Close a pyplot figure (no-op for the standalone figures of ``get_figure(managed=False)``)."""
    import matplotlib.pyplot as plt

    if fig is not None and getattr(fig.canvas, "manager", None) is not None:
        plt.close(fig)


def _new_axes(ax, name, figsize):
    if ax is not None:
        return ax.figure, ax
    fig, ax = get_figure(name, 1, 1, figsize=figsize)
    return fig, ax


def figure_to_png(fig, compress_level: int = 1) -> bytes:
    """Render a figure with Agg and return PNG bytes (fast, lightly compressed).

    matplotlib's own ``savefig`` compresses harder (about 5x slower for a 900 x 500 figure); the
    explorers redraw on every slider move, so they use ``compress_level=1``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas_to_bytes(canvas, "png", compress_level=compress_level)


def canvas_to_bytes(canvas, fmt: str = "png", compress_level: int = 1, quality: int = 90) -> bytes:
    """What an Agg canvas shows now (without drawing it again) as PNG or JPEG bytes.

    The explorers draw with blitting and send JPEG frames (quality 90, no chroma subsampling: ~2 ms to
    encode where PNG takes ~18 ms for noisy spectrograms); static pictures are PNG.
    """
    import io

    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, format="jpeg", quality=int(quality), subsampling=0)
    else:
        image.save(out, format="png", compress_level=int(compress_level))
    return out.getvalue()


# --------------------------------------------------------------------------- showing a figure

#: Descriptions that say nothing about the picture (``show`` refuses them as alt text).
_EMPTY_ALT = {"figure", "plot", "image", "picture", "chart", "graph", "fig", "img", "spectrogram", "mask"}


def _check_alt(alt) -> str:
    if not isinstance(alt, str) or not alt.strip():
        raise SpecmaskInputError(
            "Give the figure a text alternative: show(fig, alt=\"what it shows and the point it makes\"), "
            "e.g. alt=\"Spectrogram of the mixture: the speech harmonics stand out above the babble below 1 kHz\". "
            "Screen-reader users and the HTML edition read it instead of the picture."
        )
    alt = " ".join(alt.split())
    if alt.lower().strip(" .") in _EMPTY_ALT:
        raise SpecmaskInputError(
            f"alt={alt!r} says nothing about this picture: describe what it shows and the point it makes "
            "(what is on the axes, and what the reader should notice)."
        )
    return alt


def _figure_of(fig_or_handle):
    """The matplotlib Figure behind a Figure, a plot handle (``.fig``), an Axes or an array of Axes."""
    from matplotlib.figure import Figure, SubFigure

    obj = fig_or_handle
    if isinstance(obj, np.ndarray) and obj.size:
        obj = obj.flat[0]
    elif isinstance(obj, (list, tuple)) and obj:
        obj = obj[0]
    fig = obj if isinstance(obj, Figure) else (getattr(obj, "fig", None) or getattr(obj, "figure", None))
    while isinstance(fig, SubFigure):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise SpecmaskInputError(
            f"show() needs a figure, a plot handle (what plots.plot_* returns) or axes, got {type(fig_or_handle).__name__}."
        )
    return fig


def image_bundle(image: bytes, alt: str, mime: str = "image/png", width: int | None = None) -> tuple[dict, dict]:
    """The display data of one picture with its text alternative: ``(data, metadata)`` for
    ``IPython.display.display(data, metadata=metadata, raw=True)``.

    * ``text/html``: ``<img alt="...">`` with the picture inline; JupyterLab, Notebook 7, Colab, VS Code
      and nbconvert prefer it, so screen readers get the alt text there;
    * ``image/png`` (or ``image/jpeg``) with ``{"alt": ...}`` in its metadata, for viewers that show only
      images (the HTML edition writes that ``alt`` out as well);
    * ``text/plain``: the alt text itself, for consoles and CI logs.

    ``width`` (CSS pixels) fixes the shown width; by default the picture keeps its size but never gets
    wider than the output area.
    """
    import base64
    import html

    alt = _check_alt(alt)
    b64 = base64.b64encode(bytes(image)).decode("ascii")
    size = f' width="{int(width)}"' if width else ""
    tag = (f'<img src="data:{mime};base64,{b64}" alt="{html.escape(alt, quote=True)}"{size} '
           'style="max-width:100%;height:auto">')
    meta = {"alt": alt}
    if width:
        meta["width"] = int(width)
    return {"text/html": tag, mime: b64, "text/plain": f"[figure] {alt}"}, {mime: meta}


def _in_ipython() -> bool:
    from IPython import get_ipython

    return get_ipython() is not None


def show(fig_or_handle, alt: str, *, dpi: float | None = None, close: bool = True) -> None:
    """Show a figure in the notebook with its text alternative, whatever the matplotlib backend.

    The figure is rendered to PNG here (``bbox_inches="tight"``, as the inline backend does) and displayed
    with :func:`image_bundle`, so it appears also under ``MPLBACKEND=Agg``, where ``plt.show()`` shows
    nothing. Then the pyplot figure is closed (``close=True``) so the inline backend does not draw it a
    second time at the end of the cell. Returns ``None`` (nothing is echoed below the cell).

    Parameters
    ----------
    fig_or_handle : Figure, plot handle, Axes or array of Axes
        What a ``plot_*`` function returned, or the figure of :func:`get_figure`.
    alt : str
        The text alternative: what the figure shows and the point it makes, in a sentence or two
        (not "figure"). Read by screen readers and written into the HTML edition.
    dpi : float, optional
        Resolution of the PNG (default: the figure's own).

    Used in every lesson (``notebooks/00_welcome.ipynb`` onwards).
    """
    import io

    from IPython.display import display

    alt = _check_alt(alt)
    fig = _figure_of(fig_or_handle)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi if dpi is not None else fig.dpi, bbox_inches="tight",
                facecolor="white")
    data, metadata = image_bundle(out.getvalue(), alt)
    if not _in_ipython():  # a plain Python script or console: the text alternative, not a page of base64
        print(data["text/plain"])
    else:
        display(data, metadata=metadata, raw=True)
    if close:
        close_figure(fig)


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
    A = np.abs(np.asarray(X))
    ref = _window_gain(config)
    floor = ref * 10.0 ** (floor_db / 20.0)
    return 20.0 * np.log10(np.maximum(A, floor) / ref)


def complex_to_rgb(M, max_magnitude: float = 1.0) -> np.ndarray:
    r"""Colour of each complex value: hue = phase, brightness = magnitude (HSV to RGB).

    .. math:: h = \frac{\angle M}{2\pi} \bmod 1, \quad s = 1, \quad v = \min\!\left(\frac{|M|}{M_{max}}, 1\right)

    So phase 0 (no rotation) is red, π/2 yellow-green, ±π cyan, -π/2 blue-violet (the hue circle
    closes, like the phase); a zero gain is black and a gain of ``max_magnitude`` or more is fully bright.

    Returns
    -------
    ndarray of float (..., 3) in [0, 1]
    """
    M = np.asarray(M)
    if max_magnitude <= 0:
        raise SpecmaskInputError(f"`max_magnitude` must be positive, got {max_magnitude}.")
    return np.moveaxis(_rgb_planes(M, max_magnitude), 0, -1).astype(np.float64)


def _rgb_planes(M, max_magnitude):
    """:func:`complex_to_rgb` as three contiguous float32 planes (3, ...): the fast path for redraws."""
    # single precision is plenty for a colour (8 bits per channel on screen) and halves the work
    shape = M.shape
    Z = (M.astype(np.complex64) if np.iscomplexobj(M) else M.astype(np.float32)).reshape(-1)
    hue6 = np.angle(Z).astype(np.float32)
    hue6 *= np.float32(3.0 / np.pi)  # phase in sixths of a turn, -3..3
    np.add(hue6, np.float32(6.0), out=hue6, where=hue6 < 0)  # 0..6 (a masked add: np.mod is 10x slower)
    value = np.abs(Z).astype(np.float32)
    value *= np.float32(1.0 / float(max_magnitude))
    np.clip(value, 0.0, 1.0, out=value)
    # HSV -> RGB with full saturation, in closed form (matplotlib's hsv_to_rgb, ~5x faster):
    # red = clip(|h - 3| - 1), green = clip(2 - |h - 2|), blue = clip(2 - |h - 4|), times the brightness
    planes = np.empty((3, Z.size), dtype=np.float32)
    for out, (sign, centre, offset) in zip(planes, ((1.0, 3.0, -1.0), (-1.0, 2.0, 2.0), (-1.0, 4.0, 2.0))):
        np.subtract(hue6, np.float32(centre), out=out)
        np.abs(out, out=out)
        if sign < 0:
            np.negative(out, out=out)
        out += np.float32(offset)
        np.clip(out, 0.0, 1.0, out=out)
        out *= value
    return planes.reshape((3,) + shape)


def waveform_envelope(x, n_points: int = 1000):
    """Min/max envelope of a waveform in ``n_points`` columns (what a long line would look like).

    Drawing 80,000 samples as a line costs most of a redraw; at screen resolution the min and max of
    each column look the same and cost ~1/40 as much (design.md, "Speed of the explorers").

    Returns
    -------
    (centres, low, high) : sample indices of the column centres, column minima and maxima
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    n = x.size
    n_points = int(max(1, min(n_points, n)))
    edges = np.linspace(0, n, n_points + 1).astype(np.int64)
    starts = edges[:-1]
    low = np.minimum.reduceat(x, starts)
    high = np.maximum.reduceat(x, starts)
    centres = (edges[:-1] + edges[1:] - 1) / 2.0
    return centres, low, high


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


# --------------------------------------------------------------------------- handles


class SpectrogramHandle:
    """What :func:`plot_spectrogram`, :func:`plot_mask` and :func:`plot_phase` return.

    Attributes
    ----------
    fig, ax : the figure and axes drawn into
    image : matplotlib.image.AxesImage
    colorbar : matplotlib.colorbar.Colorbar or None

    ``update(data)`` replaces the picture in place (same conversion as when it was drawn: dB for a
    spectrogram, values for a mask, angle for a phase), also when the number of frames or bins changed.
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
        A = self._transform(_as_2d(data, "data"), self.config)
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


class ComplexMaskHandle(SpectrogramHandle):
    """Handle of :func:`plot_complex_mask` (``.wheel`` is the colour-wheel legend's axes)."""

    wheel = None


class WaveformHandle:
    """What :func:`plot_waveforms` returns: ``.fig``, ``.ax`` (or ``.axes``), ``.polys`` (one filled
    min/max envelope per signal, by label), ``.legend`` and ``update(signals)``."""

    def __init__(self, axes, polys, legend, sr, n_points):
        self.axes = axes
        self.ax = axes[0]
        self.fig = self.ax.figure
        self.polys = polys
        self.legend = legend
        self.sr = sr
        self.n_points = n_points

    @property
    def artists(self) -> list:
        """The artists that ``update`` changes (the envelopes)."""
        return list(self.polys.values())

    def update(self, signals):
        """Redraw the envelopes of ``signals`` (same labels as when drawn; missing labels stay)."""
        for label, x in _as_signal_dict(signals).items():
            if label not in self.polys:
                raise SpecmaskInputError(
                    f"No waveform labelled {label!r} in this plot; it has {list(self.polys)}."
                )
            t, lo, hi = waveform_envelope(x, self.n_points)
            t = t / float(self.sr)
            self.polys[label].set_verts([_envelope_vertices(t, lo, hi)])
        return self


class MetricsHandle:
    """What :func:`plot_metrics` returns: ``.bars`` (BarContainer per metric), ``.texts`` and
    ``update(rows)`` (same row names and metrics as when drawn)."""

    def __init__(self, ax, bars, texts, names, metrics, fmt):
        self.ax = ax
        self.fig = ax.figure
        self.bars = bars
        self.texts = texts
        self.names = names
        self.metrics = metrics
        self.fmt = fmt

    @property
    def artists(self) -> list:
        """The bars and their value labels (what ``update`` changes)."""
        out = []
        for metric in self.metrics:
            out.extend(self.bars[metric].patches)
            out.extend(self.texts[metric])
        return out

    def update(self, rows, ylim=None):
        values = _metric_values(rows, self.names, self.metrics)
        _set_metric_ylim(self.ax, values, ylim)
        for j, metric in enumerate(self.metrics):
            for i, bar in enumerate(self.bars[metric]):
                v = values[i, j]
                bar.set_height(0.0 if not np.isfinite(v) else v)
                _place_label(self.ax, self.texts[metric][i], v, self.fmt)
        return self


class AxesHandle:
    """What :func:`plot_sweep` and :func:`plot_color_wheel` return: ``.fig``, ``.ax`` and the drawn
    ``.artists`` (lines or the wheel image), like every other plot handle."""

    def __init__(self, ax, artists=()):
        self.ax = ax
        self.fig = ax.figure
        self.artists = list(artists)


class MagnitudePhaseHandle:
    """What :func:`plot_magnitude_phase` returns: ``.magnitude`` and ``.phase`` (two
    :class:`SpectrogramHandle`), ``.axes``, ``.fig`` and ``update(mask)``."""

    def __init__(self, magnitude, phase):
        self.magnitude = magnitude
        self.phase = phase
        self.axes = [magnitude.ax, phase.ax]
        self.ax = magnitude.ax
        self.fig = magnitude.fig

    @property
    def artists(self) -> list:
        return self.magnitude.artists + self.phase.artists

    def update(self, mask, config: STFTConfig | None = None):
        """Show a new complex mask (same shape rules as :meth:`SpectrogramHandle.update`)."""
        M = _as_2d(mask, "mask")
        self.magnitude.update(np.abs(M), config)
        self.phase.update(np.angle(M), config)
        return self


def _place_label(ax, text, value, fmt):
    """Write ``value`` at the end of its bar, kept inside the axes when the bar leaves the range."""
    low, high = ax.get_ylim()
    margin = 0.07 * (high - low)
    v = 0.0 if not np.isfinite(value) else float(value)
    text.set_text(fmt.format(value))
    if v >= 0:
        text.set_y(min(v, high - margin))
        text.set_va("bottom")
    else:
        text.set_y(max(v, low + margin))
        text.set_va("top")


# --------------------------------------------------------------------------- spectrograms and masks


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


def gain_colormap(vmax: float = 2.0, name: str = "viridis"):
    """Colour map for gains in ``[0, vmax]``: ``name`` (viridis) from 0 to 1, then yellow to dark red above 1.

    With it, masks that only attenuate (IBM, IRM, Wiener, PSM in [0, 1]) look as usual, and the bins where
    a mask *amplifies* (an IAM above 1, where target and interference cancelled) stand out in red.
    """
    import matplotlib
    from matplotlib.colors import LinearSegmentedColormap, ListedColormap

    vmax = float(vmax)
    if vmax <= 1.0:
        return matplotlib.colormaps[name]
    n_low = 256
    n_high = max(2, int(round(256 * (vmax - 1.0))))
    low = matplotlib.colormaps[name](np.linspace(0.0, 1.0, n_low))
    ramp = LinearSegmentedColormap.from_list("amplify", [low[-1][:3], "#f46d43", "#a50026"])
    high = ramp(np.linspace(0.0, 1.0, n_high + 1)[1:])
    return ListedColormap(np.vstack([low, high]), name=f"gain_{name}_{vmax:g}")


def plot_mask(mask, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
              vmin: float = 0.0, vmax: float = 1.0, fmax: float | None = None, colorbar: bool = True,
              cmap=None) -> SpectrogramHandle:
    """A real-valued mask as an image with a fixed colour range (default [0, 1]) and a colour bar.

    Values outside ``[vmin, vmax]`` (an IAM above 1, a raw PSM below 0) are shown in the end colours and
    the colour bar gets a pointed end. With ``vmax > 1`` (e.g. 2 for an IAM) the default colour map is
    :func:`gain_colormap`: viridis up to 1, red above. For complex masks use :func:`plot_complex_mask`.
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")
    if np.iscomplexobj(M):
        raise SpecmaskInputError(
            "This mask is complex: plot_mask shows real-valued masks. Use plot_complex_mask(mask, sr, config) "
            "(colour = phase, brightness = magnitude), or plot np.abs(mask) here."
        )

    def transform(data, cfg):
        return np.asarray(data, dtype=np.float64)

    M = transform(M, config)
    if cmap is None:
        cmap = gain_colormap(vmax) if vmin >= 0 and vmax > 1 else "viridis"
    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(M, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                      extent=_extent(M.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    cb = None
    if colorbar:
        extend = {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}
        cb = fig.colorbar(image, ax=ax, label="mask value", pad=0.01,
                          extend=extend[(bool(np.min(M) < vmin), bool(np.max(M) > vmax))])
    _label_tf(ax, fmax, sr, title)
    return SpectrogramHandle(ax, image, cb, transform, sr, config)


def plot_color_wheel(ax=None, max_magnitude: float = 1.0, resolution: int = 101) -> AxesHandle:
    """Draw the legend of :func:`complex_to_rgb` into ``ax``: angle = phase, distance from centre = magnitude.

    The wheel is read by hue; :func:`plot_magnitude_phase` shows the same information without hue.
    Returns an :class:`AxesHandle` (``.ax``, ``.fig``, ``.artists`` = the wheel image).
    """
    if ax is None:
        _, ax = get_figure(None, figsize=(2.4, 2.4))
    r = np.linspace(-1.0, 1.0, resolution)
    re, im = np.meshgrid(r, r)
    z = (re + 1j * im) * max_magnitude
    rgb = complex_to_rgb(z, max_magnitude)
    alpha = (np.abs(re + 1j * im) <= 1.0).astype(float)
    wheel = ax.imshow(np.dstack([rgb, alpha]), origin="lower", extent=(-1, 1, -1, 1), interpolation="bilinear")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    for angle, label in ((0, "0"), (np.pi / 2, "π/2"), (np.pi, "±π"), (-np.pi / 2, "-π/2")):
        ax.text(1.25 * np.cos(angle), 1.25 * np.sin(angle), label, ha="center", va="center", fontsize=7)
    ax.set_title(f"phase (hue)\n|M| 0→{max_magnitude:g} (centre→rim)", fontsize=7)
    return AxesHandle(ax, [wheel])


def plot_complex_mask(mask, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
                      max_magnitude: float = 1.0, fmax: float | None = None, legend: bool = True) -> ComplexMaskHandle:
    r"""A complex mask (or any complex array) as colour: hue = phase, brightness = magnitude.

    Each bin's colour comes from :func:`complex_to_rgb`: the phase :math:`\angle M` picks the hue
    (red = 0, cyan = ±π), :math:`|M|/M_{max}` the brightness (black = 0).
    ``legend=True`` adds a colour wheel next to the image. Taught in ``notebooks/04_complex_masks.ipynb``.

    Parameters
    ----------
    mask : complex ndarray (freq, frames)
    max_magnitude : float
        Magnitude shown at full brightness (larger values saturate), default 1.
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")

    def transform(data, cfg):  # 8-bit RGB: what Agg draws anyway, and much cheaper to resample
        planes = _rgb_planes(np.asarray(data), max_magnitude)
        planes *= np.float32(255.0)
        planes += np.float32(0.5)
        return np.ascontiguousarray(np.moveaxis(planes.astype(np.uint8), 0, -1))

    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(transform(M, config), origin="lower", aspect="auto",
                      extent=_extent(M.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    _label_tf(ax, fmax, sr, title)
    handle = ComplexMaskHandle(ax, image, None, transform, sr, config)
    if legend:
        wheel = ax.inset_axes([1.01, 0.05, 0.16, 0.9])
        plot_color_wheel(wheel, max_magnitude)
        handle.wheel = wheel
    return handle


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


def plot_magnitude_phase(mask, sr: float = 16000, config: STFTConfig | None = None, axes=None,
                         title: str | None = None, max_magnitude: float = 1.0, fmax: float | None = None,
                         cmap_magnitude: str = "viridis", cmap_phase: str = "twilight") -> MagnitudePhaseHandle:
    r"""A complex mask without hue: its magnitude :math:`|M|` and its phase :math:`\angle M` side by side.

    The hue-free companion of :func:`plot_complex_mask`, for readers who cannot tell hues apart
    (simulated deuteranopia folds the colour wheel into yellow and blue) and for grey-scale print:

    * left, :math:`|M|` on ``viridis`` from 0 to ``max_magnitude`` (dark = removed, bright = kept);
      larger values show in the end colour and the colour bar gets a pointed end;
    * right, :math:`\angle M` in radians on ``twilight``, a perceptually uniform cyclic map whose
      *lightness* alone tells how far the mask rotates: dark = no rotation (0), light = half a turn (±π);
      the sign is blue (negative) against red-brown (positive), a contrast that red-green colour vision
      deficiencies keep.

    Taught in ``notebooks/04_complex_masks.ipynb`` next to the colour-wheel picture.

    Parameters
    ----------
    mask : complex ndarray (freq, frames)
    axes : two Axes, optional
        Where to draw magnitude and phase; default a new figure with two panels.
    max_magnitude : float
        Top of the magnitude colour range (default 1).

    Returns
    -------
    MagnitudePhaseHandle
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")
    if max_magnitude <= 0:
        raise SpecmaskInputError(f"`max_magnitude` must be positive, got {max_magnitude}.")
    if axes is None:
        _, axes = get_figure(None, 1, 2, figsize=(12, 3.4))
    axes = list(np.ravel(axes))
    if len(axes) != 2:
        raise SpecmaskInputError(f"`axes` must be two axes (magnitude, phase), got {len(axes)}.")
    prefix = f"{title}: " if title else ""
    magnitude = plot_mask(np.abs(M), sr, config, ax=axes[0], vmin=0.0, vmax=float(max_magnitude), fmax=fmax,
                          title=f"{prefix}magnitude |M|", cmap=cmap_magnitude)
    if magnitude.colorbar is not None:
        magnitude.colorbar.set_label("|M| (gain)")
    phase = plot_phase(np.angle(M), sr, config, ax=axes[1], fmax=fmax, cmap=cmap_phase,
                       title=f"{prefix}phase ∠M (dark = 0, light = ±π)")
    if phase.colorbar is not None:
        phase.colorbar.set_ticks([-np.pi, -np.pi / 2, 0, np.pi / 2, np.pi], labels=["-π", "-π/2", "0", "π/2", "π"])
    return MagnitudePhaseHandle(magnitude, phase)


# --------------------------------------------------------------------------- waveforms


def _as_signal_dict(signals):
    if isinstance(signals, dict):
        items = signals.items()
    elif isinstance(signals, np.ndarray) and signals.ndim == 1:
        items = [("signal", signals)]
    elif isinstance(signals, (list, tuple)):
        items = [(f"signal {i}", s) for i, s in enumerate(signals)]
    else:
        raise SpecmaskInputError(
            "`signals` must be a dict {label: waveform} (or one waveform, or a list of waveforms)."
        )
    return {str(k): as_waveform(v, f"signals[{k!r}]") for k, v in items}


def _envelope_vertices(t, lo, hi):
    return np.column_stack([np.concatenate([t, t[::-1]]), np.concatenate([hi, lo[::-1]])])


def _role_color(label, i):
    key = label.lower().split(" ")[0].split("(")[0]
    return ROLE_COLORS.get(key, _CYCLE[i % len(_CYCLE)])


def plot_waveforms(signals, sr: float = 16000, ax=None, overlay: bool = True, n_points: int | None = None,
                   ylim=None, title: str | None = None, colors: dict | None = None, alpha: float = 0.45,
                   legend: bool = True) -> WaveformHandle:
    """Compare waveforms as min/max envelopes, at their true levels (a shared amplitude axis).

    Parameters
    ----------
    signals : dict {label: waveform} (or one waveform, or a list)
        Labels starting with ``mixture``, ``target``/``clean``, ``estimate``, ``interference``/``noise``
        get the course's fixed colours.
    sr : float
        Sample rate (Hz) for the time axis in seconds.
    ax : Axes, optional
        With ``overlay=True`` all envelopes go into this one axes. With ``overlay=False`` one row per
        signal is made in a new figure (``ax`` must then be None or a list of axes).
    n_points : int, optional
        Columns of the envelope (see :func:`waveform_envelope`). Default: one per pixel of the axes'
        width (at least 200), which looks like the full line and draws far faster than 80,000 samples.
    ylim : (low, high), optional
        Amplitude range; default symmetric around the largest peak, shared by all signals.

    Returns
    -------
    WaveformHandle
    """
    signals = _as_signal_dict(signals)
    sr = check_sr(sr)
    if not signals:
        raise SpecmaskInputError("`signals` is empty.")
    colors = dict(colors or {})
    if overlay:
        fig, ax0 = _new_axes(ax, None, (8, 2.6))
        axes = [ax0] * len(signals)
    else:
        if ax is None:
            fig, axs = get_figure(None, len(signals), 1, figsize=(8, 1.3 * len(signals) + 0.6), sharex=True,
                                  sharey=True, squeeze=False)
            axes = list(axs[:, 0])
        else:
            axes = list(np.atleast_1d(ax))
            if len(axes) != len(signals):
                raise SpecmaskInputError(f"{len(signals)} signals but {len(axes)} axes given.")
    if n_points is None:
        width_px = axes[0].get_window_extent().width
        n_points = int(np.clip(width_px, 200, 2000))
    polys = {}
    peak = max(float(np.max(np.abs(x))) for x in signals.values())
    for i, (label, x) in enumerate(signals.items()):
        a = axes[i]
        color = colors.get(label, _role_color(label, i))
        t, lo, hi = waveform_envelope(x, n_points)
        t = t / float(sr)
        polys[label] = a.fill_between(t, lo, hi, color=color, alpha=alpha, linewidth=0, label=label)
        if not overlay:
            a.set_ylabel(label, rotation=0, ha="right", va="center")
    limit = peak * 1.05 if peak > 0 else 1.0
    for a in dict.fromkeys(axes):
        a.set_xlim(0, len(next(iter(signals.values()))) / float(sr))
        a.set_ylim(ylim if ylim is not None else (-limit, limit))
        a.grid(True, alpha=0.3)
    axes[-1].set_xlabel("time (s)")
    leg = None
    if overlay:
        axes[0].set_ylabel("amplitude")
        if legend:
            # Above the axes, right-aligned: the envelopes never cover it (explorers keep it static).
            leg = axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False,
                                 ncols=len(signals), borderaxespad=0.1, handlelength=1.2)
    if title:
        axes[0].set_title(title, loc="left")
    return WaveformHandle(axes, polys, leg, sr, n_points)


# --------------------------------------------------------------------------- metrics


def _metric_values(rows, names, metrics):
    values = np.full((len(names), len(metrics)), np.nan)
    for i, name in enumerate(names):
        row = rows.get(name, {})
        for j, metric in enumerate(metrics):
            if metric in row:
                values[i, j] = float(row[metric])
    return values


def _set_metric_ylim(ax, values, ylim):
    if ylim is not None:
        ax.set_ylim(ylim)
        return
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min()) if finite.size else 0.0)
    high = max(0.0, float(finite.max()) if finite.size else 1.0)
    span = max(high - low, 1.0)
    ax.set_ylim(low - 0.15 * span * (low < 0), high + 0.18 * span)


def plot_metrics(rows: dict, metrics=("SI-SDR",), ax=None, title: str | None = None, ylim=None,
                 fmt: str = "{:.1f}", unit: str = "dB") -> MetricsHandle:
    """Bar chart of metrics per estimate, e.g. the rows of :func:`specmask_edu.metrics_table`.

    Parameters
    ----------
    rows : dict {estimate name: {metric name: value}}
    metrics : sequence of str
        Which columns to show side by side (e.g. ``("SNR", "SI-SDR")``); rows missing a metric show no bar.
    ylim : (low, high), optional
        Fixed range (an explorer keeps it fixed so bars can be compared between slider positions);
        default fits the values and includes 0.
    fmt : str
        Format of the value written on each bar.
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not isinstance(rows, dict) or not rows:
        raise SpecmaskInputError("`rows` must be a non-empty dict such as {'IRM': {'SI-SDR': 12.3}}.")
    names = list(rows)
    metrics = list(metrics)
    values = _metric_values(rows, names, metrics)
    fig, ax = _new_axes(ax, None, (6, 3))
    width = 0.8 / len(metrics)
    x = np.arange(len(names))
    bars, texts = {}, {}
    for j, metric in enumerate(metrics):
        offset = (j - (len(metrics) - 1) / 2) * width
        heights = np.where(np.isfinite(values[:, j]), values[:, j], 0.0)
        bars[metric] = ax.bar(x + offset, heights, width * 0.95, label=metric, color=_CYCLE[j % len(_CYCLE)])
        texts[metric] = [ax.text(x[i] + offset, 0.0, "", ha="center", fontsize=8) for i in range(len(names))]
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.set_xticks(x, names, rotation=20 if max(len(n) for n in names) > 8 else 0, ha="right" if max(len(n) for n in names) > 8 else "center")
    ax.set_ylabel(unit)
    if len(metrics) > 1:
        ax.legend(fontsize=8)
    elif title is None:
        title = metrics[0]
    if title:
        ax.set_title(title)
    _set_metric_ylim(ax, values, ylim)
    for j, metric in enumerate(metrics):
        for i in range(len(names)):
            _place_label(ax, texts[metric][i], values[i, j], fmt)
    ax.grid(True, axis="y", alpha=0.3)
    return MetricsHandle(ax, bars, texts, names, metrics, fmt)


# ---- plots for notebooks 04–06 ----


def plot_sweep(table: dict, ax=None, xlabel: str = "input SNR (dB)", ylabel: str = "SI-SDR improvement (dB)",
               ylim=None, title: str | None = None, fmt: str = "{:.0f}"):
    """One line per name over a swept parameter, e.g. the output of
    :func:`specmask_edu.separation.oracle_improvements` (``{mask: {snr_db: dB}}``).

    Values above ``ylim`` (a cIRM that is exact, 100+ dB) are drawn as triangles on the top edge with
    their value written next to them, so the other lines keep a readable scale.
    Used in ``notebooks/04_complex_masks.ipynb`` to ``06_evaluating_separation.ipynb``.

    Parameters
    ----------
    table : dict {name: {x: y}}
    ylim : (low, high), optional
        Default fits all values.

    Returns
    -------
    AxesHandle
        ``.ax`` (set its scale or legend there), ``.fig`` and ``.artists`` (the lines).
    """
    if not isinstance(table, dict) or not table or not all(isinstance(v, dict) and v for v in table.values()):
        raise SpecmaskInputError("`table` must be a non-empty dict {name: {x: y}}, e.g. {'IRM': {-5: 8.1, 0: 9.0}}.")
    fig, ax = _new_axes(ax, None, (7, 3.5))
    values = np.array([float(y) for row in table.values() for y in row.values()])
    if ylim is None:
        span = max(float(values.max() - values.min()), 1.0)
        ylim = (float(values.min()) - 0.05 * span, float(values.max()) + 0.1 * span)
    low, high = float(ylim[0]), float(ylim[1])
    lines = []
    for i, (name, row) in enumerate(table.items()):
        x = np.array([float(k) for k in row])
        y = np.array([float(v) for v in row.values()])
        color = _CYCLE[i % len(_CYCLE)]
        inside = y <= high
        if inside.any():
            lines += ax.plot(x[inside], y[inside], marker=_MARKERS[i % len(_MARKERS)], markersize=5, color=color,
                             label=name)
        if not inside.all():
            top = high - 0.03 * (high - low)
            above = y[~inside]
            lines += ax.plot(x[~inside], np.full(above.size, top), marker="^", linestyle="--" if above.size > 1 else "none",
                    color=color, markersize=7, label=None if inside.any() else f"{name} (above the scale)")
            value = fmt.format(above.min()) if fmt.format(above.min()) == fmt.format(above.max()) else \
                f"{fmt.format(above.min())} to {fmt.format(above.max())}"
            ax.annotate(f"↑ {value}", (x[~inside].mean(), top), textcoords="offset points", xytext=(0, -15),
                        ha="center", fontsize=8, color=color)
    ax.set_ylim(low, high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)
    return AxesHandle(ax, lines)
