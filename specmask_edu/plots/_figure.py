"""Figures, the course's colours, and turning a figure into image bytes.

:func:`get_figure` reuses (clears) the pyplot figure of the same ``name`` instead of opening another
one, so figures never pile up; ``get_figure(managed=False)`` gives a standalone figure pyplot does not
track, which the explorers render with :func:`figure_to_png` / :func:`canvas_to_bytes`.
:class:`AxesHandle` is the plain handle of the plots that have nothing to ``update``.
matplotlib is imported inside the functions. Part of :mod:`specmask_edu.plots`.
"""

from __future__ import annotations


# --------------------------------------------------------------------------- colours


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


def canvas_to_bytes(canvas, fmt: str = "png", compress_level: int = 1, quality: int = 80) -> bytes:
    """What an Agg canvas shows now (without drawing it again) as PNG or JPEG bytes.

    The explorers draw with blitting and send JPEG frames (quality 80, no chroma subsampling, so labels and
    colour edges stay sharp: ~3 ms to encode where PNG takes ~18 ms for noisy spectrograms, and 140 kB for
    the mask explorer's 880 x 480 picture where quality 90 gave 202 kB); static pictures are PNG.
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


class AxesHandle:
    """What :func:`plot_sweep` and :func:`plot_color_wheel` return: ``.fig``, ``.ax`` and the drawn
    ``.artists`` (lines or the wheel image), like every other plot handle."""

    def __init__(self, ax, artists=()):
        self.ax = ax
        self.fig = ax.figure
        self.artists = list(artists)
